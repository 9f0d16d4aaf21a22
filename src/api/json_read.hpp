#pragma once
// Private to api/: small helpers over simdjson's DOM for the decoders, turning
// missing or mistyped fields into errors that name the field.
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace llmux::api::json {

using simdjson::dom::element;
using simdjson::dom::object;

// One parser per thread, reused (its buffers grow to the largest document seen).
simdjson::dom::parser& thread_parser();

// Parses `text`; on failure an ErrorCode::malformed error that says what and where.
Result<element> parse(std::string_view text, std::string_view what);
// The same for a document that must be an object ("<what> is not a JSON object").
Result<object> parse_object(std::string_view text, std::string_view what);

std::optional<std::string_view> get_string(const object& o, std::string_view key);
// A string member's text; empty when it is missing or not a string.
std::string get_text(const object& o, std::string_view key);
std::optional<std::int64_t> get_int(const object& o, std::string_view key);
std::optional<double> get_double(const object& o, std::string_view key);
std::optional<bool> get_bool(const object& o, std::string_view key);
std::optional<object> get_object(const object& o, std::string_view key);
std::optional<simdjson::dom::array> get_array(const object& o, std::string_view key);
bool is_null(const object& o, std::string_view key);

// The element re-serialized (compact JSON).
std::string to_json(const element& e);
std::string to_json(const object& o);
// A JSON string value's text, or the JSON of anything else (for "content" that may be either).
std::string text_or_json(const element& e);

// Calls on_object(const object&, const std::string& where) -> Result<void> for each
// element of `arr`, where is its path ("messages[2]"), until one fails. An element that
// is not an object fails with ErrorCode::parse "<where> must be an object".
template <class F>
Result<void> for_each_object(const simdjson::dom::array& arr, const std::string& path, F&& on_object) {
  std::size_t i = 0;
  for (auto e : arr) {
    object o;
    std::string where = path + "[" + std::to_string(i++) + "]";
    if (e.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, where + " must be an object");
    if (auto r = on_object(o, where); !r) return r;
  }
  return {};
}

}  // namespace llmux::api::json
