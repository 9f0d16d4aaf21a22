#include "api/codec_util.hpp"

namespace llmux::api::util {

std::optional<DataUrl> parse_data_url(std::string_view url) {
  if (!url.starts_with("data:")) return std::nullopt;
  auto comma = url.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view head = url.substr(5, comma - 5);
  constexpr std::string_view kBase64 = ";base64";
  if (!head.ends_with(kBase64)) return std::nullopt;
  return DataUrl{std::string(head.substr(0, head.size() - kBase64.size())), std::string(url.substr(comma + 1))};
}

std::string make_data_url(std::string_view mime, std::string_view base64) {
  std::string out = "data:";
  out += mime.empty() ? std::string_view("application/octet-stream") : mime;
  out += ";base64,";
  out += base64;
  return out;
}

std::string sniff_image_mime(std::string_view b64) {
  if (b64.starts_with("iVBOR")) return "image/png";
  if (b64.starts_with("/9j/")) return "image/jpeg";
  if (b64.starts_with("R0lG")) return "image/gif";
  if (b64.starts_with("UklG")) return "image/webp";
  return "application/octet-stream";
}

std::optional<std::string> arguments_object(std::string_view arguments) {
  std::size_t i = 0;
  while (i < arguments.size() && (arguments[i] == ' ' || arguments[i] == '\n' || arguments[i] == '\t')) ++i;
  if (i == arguments.size()) return std::string("{}");
  // Its own parser: callers may hold a document of the shared one.
  thread_local simdjson::dom::parser parser;
  json::element doc;
  json::object o;
  if (parser.parse(arguments.data(), arguments.size(), true).get(doc) != simdjson::SUCCESS) return std::nullopt;
  if (doc.get(o) != simdjson::SUCCESS) return std::nullopt;
  return json::to_json(doc);
}

std::string tool_name_for(const std::vector<Message>& messages, std::size_t upto, std::string_view id) {
  for (std::size_t i = std::min(upto, messages.size()); i-- > 0;)
    for (const auto& tc : messages[i].tool_calls)
      if (tc.id == id) return tc.name;
  return {};
}

std::string system_text(const std::vector<Message>& messages) {
  std::string out;
  for (const auto& m : messages) {
    if (m.role != Role::system && m.role != Role::developer) continue;
    if (!out.empty()) out += "\n\n";
    out += m.text();
  }
  return out;
}

void write_annotation(JsonWriter& w, const StreamEvent& e) {
  w.key("llmux").begin_object().field("tokens", e.tokens).field("t", e.server_time_ns).end_object();
}

void apply_annotation(const json::object& chunk, std::vector<StreamEvent>& out, std::size_t first) {
  auto note = json::get_object(chunk, "llmux");
  if (!note) return;
  auto tokens = json::get_int(*note, "tokens");
  auto t = json::get_int(*note, "t").value_or(0);
  for (std::size_t i = first; i < out.size(); ++i) {
    out[i].server_time_ns = t;
    if (tokens && out[i].is_token()) out[i].tokens = static_cast<int>(*tokens);
  }
}

std::optional<std::string> member_json(const json::object& o, std::string_view key) {
  json::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  return json::to_json(e);
}

}  // namespace llmux::api::util
