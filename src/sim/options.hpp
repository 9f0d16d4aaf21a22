#pragma once
// What the simulated server is told to do: timing profile, output lengths and
// faults. Plain structs, validated once (validate()).
#include <cstdint>
#include <string>
#include <vector>

#include "api/codec.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace llmux::sim {

enum class ProfileKind { fixed, batch };

// fixed: every request gets the same TTFT and inter-token latency.
struct FixedProfile {
  Nanos ttft = 50 * kNanosPerMilli;
  Nanos itl = 10 * kNanosPerMilli;
  double jitter = 0.0;       // relative, uniform in [-jitter, +jitter] around each gap
  int tokens_per_chunk = 1;  // tokens grouped into one streamed chunk
};

// batch: continuous batching. Each engine step decodes one token for every running
// sequence; newly admitted prompts are prefilled in the step that admits them.
struct BatchProfile {
  int max_batch = 64;
  int max_queue = 4096;                 // waiting requests beyond this get 503
  Nanos prefill_per_token = 50'000;     // 0.05 ms per prompt token
  Nanos decode_base = 8 * kNanosPerMilli;   // step time at batch size 1 ...
  Nanos decode_per_seq = 200'000;           // ... plus this per running sequence
  std::int64_t kv_tokens = 0;           // KV-cache capacity in tokens (0 = unlimited)
};

// Faults, each drawn per request with its probability (deterministic with --seed),
// or forced for one request with the x-llmux-fault header, e.g.
// "x-llmux-fault: status=503" / "cut-after=5" / "stall=2s" / "malformed" / "slow-headers=1s" / "rate-limit".
struct FaultOptions {
  double error_rate = 0;
  std::vector<int> error_statuses = {500};
  double rate_limit_rate = 0;
  int retry_after_s = 1;
  double cut_rate = 0;
  int cut_after_tokens = 0;
  double stall_rate = 0;
  Nanos stall = 30 * kNanosPerSecond;
  int stall_after_tokens = 0;
  Nanos slow_headers = 0;
  double malformed_rate = 0;
};

struct SimOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int threads = 1;
  api::Dialect dialect = api::Dialect::openai;
  std::vector<std::string> models = {"sim-model"};
  std::int64_t max_context = 131072;
  ProfileKind profile = ProfileKind::fixed;
  FixedProfile fixed;
  BatchProfile batch;
  std::int64_t default_max_tokens = 256;  // when the request sets none
  std::int64_t natural_mean_tokens = 200; // mean length when the model may stop on its own
  std::int64_t reasoning_tokens = 0;      // the answer starts with this many reasoning tokens
  FaultOptions faults;
  // The longest the sim polls its loop before a token (fixed) or a step (batch) is due
  // instead of sleeping (see sim/pacer.hpp); 0 sleeps until each deadline.
  Nanos spin = 200'000;
  std::uint64_t seed = 42;
  bool annotate = false;  // add {"llmux":{"tokens":k,"t":ns}} to chunks: ground truth for bench
  bool echo = false;      // the answer repeats the last user message (round-trip tests)
  bool record = false;    // keep every request body; GET /sim/received returns them (tests)
  std::string description = "fixed profile";  // shown at startup
  // The Ollama dialect's /api/show answer for the served models (the catalog model the
  // timing comes from, with `llmux sim --model`); empty: a body that names no architecture.
  std::string ollama_show;
};

Result<void> validate(const SimOptions& o);

}  // namespace llmux::sim
