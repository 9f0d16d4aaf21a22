#pragma once
// Runs one load level against an endpoint: closed loop (N users, each sending
// its next request when the last one ends) or open loop (a constant or Poisson
// arrival schedule, optional cap on requests in flight), stopping after a
// request count or a duration, whichever comes first, with warm-up requests excluded.
#include <atomic>
#include <string>
#include <vector>

#include "bench/record.hpp"
#include "bench/workload.hpp"
#include "net/http_client.hpp"
#include "providers/endpoint.hpp"

namespace llmux::bench {

struct LoadLevel {
  enum class Mode { concurrency, rate };
  Mode mode = Mode::concurrency;
  double value = 1;  // users, or requests per second
  std::string label() const;  // "c=4", "rate=2.5/s"
};

struct RunOptions {
  std::int64_t requests = 100;    // measured requests per level; 0 = no count limit (run for `duration`)
  Nanos duration = 0;             // 0 = no time limit; with both, the level ends at the first reached
  std::int64_t warmup = 0;        // requests before measuring, excluded from results
  bool poisson = true;            // open loop: Poisson arrivals, else evenly spaced
  std::int64_t max_inflight = 0;  // open loop: cap on requests in flight (0 = none)
  int threads = 1;
  bool stream = true;
  bool ignore_eos = true;         // ask the server to generate exactly max_tokens
  bool completions = false;       // legacy /completions endpoint
  net::ClientOptions client;
  std::uint64_t seed = 1;
};

// Live figures for the progress display, updated by the I/O threads.
struct LiveCounters {
  std::atomic<std::int64_t> started{0}, completed{0}, failed{0}, in_flight{0}, output_tokens{0};
  std::atomic<std::int64_t> cancelled{0};  // in flight when the run was stopped: left out of the results
  // Set to end the run early (Ctrl-C): no new requests, those in flight aborted within ~25 ms.
  std::atomic<bool> stop{false};
  // Client errors (4xx but 408 and 429) before the level's first success. At
  // kRejectionsToStop the run stops with `rejected` set: a server that turns away
  // every request (a wrong URL, model or dialect) is not load-tested for minutes.
  std::atomic<std::int64_t> rejections{0};
  std::atomic<bool> rejected{false};
  static constexpr std::int64_t kRejectionsToStop = 20;
  void reset();
};

struct LevelRun {
  LoadLevel level;
  std::vector<RequestRecord> records;  // warm-up included (flagged), sorted by index
  Nanos started = 0;
  Nanos finished = 0;
};

Result<LevelRun> run_level(const providers::Endpoint& ep, const Workload& workload, const LoadLevel& level,
                           const RunOptions& options, LiveCounters& live);

// The canonical request bench sends for a workload item.
api::ChatRequest build_request(const RequestSpec& spec, const providers::Endpoint& ep, const RunOptions& options);

}  // namespace llmux::bench
