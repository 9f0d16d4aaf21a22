#pragma once
// Private to api/: tools and tool calls as JSON where dialects share the shape — the
// OpenAI function form ({"type":"function","function":{...}}) that Ollama speaks too,
// and the members of a tool definition, which every dialect names alike but its schema.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "api/json_read.hpp"
#include "api/types.hpp"
#include "core/json_writer.hpp"

namespace llmux::api::util {

// "tools": [{"type":"function","function":{name, description, parameters, ...}}].
void write_function_tools(JsonWriter& w, const std::vector<ToolDef>& tools);

// The canonical tool_choice that names one function: {"type":"function","function":{"name":...}}.
std::string function_tool_choice(std::string_view name);

// {"id", "function": {"name", "arguments"}}: arguments as text, or the JSON of an object.
ToolCall decode_function_call(const json::object& call);

// A tool definition: name, description, the schema under any of `schema_keys`, and
// every other member kept verbatim.
ToolDef decode_tool_def(const json::object& def, std::initializer_list<std::string_view> schema_keys);

}  // namespace llmux::api::util
