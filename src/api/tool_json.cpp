#include "api/tool_json.hpp"

#include <algorithm>

namespace llmux::api::util {

void write_function_tools(JsonWriter& w, const std::vector<ToolDef>& tools) {
  w.key("tools").begin_array();
  for (const auto& t : tools) {
    w.begin_object().field("type", "function").key("function").begin_object().field("name", t.name);
    if (!t.description.empty()) w.field("description", t.description);
    w.raw_field("parameters", t.parameters_json);
    for (const auto& f : t.extra) w.raw_field(f.key, f.json);
    w.end_object().end_object();
  }
  w.end_array();
}

std::string function_tool_choice(std::string_view name) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("type", "function").key("function").begin_object().field("name", name);
  w.end_object().end_object();
  return out;
}

ToolCall decode_function_call(const json::object& call) {
  ToolCall tc;
  tc.id = json::get_text(call, "id");
  if (auto fn = json::get_object(call, "function")) {
    tc.name = json::get_text(*fn, "name");
    json::element args;
    if ((*fn).at_key("arguments").get(args) == simdjson::SUCCESS) tc.arguments = json::text_or_json(args);
  }
  return tc;
}

ToolDef decode_tool_def(const json::object& def, std::initializer_list<std::string_view> schema_keys) {
  ToolDef t;
  for (auto [key, value] : def) {
    if (key == "name") t.name = json::text_or_json(value);
    else if (key == "description") t.description = json::text_or_json(value);
    else if (std::find(schema_keys.begin(), schema_keys.end(), key) != schema_keys.end())
      t.parameters_json = json::to_json(value);
    else t.extra.push_back(RawField{std::string(key), json::to_json(value)});
  }
  return t;
}

}  // namespace llmux::api::util
