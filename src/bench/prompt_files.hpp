#pragma once
// Prompt files for bench workloads. JSONL: one object per line, either
// {"messages": [{"role": ..., "content": ...}, ...]} or {"prompt": "..."},
// optionally with "output_tokens" (or "max_tokens"). ShareGPT: a JSON array of
// {"conversations": [{"from": "human", "value": ...}, {"from": "gpt", ...}]}; the
// first human turn is the prompt (a leading system turn goes with it as a system
// message), and the length of the answer that follows it sets the output length.
#include <string>
#include <vector>

#include "api/types.hpp"
#include "core/error.hpp"

namespace llmux::bench {

struct LoadedPrompt {
  std::vector<api::Message> messages;
  std::string prompt;
  std::int64_t output_tokens = 0;
  std::int64_t approx_input_tokens = 0;  // characters / 4 until the server counts
};

constexpr std::size_t kMaxPromptFileBytes = 2ull << 30;

Result<std::vector<LoadedPrompt>> load_prompts_jsonl(const std::string& path);
Result<std::vector<LoadedPrompt>> load_sharegpt(const std::string& path);
// The same, from text already in memory (`name` is used in messages).
Result<std::vector<LoadedPrompt>> parse_prompts_jsonl(std::string_view text, const std::string& name);
Result<std::vector<LoadedPrompt>> parse_sharegpt(std::string_view text, const std::string& name);

}  // namespace llmux::bench
