// Gateway performance against sim on loopback, in one run so figures compare:
//   1. latency the gateway adds over calling sim directly (p50, p99), streamed and
//      not, at 1,000 and 5,000 requests/s (open loop, constant arrivals)
//   2. the most non-streamed requests/s one gateway core sustains
//   3. resident memory idle and with ~10,000 concurrent streams
// The load generator always runs on CPU 0. The latency figures come in five layouts:
//   a. gateway and sim share CPU 1: the direct call and the call through the gateway
//      cross between the CPUs equally often (twice), so 'added' is the gateway's work and
//      its two extra hops on one CPU;
//   b. a with busy_poll on;
//   c. the gateway alone on CPU 1, sim on CPU 0 with the load generator: four crossings
//      through the gateway against none direct, which on this kind of VM cost more than
//      the gateway's own work;
//   d. c with busy_poll on;
//   e. all three on CPU 0 (at 1,000 requests/s only: one CPU cannot carry all three at
//      5,000).
// It also prints the machine's own loopback round trip between the CPUs and on one CPU.
// Usage: perf_gateway [--quick]
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/stats.hpp"
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

long rss_kib(int pid) { return static_cast<long>(llmux::test::proc_field(pid, "status", "VmRSS:")); }

long cpu_ticks(int pid) {  // user + system, in clock ticks
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) {
      stime = std::stol(f);
      break;
    }
  }
  return utime + stime;
}

// The E2E latency of each measured (not warm-up) request that succeeded, in microseconds.
void add_e2e_us(const json& run, std::vector<double>& out) {
  if (!run.contains("requests")) return;
  for (const auto& r : run["requests"])
    if (!r.value("warmup", false) && r.value("ok", false) && r["e2e_ms"].is_number())
      out.push_back(r["e2e_ms"].get<double>() * 1e3);
}

double overhead_quantile(const std::string& metrics, const char* q) {
  std::string key = std::string("llmux_gateway_overhead_seconds{quantile=\"") + q + "\"} ";
  auto p = metrics.find(key);
  return p == std::string::npos ? -1 : std::stod(metrics.substr(p + key.size())) * 1e6;
}

void pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// Round trips of a 300-byte message over loopback TCP between a thread on cpu_a and an echo
// thread on cpu_b, one every 200 us (as at 5,000 requests/s): what a hop costs on this machine
// with nothing else to do. Returns {p50, p99} in microseconds.
std::pair<double, double> loopback_round_trip_us(int cpu_a, int cpu_b, int n) {
  int lis = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(lis, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(lis, 1) != 0 ||
      ::getsockname(lis, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(lis);
    return {-1, -1};
  }
  int cli = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(cli, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(cli, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(cli);
    ::close(lis);
    return {-1, -1};
  }
  int srv = ::accept(lis, nullptr, nullptr);
  ::setsockopt(srv, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::thread echo([&] {
    pin_to(cpu_b);
    char buf[4096];
    for (;;) {
      ssize_t got = ::recv(srv, buf, sizeof buf, 0);
      if (got <= 0 || ::send(srv, buf, static_cast<std::size_t>(got), MSG_NOSIGNAL) != got) break;
    }
  });
  cpu_set_t before;
  pthread_getaffinity_np(pthread_self(), sizeof before, &before);
  pin_to(cpu_a);
  char msg[300] = {};
  std::vector<double> rtt;
  for (int i = 0; i < n; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    if (::send(cli, msg, sizeof msg, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof msg)) break;
    std::size_t back = 0;
    while (back < sizeof msg) {
      ssize_t got = ::recv(cli, msg, sizeof msg - back, 0);
      if (got <= 0) break;
      back += static_cast<std::size_t>(got);
    }
    rtt.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    std::this_thread::sleep_until(t0 + std::chrono::microseconds(200));
  }
  ::shutdown(cli, SHUT_RDWR);
  echo.join();
  pthread_setaffinity_np(pthread_self(), sizeof before, &before);  // the rest of the run is pinned by taskset
  ::close(cli);
  ::close(srv);
  ::close(lis);
  if (rtt.empty()) return {-1, -1};
  std::sort(rtt.begin(), rtt.end());
  return {rtt[rtt.size() / 2], rtt[rtt.size() * 99 / 100]};
}

struct Gateway {
  std::unique_ptr<Process> proc;
  std::string url;
};

Gateway start_gateway(const TempDir& dir, const std::string& upstream, const std::string& cpu = "1",
                      const std::string& busy_poll = "0us") {
  llmux::test::write_file(dir.file("gw.toml"),
                          "[server]\nport = 0\nmax_connections = 50000\nbusy_poll = \"" + busy_poll +
                              "\"\n[ledger]\npath = \"" + dir.file("l.db") +
                              "\"\n[log]\naccess = \"off\"\n[[deployments]]\nname = \"sim\"\nurl = \"" + upstream +
                              "\"\nmodel = \"chat\"\nhealth_interval = 0\n[[routes]]\nalias = \"chat\"\ndeployments = [\"sim\"]\n");
  Gateway g;
  g.proc = start(cpu, {"serve", "-f", dir.file("gw.toml")});
  g.url = first_url(*g.proc);
  return g;
}

std::string metrics_of(const Gateway& g) {
  auto r = llmux::test::run({"/usr/bin/curl", "-s", g.url.substr(0, g.url.size() - 3) + "/metrics"}, std::chrono::seconds(10));
  return r.out;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  long hz = sysconf(_SC_CLK_TCK);
  TempDir dir;
  auto start_sim = [](const std::string& cpu) {
    return start(cpu, {"sim", "--port", "0", "--ttft", "0", "--itl", "0", "--model-name", "chat"});
  };
  {
    auto cross = loopback_round_trip_us(0, 1, quick ? 2000 : 10000);
    auto same = loopback_round_trip_us(0, 0, quick ? 2000 : 10000);
    std::printf("this machine's loopback round trip (300 bytes, one every 200 us, nothing else running):\n"
                "CPU 0 <-> CPU 1 p50 %.1f us, p99 %.1f us; on CPU 0 alone p50 %.1f us, p99 %.1f us.\n\n",
                cross.first, cross.second, same.first, same.second);
  }
  int seconds = quick ? 2 : 5;
  int rounds = quick ? 2 : 5;
  std::printf("'added' = E2E through the gateway minus E2E direct to sim (same layout; %d alternating rounds of\n"
              "each, every request's latency pooled per side). 'in gateway' = the gateway's own time per request,\n"
              "upstream waits excluded (its llmux_gateway_overhead_seconds metric). CPU/req from /proc. The load\n"
              "generator runs on CPU 0 throughout.\n", rounds);
  struct Layout {
    std::string gw_cpu, sim_cpu, busy_poll, title;
    int max_rate;
  };
  const Layout layouts[] = {
      {"1", "1", "0us",
       "gateway and sim share CPU 1: direct and through the gateway, a request crosses between the CPUs\n"
       "twice (there and back), so 'added' is the gateway's own work and its two extra hops on one CPU:",
       5000},
      {"1", "1", "200us",
       "the same with busy_poll = \"200us\" (the gateway polls its sockets for 200 us before it sleeps,\n"
       "giving the CPU to the sim whenever it wants it, so that neither an answer nor the next request\n"
       "needs a wake-up from idle; it burns CPU while traffic comes):",
       5000},
      {"1", "0", "0us",
       "the gateway alone on CPU 1, the sim on CPU 0 with the load generator: a request through the\n"
       "gateway crosses between the CPUs four times, the direct one never; when the CPUs idle between\n"
       "requests, 'added' is mostly those crossings:",
       5000},
      {"1", "0", "200us", "the same with busy_poll = \"200us\":", 5000},
      {"0", "0", "0us",
       "all three on CPU 0 (no crossings between CPUs; the gateway shares the CPU, which cannot carry\n"
       "all three at 5,000 requests/s):",
       1000},
  };
  for (const Layout& layout : layouts) {
    std::printf("\n%s\n", layout.title.c_str());
    std::printf("  %-8s %-7s %10s %10s %11s %11s %13s %13s %9s %6s\n", "rate", "mode", "direct p50", "via p50",
                "added p50", "added p99", "in gw p50", "in gw p99", "CPU/req", "errors");
    auto sim = start_sim(layout.sim_cpu);
    std::string sim_url = first_url(*sim);
    for (int rate : {1000, 5000}) {
      if (rate > layout.max_rate) continue;
      for (bool stream : {false, true}) {
        // Direct and through the gateway in alternating rounds, each latency pooled over its
        // rounds: a burst of noise from the rest of the machine then falls on both sides
        // alike instead of on whichever ran at the time.
        int per_round = rate * seconds / rounds;
        std::vector<std::string> load = {"--rate", std::to_string(rate), "--arrivals", "constant", "-n",
                                         std::to_string(per_round), "--output-tokens", "4", "--warmup", "100",
                                         "--per-request"};
        if (!stream) load.push_back("--no-stream");
        auto gw = start_gateway(dir, sim_url, layout.gw_cpu, layout.busy_poll);
        std::vector<double> direct, via;
        long gw_ticks = 0, failed = 0, via_requests = 0;
        for (int round = 0; round < rounds; ++round) {
          for (bool through : {round % 2 == 0, round % 2 != 0}) {
            long c0 = cpu_ticks(gw.proc->pid());
            auto r = bench(through ? gw.url : sim_url, load, dir)["runs"][0];
            if (through) {
              gw_ticks += cpu_ticks(gw.proc->pid()) - c0;
              failed += r["summary"]["requests_failed"].get<long>();
              via_requests += per_round + 100;
            }
            add_e2e_us(r, through ? via : direct);
          }
        }
        auto m = metrics_of(gw);
        auto d = llmux::bench::summarize(direct), v = llmux::bench::summarize(via);  // bench's own percentiles
        std::printf("  %-8s %-7s %7.3f ms %7.3f ms %8.0f us %8.0f us %10.0f us %10.0f us %6.0f us %6ld\n",
                    (std::to_string(rate) + "/s").c_str(), stream ? "stream" : "whole", d.p50 / 1e3, v.p50 / 1e3,
                    v.p50 - d.p50, v.p99 - d.p99, overhead_quantile(m, "0.5"), overhead_quantile(m, "0.99"),
                    static_cast<double>(gw_ticks) / static_cast<double>(hz) / static_cast<double>(via_requests) * 1e6,
                    failed);
      }
    }
  }
  auto sim = start_sim("0");
  std::string sim_url = first_url(*sim);
  {
    auto gw = start_gateway(dir, sim_url);
    long c0 = cpu_ticks(gw.proc->pid());
    auto max = bench(gw.url, {"-c", "64", "-n", quick ? "20000" : "60000", "--output-tokens", "4", "--no-stream"}, dir);
    long c1 = cpu_ticks(gw.proc->pid());
    auto& s = max["runs"][0]["summary"];
    double done = s["requests_completed"].get<double>();
    double cpu_us = static_cast<double>(c1 - c0) / static_cast<double>(hz) / done * 1e6;
    std::printf("\nclosed loop, 64 connections, non-streamed: %.0f requests/s through the gateway (%lld failed);\n"
                "the gateway used %.0f us of CPU per request, i.e. one gateway core sustains about %.0f requests/s\n"
                "(here CPU 0, shared by the load generator and the sim, is the limit).\n",
                s["request_throughput_per_s"].get<double>(), s["requests_failed"].get<long long>(), cpu_us, 1e6 / cpu_us);
  }
  sim.reset();
  // Memory at ~10,000 concurrent streams: a slow sim keeps them open.
  auto slow = start("0", {"sim", "--port", "0", "--ttft", "100ms", "--itl", "200ms", "--model-name", "chat"});
  std::string slow_url = first_url(*slow);
  auto gw = start_gateway(dir, slow_url);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  long idle = rss_kib(gw.proc->pid());
  int streams = quick ? 2000 : 10000;
  long peak = 0;
  std::thread load([&] {
    bench(gw.url, {"--rate", std::to_string(streams / 10), "--arrivals", "constant", "-n", std::to_string(streams + streams / 2),
                   "--output-tokens", "50", "--timeout", "120s"}, dir);
  });
  for (int i = 0; i < 25 * 10; ++i) {  // sample while the load runs
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    peak = std::max(peak, rss_kib(gw.proc->pid()));
  }
  load.join();
  std::printf("\nresident memory: idle %.1f MB; peak %.1f MB with ~%d concurrent streams (50 tokens at ITL 200 ms)\n",
              idle / 1024.0, peak / 1024.0, streams);
  return 0;
}
