#pragma once
// Private to the OpenAI codec files.
#include "api/json_read.hpp"
#include "api/types.hpp"
#include "core/json_writer.hpp"

namespace llmux::api::openai {

// "usage": {prompt_tokens, completion_tokens, total_tokens, and the details present}.
void write_usage(JsonWriter& w, const Usage& u);
Usage decode_usage(const json::object& u);
// llama.cpp's "timings" object: durations into u.timing, and its token counts into
// u when u has none from a usage object.
void apply_timings(const json::object& timings, Usage& u);

// "tool_calls": [{"id", "type":"function", "function":{"name", "arguments"}}], arguments as text.
void write_tool_calls(JsonWriter& w, const std::vector<ToolCall>& calls);

}  // namespace llmux::api::openai
