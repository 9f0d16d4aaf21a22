#pragma once
// What bench sends: prompts of a chosen input length (synthetic text calibrated
// against the server's tokenizer, JSONL prompt files, ShareGPT dumps, shared
// prefixes) and output lengths, drawn from distributions. Deterministic: request
// i is the same for a given seed whatever thread builds it.
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "api/types.hpp"
#include "core/error.hpp"

namespace llmux::bench {

struct LengthDist {
  enum class Kind { fixed, uniform, normal, lognormal };
  Kind kind = Kind::fixed;
  double a = 128;  // fixed value; uniform low; normal/lognormal mean
  double b = 0;    // uniform high; normal stddev; lognormal sigma (of the log)
  std::int64_t sample(std::mt19937_64& rng) const;
  double mean() const;
  std::string describe() const;
};

// "512", "fixed:512", "uniform:100:1000", "normal:512:64", "lognormal:512:0.5".
Result<LengthDist> parse_length_dist(std::string_view text, std::string_view flag);

struct WorkloadOptions {
  LengthDist input{LengthDist::Kind::fixed, 512, 0};
  LengthDist output{LengthDist::Kind::fixed, 128, 0};
  bool output_from_file = false;       // prompt files carry their own output lengths
  std::string prompts_jsonl;           // {"messages":[...]} or {"prompt": "..."} per line
  std::string sharegpt_json;
  std::int64_t shared_prefix_tokens = 0;
  int prefix_groups = 1;
  std::string system_prompt;
  std::uint64_t seed = 1;
  bool completions_endpoint = false;   // legacy /completions with a prompt string
};

struct RequestSpec {
  std::vector<api::Message> messages;
  std::string prompt;                  // completions endpoint
  std::int64_t input_tokens = 0;       // planned (estimate until the server counts)
  std::int64_t max_tokens = 0;
};

class Workload {
 public:
  static Result<Workload> create(const WorkloadOptions& options);

  // Tokens per synthetic word, measured with the server's tokenizer.
  void calibrate(double tokens_per_word);
  double tokens_per_word() const { return tokens_per_word_; }
  bool calibrated() const { return calibrated_; }
  // A sample of synthetic text of about `words` words, for calibration.
  std::string sample_text(std::size_t words) const;

  RequestSpec make(std::int64_t index) const;
  std::string describe() const;
  const WorkloadOptions& options() const { return opts_; }

 private:
  std::string synthetic_text(std::int64_t tokens, std::mt19937_64& rng) const;

  struct FilePrompt {
    std::vector<api::Message> messages;
    std::string prompt;
    std::int64_t output_tokens = 0;  // 0: use the output distribution
    std::int64_t approx_input_tokens = 0;
  };
  WorkloadOptions opts_;
  std::vector<FilePrompt> file_prompts_;
  std::vector<std::string> prefixes_;
  double tokens_per_word_ = 1.0;
  bool calibrated_ = false;
};

}  // namespace llmux::bench
