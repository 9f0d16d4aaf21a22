#pragma once
// llmux sim: a simulated inference server. It answers the OpenAI, Anthropic,
// Gemini or Ollama API (the server half of the same codecs bench and the gateway
// use) with generated text whose timing follows a profile (fixed or continuous
// batching), injects faults on request, and measures its own timing error: the
// ground truth bench is checked against.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "sim/options.hpp"

namespace llmux::sim {

struct SimStats {
  std::uint64_t requests = 0;          // generation requests received
  std::uint64_t completed = 0;         // answered in full
  std::uint64_t faults_injected = 0;
  std::uint64_t rejected = 0;          // 4xx for bad requests, 503 for a full queue
  std::uint64_t client_gone = 0;       // stopped because the client disconnected
  std::int64_t active_streams = 0;
  std::int64_t peak_streams = 0;
  std::uint64_t tokens = 0;
  std::string dialect;                // the API it serves: lets `llmux detect` know what it found
  // Lateness of token writes against their schedule, in ns.
  std::uint64_t lateness_count = 0;
  std::int64_t lateness_p50 = 0, lateness_p99 = 0, lateness_p999 = 0, lateness_max = 0;
  double lateness_mean = 0;

  std::string to_json() const;
  // A warning when the token writes ran late past `limit` at p99 (over at least 100
  // writes): the sim was past its capacity, and figures measured against it carry that
  // lateness. Empty when they kept to the schedule.
  std::string lateness_warning(std::int64_t limit_ns = 1'000'000) const;
};

class SimServer {
 public:
  explicit SimServer(SimOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  Result<void> start();
  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT/v1" (/v1beta for Gemini, /api for Ollama)
  void stop(Nanos grace = 2 * kNanosPerSecond);
  SimStats stats() const;
  // Request bodies received so far (only with SimOptions::record).
  std::vector<std::string> received() const;
  void reset_stats();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmux::sim
