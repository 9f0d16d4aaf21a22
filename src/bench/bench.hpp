#pragma once
// A whole `llmux bench` run: calibrate prompt lengths against the server's
// tokenizer, run each load level (or search for the highest one that meets the
// SLOs), and summarise. The CLI wires flags to BenchConfig and shows progress.
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench/result.hpp"
#include "bench/runner.hpp"
#include "bench/slo.hpp"
#include "bench/workload.hpp"
#include "providers/endpoint.hpp"

namespace llmux::bench {

struct BenchConfig {
  providers::Endpoint endpoint;
  WorkloadOptions workload;
  RunOptions run;
  std::vector<LoadLevel> levels;
  std::vector<Slo> slos;
  bool search = false;
  double search_max = 0;  // 0: 1024 users or 1000 requests/s
  bool calibrate = true;
  std::string command;
  std::string simulated_profile;  // non-empty when the endpoint is the built-in sim
  std::optional<Workload> prepared;  // built (prompt files loaded) by the caller; else from `workload`
  // The Server header of a /models lookup the caller already made (to pick the model);
  // unset: run_bench makes its own, to fail fast on an unreachable server.
  std::optional<std::string> probed_server;
};

struct BenchHooks {
  std::function<void(const std::string&)> info;               // one-line messages
  std::function<void(const LoadLevel&)> level_started;
  std::function<void(const LevelSummary&)> level_finished;
};

Result<BenchResult> run_bench(BenchConfig config, LiveCounters& live, const BenchHooks& hooks);

// Model ids the endpoint lists (/models), for defaulting --model and for errors. Waits at
// most side_request_timeout(client, kModelLookupTimeout) for the answer; a raised `stop`
// (Ctrl-C) cancels the wait (ErrorCode::cancelled).
constexpr Nanos kModelLookupTimeout = 10 * kNanosPerSecond;
// `server`, when given, receives the answer's Server header (an llmux sim names itself there).
Result<std::vector<std::string>> list_models(const providers::Endpoint& ep, net::ClientOptions client,
                                             std::string* server = nullptr,
                                             const std::atomic<bool>* stop = nullptr);
// How long a side request waits: `limit`, or the client's own limits when shorter.
Nanos side_request_timeout(const net::ClientOptions& client, Nanos limit);
// Whether a failed side request means the server cannot be reached (connect, TLS, no answer),
// and the error bench reports then (exit status 1). `client` is what the model lookup ran with.
bool unreachable(const Error& e);
Error unreachable_error(const providers::Endpoint& ep, const Error& e, const net::ClientOptions& client);
// Tokens per synthetic word, measured with the server's /tokenize; nullopt when it has none,
// gives no answer within kCalibrationTimeout (calibration is optional), or `stop` is raised.
constexpr Nanos kCalibrationTimeout = 5 * kNanosPerSecond;
std::optional<double> measure_tokens_per_word(const providers::Endpoint& ep, const Workload& w,
                                              net::ClientOptions client,
                                              const std::atomic<bool>* stop = nullptr);

}  // namespace llmux::bench
