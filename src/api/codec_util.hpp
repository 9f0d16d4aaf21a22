#pragma once
// Private to api/: small pieces every dialect codec needs — data URLs, tool-call
// argument JSON, tool names by call id, the sim's annotation, and running bytes
// through the SSE parser or the NDJSON line splitter.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json_read.hpp"
#include "api/types.hpp"
#include "core/json_writer.hpp"
#include "net/line_splitter.hpp"
#include "net/sse_parser.hpp"

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

// The sim's ground truth, {"tokens":k,"t":ns}, added to chunks under "llmux".
void write_annotation(JsonWriter& w, const StreamEvent& e);
// Applies an annotation object to the events decoded from the same chunk (from `first`).
void apply_annotation(const json::object& chunk, std::vector<StreamEvent>& out, std::size_t first);

// The JSON text of a simdjson element's member, or nullopt.
std::optional<std::string> member_json(const json::object& o, std::string_view key);

// Feeds bytes to an SSE parser, calling on_event(const net::SseEvent&) -> Result<void>
// for each event until one fails.
template <class F>
Result<void> feed_sse(net::SseParser& parser, std::string_view bytes, F&& on_event) {
  Result<void> result;
  auto r = parser.feed(bytes, [&](const net::SseEvent& ev) {
    if (result) result = on_event(ev);
  });
  if (!r) return r;
  return result;
}

template <class F>
Result<void> finish_sse(net::SseParser& parser, F&& on_event) {
  Result<void> result;
  parser.finish([&](const net::SseEvent& ev) {
    if (result) result = on_event(ev);
  });
  return result;
}

// The same for NDJSON lines: on_line(std::string_view) -> Result<void>.
template <class F>
Result<void> feed_lines(net::LineSplitter& splitter, std::string_view bytes, F&& on_line) {
  Result<void> result;
  auto r = splitter.feed(bytes, [&](std::string_view line) {
    if (result) result = on_line(line);
  });
  if (!r) return r;
  return result;
}

template <class F>
Result<void> finish_lines(net::LineSplitter& splitter, F&& on_line) {
  Result<void> result;
  splitter.finish([&](std::string_view line) {
    if (result) result = on_line(line);
  });
  return result;
}

}  // namespace llmux::api::util
