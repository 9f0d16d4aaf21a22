// Load-generator and simulator performance, measured against each other on
// loopback with each process pinned to its own core (taskset):
//   1. short streamed requests per second the bench client sustains on one core
//   2. SSE events per second the bench client parses on one core
//   3. bench's timing error against the sim's ground truth at 1, 100, 1000 streams
//   4. the sim's own capacity: concurrent streams on one core and its timing error
// Usage: perf_loadgen [--quick]
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.hpp"

using llmux::test::Process;
using llmux::test::TempDir;
using nlohmann::json;

namespace {

struct Sim {
  std::unique_ptr<Process> proc;
  std::string url;
};

Sim start_sim(std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/taskset", "-c", "0", llmux::test::binary(), "sim", "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  Sim s;
  s.proc = std::make_unique<Process>(argv);
  auto line = s.proc->read_line(std::chrono::seconds(20));
  if (!line || line->find("listening on ") == std::string::npos) {
    std::fprintf(stderr, "sim did not start: %s\n", s.proc->err().c_str());
    std::exit(1);
  }
  s.url = line->substr(line->find("listening on ") + 13);
  return s;
}

json run_bench(const std::string& url, std::vector<std::string> args, const TempDir& dir) {
  std::string out = dir.file("r.json");
  std::vector<std::string> argv = {"/usr/bin/taskset", "-c", "1", llmux::test::binary(), "bench", "-q", "--url", url,
                                   "--model", "m", "-o", out};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = llmux::test::run(argv, std::chrono::minutes(10));
  if (r.status != 0) std::fprintf(stderr, "bench exited %d: %s\n", r.status, r.err.c_str());
  return json::parse(llmux::test::read_file(out), nullptr, false);
}

json sim_stats(const Sim& s) {
  auto root = s.url.substr(0, s.url.size() - 3);
  auto r = llmux::test::run({"/usr/bin/curl", "-s", root + "/sim/stats"}, std::chrono::seconds(10));
  return json::parse(r.out, nullptr, false);
}

double get(const json& j, std::initializer_list<const char*> path) {
  const json* p = &j;
  for (const char* k : path) {
    if (!p->is_object() || !p->contains(k)) return -1;
    p = &(*p)[k];
  }
  return p->is_number() ? p->get<double>() : -1;
}

// One row of the timing-error table: the run's label, bench's error, the sim's own lateness, a note.
void print_timing_row(const std::string& label, const json& summary, const json& sim, const char* note = "") {
  auto te = [&](const char* stat) { return get(summary, {"timing_error_ms", stat}); };
  auto late = [&](const char* stat) { return get(sim, {"timing_error_us", stat}) / 1e3; };
  std::printf("  %9s %9.3f %9.3f %9.3f %9.3f %10.0f %9.3f %9.3f%s\n", label.c_str(), te("p50"), te("p99"), te("p99_9"),
              te("max"), te("count"), late("p50"), late("p99"), note);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  TempDir dir;
  std::printf("llmux load generator and simulator, each pinned to one core (sim: CPU 0, bench: CPU 1)\n\n");

  {  // 1 + 2: zero-delay sim: the client is the bottleneck
    auto sim = start_sim({"--ttft", "0", "--itl", "0"});
    auto short_req = run_bench(sim.url, {"-c", "128", "-n", quick ? "20000" : "100000", "--input-tokens", "16",
                                         "--output-tokens", "4", "--ignore-eos", "on"}, dir);
    const json& s = short_req["runs"][0]["summary"];
    std::printf("short streamed requests (16 in / 4 out tokens, 128 connections):\n");
    std::printf("  %.0f requests/s, %.0f SSE token events/s, %lld failed\n", get(s, {"request_throughput_per_s"}),
                get(s, {"output_tokens_per_s"}), static_cast<long long>(get(s, {"requests_failed"})));
    auto long_req = run_bench(sim.url, {"-c", "64", "-n", quick ? "1000" : "4000", "--input-tokens", "16",
                                        "--output-tokens", "1024", "--ignore-eos", "on"}, dir);
    const json& l = long_req["runs"][0]["summary"];
    std::printf("long streams (1024 tokens, one SSE event each, 64 connections):\n");
    std::printf("  %.0f SSE events/s parsed and timed, %.0f requests/s\n\n", get(l, {"output_tokens_per_s"}),
                get(l, {"request_throughput_per_s"}));
  }
  {  // 3: timing error against the sim's write timestamps
    std::printf("bench timing error vs sim ground truth (kernel arrival stamp - sim write, CLOCK_MONOTONIC) and the\n"
                "sim's own lateness (write - schedule); ITL 10 ms, 100 tokens per stream; streams arrive evenly\n"
                "(open loop) so that N are in flight:\n");
    std::printf("  %9s %-39s %10s %s\n", "", "  bench timing error, ms", "", "  sim lateness, ms");
    std::printf("  %9s %9s %9s %9s %9s %10s %9s %9s\n", "streams", "p50", "p99", "p99.9", "max", "events", "p50", "p99");
    for (int streams : {1, 100, 1000}) {
      auto sim = start_sim({"--ttft", "10ms", "--itl", "10ms", "--annotate"});
      int n = streams == 1 ? 20 : streams * (quick ? 2 : 4);
      std::vector<std::string> load = streams == 1 ? std::vector<std::string>{"-c", "1"}
                                                   : std::vector<std::string>{"--rate", std::to_string(streams), "--arrivals", "constant"};
      std::vector<std::string> args = {"-n", std::to_string(n), "--input-tokens", "16", "--output-tokens", "100",
                                       "--ignore-eos", "on"};
      args.insert(args.end(), load.begin(), load.end());
      auto r = run_bench(sim.url, args, dir);
      print_timing_row(std::to_string(streams), r["runs"][0]["summary"], sim_stats(sim));
    }
    {  // the same 1000 streams at ITL 50 ms (20 tokens/s per user): 20,000 events/s instead of 100,000
      auto sim = start_sim({"--ttft", "10ms", "--itl", "50ms", "--annotate"});
      auto r = run_bench(sim.url, {"-n", quick ? "1000" : "2000", "--input-tokens", "16", "--output-tokens", "100",
                                   "--ignore-eos", "on", "--rate", "200", "--arrivals", "constant"}, dir);
      print_timing_row("1000", r["runs"][0]["summary"], sim_stats(sim), "  (ITL 50 ms: 20,000 events/s instead of 100,000)");
    }
    {  // worst case: every stream starts at once, so every token is due at the same instant
      auto sim = start_sim({"--ttft", "10ms", "--itl", "10ms", "--annotate"});
      auto r = run_bench(sim.url, {"-c", "1000", "-n", "1000", "--input-tokens", "16", "--output-tokens", "100",
                                   "--ignore-eos", "on"}, dir);
      print_timing_row("1000 sync", r["runs"][0]["summary"], sim_stats(sim),
                       "  (1000 streams started together: bursts of 1000 writes)");
    }
    std::printf("\n");
  }
  // 4: sim capacity: 10,000 concurrent streams on one core, arriving evenly, at two token
  // rates: ITL 200 ms (50,000 writes/s, about what one vCPU of the development VM does)
  // and ITL 500 ms (15,000 streams, 30,000 writes/s).
  for (int itl_ms : {200, 500}) {
    int rate = quick ? 200 : 1000;  // requests/s; each stream lives 100 ms + 49 ITLs
    int streams = static_cast<int>(rate * (0.1 + 49 * itl_ms / 1000.0));
    int n = rate * 15;
    auto sim = start_sim({"--ttft", "100ms", "--itl", std::to_string(itl_ms) + "ms", "--annotate"});
    auto r = run_bench(sim.url, {"--rate", std::to_string(rate), "--arrivals", "constant", "-n", std::to_string(n),
                                 "--input-tokens", "16", "--output-tokens", "50", "--ignore-eos", "on", "--timeout",
                                 "120s"}, dir);
    auto st = sim_stats(sim);
    const json& s = r["runs"][0]["summary"];
    std::printf("sim capacity: %d requests arriving at %d/s, 50 tokens each at ITL %d ms (up to ~%d streams in flight)\n",
                n, rate, itl_ms, std::min(n, streams));
    std::printf("  peak concurrent streams %.0f, completed %.0f, failed %.0f, token writes %.0f\n",
                get(st, {"peak_streams"}), get(s, {"requests_completed"}), get(s, {"requests_failed"}),
                get(st, {"timing_error_us", "count"}));
    std::printf("  sim timing error (write vs schedule): p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms\n",
                get(st, {"timing_error_us", "p50"}) / 1e3, get(st, {"timing_error_us", "p99"}) / 1e3,
                get(st, {"timing_error_us", "p999"}) / 1e3, get(st, {"timing_error_us", "max"}) / 1e3);
    std::printf("  bench timing error at that load: p50 %.3f ms, p99 %.3f ms\n", get(s, {"timing_error_ms", "p50"}),
                get(s, {"timing_error_ms", "p99"}));
  }
  return 0;
}
