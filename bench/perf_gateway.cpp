// Gateway performance against sim on loopback, in one run so figures compare:
//   1. latency the gateway adds over calling sim directly (p50, p99), streamed and
//      not, at 1,000 and 5,000 requests/s (open loop, constant arrivals)
//   2. the most non-streamed requests/s one gateway core sustains
//   3. resident memory idle and with ~10,000 concurrent streams
// Pinning: the gateway on CPU 1; sim and the load generator share CPU 0.
// Usage: perf_gateway [--quick]
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/process.hpp"

using llmux::test::Process;
using llmux::test::TempDir;
using nlohmann::json;

namespace {

std::string first_url(Process& p) {
  for (;;) {
    auto line = p.read_line(std::chrono::seconds(20));
    if (!line) {
      std::fprintf(stderr, "process did not start: %s\n", p.err().c_str());
      std::exit(1);
    }
    if (auto at = line->find("listening on "); at != std::string::npos) return line->substr(at + 13);
  }
}

std::unique_ptr<Process> start(const std::string& cpu, std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/taskset", "-c", cpu, llmux::test::binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<Process>(argv);
}

json bench(const std::string& url, std::vector<std::string> args, const TempDir& dir) {
  std::string out = dir.file("r.json");
  std::vector<std::string> argv = {"/usr/bin/taskset", "-c", "0", llmux::test::binary(), "bench", "-q", "--url", url,
                                   "--model", "chat", "-o", out, "--input-tokens", "16", "--ignore-eos", "on"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = llmux::test::run(argv, std::chrono::minutes(10));
  if (r.status != 0) std::fprintf(stderr, "bench exited %d: %s\n", r.status, r.err.c_str());
  return json::parse(llmux::test::read_file(out), nullptr, false);
}

double get(const json& s, const char* metric, const char* stat) {
  if (!s.contains(metric) || !s[metric].contains(stat) || !s[metric][stat].is_number()) return -1;
  return s[metric][stat].get<double>();
}

long rss_kib(int pid, const char* field = "VmRSS:") {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  TempDir dir;
  auto sim = start("0", {"sim", "--port", "0", "--ttft", "0", "--itl", "0", "--model-name", "chat"});
  std::string sim_url = first_url(*sim);
  llmux::test::write_file(dir.file("gw.toml"),
                          "[server]\nport = 0\nmax_connections = 50000\n[ledger]\npath = \"" + dir.file("l.db") +
                              "\"\n[log]\naccess = \"off\"\n[[deployments]]\nname = \"sim\"\nurl = \"" + sim_url +
                              "\"\nmodel = \"chat\"\nhealth_interval = 0\n[[routes]]\nalias = \"chat\"\ndeployments = [\"sim\"]\n");
  auto gw = start("1", {"serve", "-f", dir.file("gw.toml")});
  std::string gw_url = first_url(*gw);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  long idle = rss_kib(gw->pid());
  std::printf("llmux serve (CPU 1) in front of llmux sim; load generator and sim share CPU 0\n\n");

  std::printf("latency added by the gateway (E2E through it minus E2E direct to sim, same run):\n");
  std::printf("  %-10s %-7s %12s %12s %12s %12s %8s\n", "rate", "mode", "direct p50", "via p50", "added p50",
              "added p99", "errors");
  int seconds = quick ? 2 : 5;
  for (int rate : {1000, 5000}) {
    for (bool stream : {false, true}) {
      std::vector<std::string> load = {"--rate", std::to_string(rate), "--arrivals", "constant", "-n",
                                       std::to_string(rate * seconds), "--output-tokens", "4", "--warmup", "200"};
      if (!stream) load.push_back("--no-stream");
      auto direct = bench(sim_url, load, dir)["runs"][0]["summary"];
      auto via = bench(gw_url, load, dir)["runs"][0]["summary"];
      double d50 = get(direct, "e2e_ms", "p50"), v50 = get(via, "e2e_ms", "p50");
      double d99 = get(direct, "e2e_ms", "p99"), v99 = get(via, "e2e_ms", "p99");
      std::printf("  %-10s %-7s %9.3f ms %9.3f ms %9.0f us %9.0f us %8lld\n", (std::to_string(rate) + "/s").c_str(),
                  stream ? "stream" : "whole", d50, v50, (v50 - d50) * 1e3, (v99 - d99) * 1e3,
                  via["requests_failed"].get<long long>());
    }
  }
  auto max = bench(gw_url, {"-c", "64", "-n", quick ? "20000" : "60000", "--output-tokens", "4", "--no-stream"}, dir);
  auto& m = max["runs"][0]["summary"];
  std::printf("\nmost non-streamed requests/s through one gateway core (64 connections): %.0f (%lld failed)\n",
              m["request_throughput_per_s"].get<double>(), m["requests_failed"].get<long long>());
  sim.reset();
  // Memory at ~10,000 concurrent streams: a slow sim keeps them open.
  auto slow = start("0", {"sim", "--port", "0", "--ttft", "100ms", "--itl", "200ms", "--model-name", "chat"});
  std::string slow_url = first_url(*slow);
  llmux::test::write_file(dir.file("gw.toml"),
                          "[server]\nport = 0\nmax_connections = 50000\n[ledger]\npath = \"" + dir.file("l.db") +
                              "\"\n[log]\naccess = \"off\"\n[[deployments]]\nname = \"sim\"\nurl = \"" + slow_url +
                              "\"\nmodel = \"chat\"\nhealth_interval = 0\n[[routes]]\nalias = \"chat\"\ndeployments = [\"sim\"]\n");
  gw.reset();
  gw = start("1", {"serve", "-f", dir.file("gw.toml")});
  gw_url = first_url(*gw);
  int streams = quick ? 2000 : 10000;
  long peak = 0;
  std::thread load([&] {
    bench(gw_url, {"--rate", std::to_string(streams / 10), "--arrivals", "constant", "-n", std::to_string(streams + streams / 2),
                   "--output-tokens", "50", "--timeout", "120s"}, dir);
  });
  for (int i = 0; i < 25 * 10; ++i) {  // sample while the load runs
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    peak = std::max(peak, rss_kib(gw->pid()));
  }
  load.join();
  std::printf("\nresident memory: idle %.1f MB; peak %.1f MB with ~%d concurrent streams (50 tokens at ITL 200 ms)\n",
              idle / 1024.0, peak / 1024.0, streams);
  return 0;
}
