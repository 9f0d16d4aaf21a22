#pragma once
// Private to api/: small helpers over simdjson's DOM for the decoders, turning
// missing or mistyped fields into errors that name the field.
#include <simdjson.h>

#include <array>
#include <cstddef>
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

// The members named by `keys`, found in one pass over `o` (each at_key is a pass of its
// own: a hot decoder that asks for several keys, most of them absent, reads each chunk once
// this way). As with at_key, the first of duplicate keys counts.
template <std::size_t N>
std::array<std::optional<element>, N> members(const object& o, const std::array<std::string_view, N>& keys) {
  std::array<std::optional<element>, N> found;
  for (auto field : o)
    for (std::size_t i = 0; i < N; ++i)
      if (!found[i] && field.key == keys[i]) {
        found[i] = field.value;
        break;
      }
  return found;
}
// A member from members() as a string, object or array: nullopt when absent or of another type.
std::optional<std::string_view> as_string(const std::optional<element>& e);
std::optional<object> as_object(const std::optional<element>& e);
std::optional<simdjson::dom::array> as_array(const std::optional<element>& e);

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
