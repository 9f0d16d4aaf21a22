#pragma once
// Flag groups shared by several commands.
#include <string>

#include "core/error.hpp"
#include "core/text.hpp"
#include "sim/options.hpp"

namespace CLI {
class App;
}

namespace llmux::cli {

// The sim's timing profile, as flags (llmux sim, and bench's built-in target).
struct SimTimingFlags {
  std::string profile = "fixed";
  std::string ttft = "50ms", itl = "10ms";
  double jitter = 0;
  int tokens_per_chunk = 1;
  std::string spin = "200us";
  int max_batch = 64;
  int max_queue = 4096;
  std::string prefill_per_token = "0.05ms", decode_base = "8ms", decode_per_seq = "0.2ms";
  std::int64_t kv_tokens = 0;
};

void add_timing_flags(CLI::App& cmd, SimTimingFlags& f);

// A CLI11 check for --port values: empty when `text` is a port number (0-65535), else the
// one message for every way it is not (out of range, negative, not a number).
std::string check_port(std::string& text);
// Parses the durations and fills the profile part of `o` (and its description).
Result<void> apply_timing(const SimTimingFlags& f, sim::SimOptions& o);

}  // namespace llmux::cli
