#pragma once
// What the sim will answer to one request: how many tokens, of which kinds,
// with which finish reason and faults; and the token-by-token source of the
// answer. Pure: no sockets, no timers.
#include <cstdint>
#include <string>

#include "api/codec.hpp"
#include "api/types.hpp"
#include "sim/faults.hpp"
#include "sim/options.hpp"
#include "sim/tokenizer.hpp"

namespace llmux::sim {

struct Generation {
  api::ChatRequest request;
  api::ResponseMeta meta;
  std::int64_t prompt_tokens = 0;
  std::int64_t output_tokens = 0;     // total generated, reasoning included
  std::int64_t reasoning_tokens = 0;  // the first ones are reasoning
  bool tool_call = false;             // the visible output is one tool call
  std::string tool_name;
  api::FinishReason finish = api::FinishReason::stop;
  FaultPlan faults;
  std::uint64_t seed = 0;
  std::string echo;  // echo mode: the text the answer repeats
  // A stop sequence the answer reached: the answer ends just before it (the last token
  // cut to `last_token_bytes` when the sequence starts inside it, -1: whole).
  std::string stop_sequence;
  int last_token_bytes = -1;

  api::Usage usage() const;
};

// Decides the answer. Errors are the client's fault (context too long, bad fault header).
Result<Generation> plan_generation(api::ChatRequest request, const SimOptions& opts, std::uint64_t request_number,
                                   std::string_view fault_header);

// Produces the answer as chunks of up to `tokens_per_chunk` tokens of one kind.
class TokenSource {
 public:
  explicit TokenSource(const Generation& g) : g_(g), text_(g.seed) {}
  bool done() const { return emitted_ >= g_.output_tokens; }
  std::int64_t emitted() const { return emitted_; }
  // Fills `out` with the next chunk's event; returns the tokens it carries.
  int next(int tokens_per_chunk, api::StreamEvent& out);
  // The whole answer at once (non-streamed responses).
  api::ChatResponse whole();

 private:
  enum class Kind { reasoning, content, tool };
  Kind kind_at(std::int64_t i) const;
  std::string_view piece(std::int64_t i);
  std::string_view raw_piece(std::int64_t i);

  const Generation& g_;
  TextGenerator text_;
  std::vector<std::string_view> echo_;  // echo mode: the tokens to repeat
  std::int64_t emitted_ = 0;
};

}  // namespace llmux::sim
