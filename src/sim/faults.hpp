#pragma once
// Which fault, if any, one request gets: drawn from the configured rates, or
// forced by the request's x-llmux-fault header. Pure.
#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "sim/options.hpp"
#include "sim/tokenizer.hpp"

namespace llmux::sim {

struct FaultPlan {
  int status = 0;            // answer with this HTTP error status instead of generating
  bool rate_limited = false; // answer 429 with Retry-After
  int retry_after_s = 1;
  int cut_after = -1;        // close the connection after this many tokens (-1: never)
  Nanos stall = 0;           // pause this long ...
  int stall_after = 0;       // ... after this many tokens
  Nanos slow_headers = 0;    // wait before sending the response head
  int malformed_at = -1;     // replace the chunk carrying this token index with broken JSON
  bool any() const {
    return status || rate_limited || cut_after >= 0 || stall || slow_headers || malformed_at >= 0;
  }
};

FaultPlan draw_faults(const FaultOptions& o, TextGenerator& rng, std::int64_t output_tokens);

// Parses "status=503", "cut-after=5", "stall=2s", "stall-after=3", "slow-headers=1s",
// "malformed", "malformed-at=2", "rate-limit", "retry-after=3"; several separated by ';'.
Result<FaultPlan> parse_fault_header(std::string_view value);

}  // namespace llmux::sim
