#pragma once
// Private to the Ollama codec files.
#include "api/json_read.hpp"
#include "api/types.hpp"
#include "core/json_writer.hpp"

namespace llmux::api::ollama {

// prompt_eval_count, eval_count and the durations of a final ("done": true) object.
Usage decode_usage(const json::object& o);
void write_usage(JsonWriter& w, const Usage& u);

// A message's tool_calls: each call whole, its arguments a JSON object.
void write_tool_calls(JsonWriter& w, const std::vector<ToolCall>& calls);
// message.tool_calls into `calls`; ids the server did not give are "call_<n>".
void decode_tool_calls(const simdjson::dom::array& arr, std::vector<ToolCall>& calls, int& ordinal);

// RFC 3339 UTC time for created_at ("2024-07-22T20:33:28.123456Z").
std::string created_at(std::int64_t unix_seconds);

}  // namespace llmux::api::ollama
