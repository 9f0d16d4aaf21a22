#pragma once
// A cloud model's price list: USD per million tokens, dated, with its source.
#include <string>
#include <vector>

namespace llmux::catalog {

struct CloudPrice {
  std::string id;         // "gpt-4o-mini"
  std::string name;
  std::string provider;   // openai, anthropic, google, mistral, deepseek, together, groq, ...
  double input_per_m = 0;         // USD per 1M input tokens
  double output_per_m = 0;        // USD per 1M output tokens
  double cached_input_per_m = -1; // USD per 1M cached input tokens; <0 = no discount
  int context = 0;                // tokens
  std::string open_model;         // catalog model id when this is a hosted open model
  std::string source;
  std::string date;
  std::vector<std::string> aliases;  // provider ids (dated snapshots, LiteLLM keys)

  double cached_or_input() const { return cached_input_per_m >= 0 ? cached_input_per_m : input_per_m; }
};

}  // namespace llmux::catalog
