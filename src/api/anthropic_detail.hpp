#pragma once
// Private to the Anthropic codec files.
#include "api/json_read.hpp"
#include "api/types.hpp"
#include "core/json_writer.hpp"

namespace llmux::api::anthropic {

// Usage as Anthropic counts it: input_tokens excludes cache reads and cache writes,
// which canonical prompt_tokens include (as OpenAI's do).
void write_usage(JsonWriter& w, const Usage& u);
// Merges the counts present in `u` into `into` (message_delta repeats only some).
void merge_usage(const json::object& u, Usage& into);

// One content block of a request or response message, into `m`. Returns false for a
// tool_result block (the caller makes it a Role::tool message).
Result<void> decode_block(const json::object& block, Message& m, const std::string& where);
// A message's content blocks, as Anthropic wants them.
void write_blocks(JsonWriter& w, const Message& m);

}  // namespace llmux::api::anthropic
