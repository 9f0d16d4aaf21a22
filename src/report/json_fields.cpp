#include "report/json_fields.hpp"

#include "catalog/try.hpp"

namespace llmux::report::detail {

namespace {

std::string type_name(json::value_t t) {
  switch (t) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "true/false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "something else";
  }
}

bool same_kind(json::value_t want, const json& v) {
  if (want == json::value_t::number_float) return v.is_number();
  if (want == json::value_t::number_integer) return v.is_number_integer() || v.is_number_unsigned();
  return v.type() == want;
}

}  // namespace

Where Where::at(std::string_view key) const { return {file, path.empty() ? std::string(key) : path + "." + std::string(key)}; }

Where Where::at(std::size_t index) const { return {file, path + "[" + std::to_string(index) + "]"}; }

Error Where::error(const std::string& what) const {
  return Error{ErrorCode::parse, (path.empty() ? "" : "field " + path + ": ") + what, *file, 0};
}

Result<json> parse_document(const std::string& path, const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    return fail(ErrorCode::parse, std::string("not valid JSON: ") + e.what(), path);
  }
}

Result<void> check_schema(const json& doc, const std::string& path, std::string_view tool, int supported) {
  Where w{&path, ""};
  if (!doc.is_object()) return tl::unexpected(w.error("the file holds " + type_name(doc.type()) + ", not an llmux result object"));
  std::int64_t version = 0;
  LLMUX_TRY_ASSIGN(version, need_int(doc, "schema_version", w));
  if (version > supported)
    return tl::unexpected(w.error("schema_version " + std::to_string(version) + " is newer than this llmux understands (" +
                                  std::string(tool) + " schema_version " + std::to_string(supported) + "); upgrade llmux"));
  if (version < 1) return tl::unexpected(w.error("schema_version " + std::to_string(version) + " is not a valid version"));
  return {};
}

Result<const json*> need(const json& obj, std::string_view key, const Where& w, json::value_t type) {
  auto it = obj.find(key);
  if (it == obj.end()) return tl::unexpected(w.at(key).error("missing"));
  if (!same_kind(type, *it))
    return tl::unexpected(w.at(key).error("expected " + type_name(type) + ", got " + type_name(it->type())));
  return &*it;
}

Result<double> need_number(const json& obj, std::string_view key, const Where& w) {
  const json* v = nullptr;
  LLMUX_TRY_ASSIGN(v, need(obj, key, w, json::value_t::number_float));
  return v->get<double>();
}

Result<std::int64_t> need_int(const json& obj, std::string_view key, const Where& w) {
  const json* v = nullptr;
  LLMUX_TRY_ASSIGN(v, need(obj, key, w, json::value_t::number_integer));
  return v->get<std::int64_t>();
}

Result<std::string> need_string(const json& obj, std::string_view key, const Where& w) {
  const json* v = nullptr;
  LLMUX_TRY_ASSIGN(v, need(obj, key, w, json::value_t::string));
  return v->get<std::string>();
}

Result<bool> need_bool(const json& obj, std::string_view key, const Where& w) {
  const json* v = nullptr;
  LLMUX_TRY_ASSIGN(v, need(obj, key, w, json::value_t::boolean));
  return v->get<bool>();
}

Result<double> opt_number(const json& obj, std::string_view key, const Where& w, double fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  return need_number(obj, key, w);
}

Result<std::string> opt_string(const json& obj, std::string_view key, const Where& w, std::string fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  return need_string(obj, key, w);
}

Result<bool> opt_bool(const json& obj, std::string_view key, const Where& w, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  return need_bool(obj, key, w);
}

Result<std::vector<std::string>> opt_strings(const json& obj, std::string_view key, const Where& w) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_array()) return tl::unexpected(w.at(key).error("expected an array of strings, got " + type_name(it->type())));
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) return tl::unexpected(w.at(key).at(i).error("expected a string"));
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

}  // namespace llmux::report::detail
