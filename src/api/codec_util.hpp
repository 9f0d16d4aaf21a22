#pragma once
// Private to api/: small pieces every dialect codec needs — data URLs, tool-call
// argument JSON, tool names by call id, the sim's annotation, request and error
// bodies' JSON, and content given as a string or an array of parts.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json_read.hpp"
#include "api/types.hpp"
#include "core/json_writer.hpp"

namespace llmux::api::util {

struct DataUrl {
  std::string mime;
  std::string data;  // base64
};
// "data:image/png;base64,AAAA" -> {image/png, AAAA}; nullopt for anything else.
std::optional<DataUrl> parse_data_url(std::string_view url);
std::string make_data_url(std::string_view mime, std::string_view base64);
// The image type base64 data starts with (PNG, JPEG, GIF, WebP), for APIs that send bare base64.
std::string sniff_image_mime(std::string_view base64);

// Tool-call arguments as a JSON object for dialects that carry them as objects:
// the text when it is a JSON object, "{}" when empty; nullopt when it is not an object.
std::optional<std::string> arguments_object(std::string_view arguments);

// The function name of the call `id` among the assistant messages before `upto`.
std::string tool_name_for(const std::vector<Message>& messages, std::size_t upto, std::string_view id);

// All text of the system and developer messages, joined by blank lines.
std::string system_text(const std::vector<Message>& messages);

// The names a dialect gives the sampling fields (temperature and seed are alike everywhere).
struct SamplingKeys {
  std::string_view top_p, max_tokens, stop;
};
// The sampling fields that are set, in the order temperature, top_p, max_tokens, stop, seed.
void write_sampling(JsonWriter& w, const Sampling& s, const SamplingKeys& keys);
bool any_sampling(const Sampling& s);

// The request as `target`'s encoder may write it: what a decoder kept verbatim (extra
// members of the request, its messages, parts and tools; raw parts) is in the terms
// of the API that sent it (req.origin) and goes out only to that API. For another,
// `stripped` receives a copy without it and is returned.
const ChatRequest& in_terms_of(const ChatRequest& req, Dialect target, std::optional<ChatRequest>& stripped);
// A request `target` cannot be given without losing part of it: a content part kept
// verbatim from another API (an Anthropic document, an OpenAI input_audio...) is
// refused by name rather than dropped.
Result<void> check_parts_translate(const ChatRequest& req, Dialect target);

// The JSON of the kept field `key` among `extra`, or empty.
std::string_view extra_value(const std::vector<RawField>& extra, std::string_view key);

// The sim's ground truth, {"tokens":k,"t":ns}, added to chunks under "llmux".
void write_annotation(JsonWriter& w, const StreamEvent& e);
// Applies an annotation object to the events decoded from the same chunk (from `first`).
void apply_annotation(const json::object& chunk, std::vector<StreamEvent>& out, std::size_t first);
// The same with the chunk's "llmux" member already looked up (nullopt: none).
void apply_annotation_note(const std::optional<json::object>& note, std::vector<StreamEvent>& out, std::size_t first);

// Whole tool calls (dialects that send each call at once) as tool_call_delta events,
// numbered from first_index.
void append_tool_calls(std::vector<ToolCall> calls, int first_index, std::vector<StreamEvent>& out);

// The JSON text of a simdjson element's member, or nullopt.
std::optional<std::string> member_json(const json::object& o, std::string_view key);

// A request body as a JSON object; every failure is ErrorCode::parse (the client's fault).
Result<json::object> parse_request(std::string_view body);

// An error body's JSON object, or nullopt (a proxy's or a crash's body need not be JSON).
std::optional<json::object> error_object(std::string_view body);
// What every dialect's decode_error_body ends with: the status, and a message even when
// the body gave none (its first 300 bytes, else "HTTP <status> with an empty body").
ApiError complete_error(ApiError e, int http_status, std::string_view body);

// Message content given as a string (one text part) or as an array of objects: each
// element, with its path (where[i]), goes to on_part(const json::object&, const std::string&)
// -> Result<void>, and m.content_as_parts is set. Ok(false) when `value` is neither.
template <class F>
Result<bool> decode_content(const json::element& value, Message& m, const std::string& where, F&& on_part) {
  std::string_view s;
  simdjson::dom::array parts;
  if (value.get(s) == simdjson::SUCCESS) {
    m.content.push_back(ContentPart{ContentPart::Kind::text, std::string(s), {}});
    return true;
  }
  if (value.get(parts) != simdjson::SUCCESS) return false;
  m.content_as_parts = true;
  if (auto r = json::for_each_object(parts, where, on_part); !r) return tl::unexpected(r.error());
  return true;
}

}  // namespace llmux::api::util
