#include "api/json_read.hpp"

namespace llmux::api::json {

simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

Result<element> parse(std::string_view text, std::string_view what) {
  element doc;
  auto err = thread_parser().parse(text.data(), text.size(), true).get(doc);
  if (err) {
    std::string preview(text.substr(0, 120));
    return fail(ErrorCode::malformed,
                std::string(what) + " is not valid JSON (" + simdjson::error_message(err) + ")",
                "starts with: " + preview);
  }
  return doc;
}

Result<object> parse_object(std::string_view text, std::string_view what) {
  auto doc = parse(text, what);
  if (!doc) return tl::unexpected(doc.error());
  object o;
  if (doc->get(o) != simdjson::SUCCESS)
    return fail(ErrorCode::malformed, std::string(what) + " is not a JSON object");
  return o;
}

namespace {

std::optional<element> member(const object& o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) == simdjson::SUCCESS) return e;
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> get_string(const object& o, std::string_view key) {
  return as_string(member(o, key));
}

std::string get_text(const object& o, std::string_view key) {
  return std::string(get_string(o, key).value_or(""));
}

std::optional<std::int64_t> get_int(const object& o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  std::int64_t v;
  if (e.get(v) == simdjson::SUCCESS) return v;
  double d;
  if (e.get(d) == simdjson::SUCCESS) return static_cast<std::int64_t>(d);
  return std::nullopt;
}

std::optional<double> get_double(const object& o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  double d;
  if (e.get(d) == simdjson::SUCCESS) return d;
  std::int64_t v;
  if (e.get(v) == simdjson::SUCCESS) return static_cast<double>(v);
  return std::nullopt;
}

std::optional<bool> get_bool(const object& o, std::string_view key) {
  bool b;
  if (o.at_key(key).get(b) == simdjson::SUCCESS) return b;
  return std::nullopt;
}

std::optional<object> get_object(const object& o, std::string_view key) { return as_object(member(o, key)); }

std::optional<simdjson::dom::array> get_array(const object& o, std::string_view key) {
  return as_array(member(o, key));
}

std::optional<std::string_view> as_string(const std::optional<element>& e) {
  std::string_view s;
  if (e && e->get(s) == simdjson::SUCCESS) return s;
  return std::nullopt;
}

std::optional<object> as_object(const std::optional<element>& e) {
  object v;
  if (e && e->get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

std::optional<simdjson::dom::array> as_array(const std::optional<element>& e) {
  simdjson::dom::array v;
  if (e && e->get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

bool is_null(const object& o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return true;
  return e.is_null();
}

std::string to_json(const element& e) { return simdjson::minify(e); }
std::string to_json(const object& o) { return simdjson::minify(o); }

std::string text_or_json(const element& e) {
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) return std::string(s);
  return to_json(e);
}

}  // namespace llmux::api::json
