#include "api/codec_util.hpp"

#include "api/codec.hpp"
#include "core/text.hpp"

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

void write_sampling(JsonWriter& w, const Sampling& s, const SamplingKeys& keys) {
  if (s.temperature) w.field("temperature", *s.temperature);
  if (s.top_p) w.field(keys.top_p, *s.top_p);
  if (s.max_tokens) w.field(keys.max_tokens, *s.max_tokens);
  if (!s.stop.empty()) {
    w.key(keys.stop).begin_array();
    for (const auto& x : s.stop) w.value(x);
    w.end_array();
  }
  if (s.seed) w.field("seed", *s.seed);
}

bool any_sampling(const Sampling& s) {
  return s.temperature || s.top_p || s.max_tokens || !s.stop.empty() || s.seed;
}

namespace {

// Gemini's schema (OpenAPI's subset: "type": "OBJECT", "nullable": true) as JSON Schema,
// which the other APIs take: types in lower case, nullable as a "null" type.
void write_json_schema(JsonWriter& w, json::element e) {
  json::object o;
  simdjson::dom::array a;
  if (e.get(o) == simdjson::SUCCESS) {
    bool nullable = json::get_bool(o, "nullable").value_or(false);
    w.begin_object();
    for (auto [key, value] : o) {
      if (key == "nullable") continue;
      std::string_view type;
      if (key == "type" && value.get(type) == simdjson::SUCCESS) {
        std::string lower = to_lower(type);
        w.key("type");
        if (nullable && lower != "null") w.begin_array().value(lower).value("null").end_array();
        else w.value(lower);
        continue;
      }
      w.key(key);
      write_json_schema(w, value);
    }
    w.end_object();
  } else if (e.get(a) == simdjson::SUCCESS) {
    w.begin_array();
    for (auto item : a) write_json_schema(w, item);
    w.end_array();
  } else {
    w.raw(json::to_json(e));
  }
}

std::string json_schema_of_gemini(const std::string& schema) {
  simdjson::dom::parser parser;
  json::element root;
  if (parser.parse(schema).get(root) != simdjson::SUCCESS) return schema;
  std::string out;
  JsonWriter w(out);
  write_json_schema(w, root);
  return out;
}

}  // namespace

const ChatRequest& in_terms_of(const ChatRequest& req, Dialect target, std::optional<ChatRequest>& stripped) {
  if (!req.origin || *req.origin == target) return req;
  stripped = req;
  ChatRequest& r = *stripped;
  r.extra.clear();
  for (auto& m : r.messages) {
    m.extra.clear();
    std::erase_if(m.content, [](const ContentPart& p) { return p.kind == ContentPart::Kind::raw; });
    for (auto& p : m.content) p.extra.clear();
  }
  for (auto& t : r.tools) {
    t.extra.clear();
    if (*req.origin == Dialect::gemini) t.parameters_json = json_schema_of_gemini(t.parameters_json);
  }
  return r;
}

Result<void> check_parts_translate(const ChatRequest& req, Dialect target) {
  if (!req.origin || *req.origin == target) return {};
  for (std::size_t i = 0; i < req.messages.size(); ++i)
    for (const auto& p : req.messages[i].content) {
      if (p.kind != ContentPart::Kind::raw) continue;
      std::string type = "unknown";
      simdjson::dom::parser parser;
      json::object o;
      if (parser.parse(p.text).get(o) == simdjson::SUCCESS) type = json::get_string(o, "type").value_or(type);
      if (type == "redacted_thinking") continue;  // the model's own, meaningless to another: dropped
      return fail(ErrorCode::usage,
                  "a content part of type '" + type + "' from the " + std::string(to_string(*req.origin)) +
                      " API has no equivalent in the " + std::string(to_string(target)) + " API",
                  "messages[" + std::to_string(i) + "]");
    }
  return {};
}

std::string_view extra_value(const std::vector<RawField>& extra, std::string_view key) {
  for (const auto& f : extra)
    if (f.key == key) return f.json;
  return {};
}

void write_annotation(JsonWriter& w, const StreamEvent& e) {
  w.key("llmux").begin_object().field("tokens", e.tokens).field("t", e.server_time_ns).end_object();
}

void apply_annotation(const json::object& chunk, std::vector<StreamEvent>& out, std::size_t first) {
  apply_annotation_note(json::get_object(chunk, "llmux"), out, first);
}

void apply_annotation_note(const std::optional<json::object>& note, std::vector<StreamEvent>& out, std::size_t first) {
  if (!note) return;
  auto tokens = json::get_int(*note, "tokens");
  auto t = json::get_int(*note, "t").value_or(0);
  for (std::size_t i = first; i < out.size(); ++i) {
    out[i].server_time_ns = t;
    if (tokens && out[i].is_token()) out[i].tokens = static_cast<int>(*tokens);
  }
}

void append_tool_calls(std::vector<ToolCall> calls, int first_index, std::vector<StreamEvent>& out) {
  for (auto& c : calls)
    out.push_back(StreamEvent::tool_call(first_index++, std::move(c.id), std::move(c.name), std::move(c.arguments)));
}

std::optional<std::string> member_json(const json::object& o, std::string_view key) {
  json::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  return json::to_json(e);
}

Result<json::object> parse_request(std::string_view body) {
  auto doc = json::parse(body, "request body");
  if (!doc) return fail(ErrorCode::parse, doc.error().message, doc.error().context);
  json::object root;
  if (doc->get(root) != simdjson::SUCCESS) return fail(ErrorCode::parse, "request body must be a JSON object");
  return root;
}

std::optional<json::object> error_object(std::string_view body) {
  auto doc = json::parse(body, "error body");
  json::object root;
  if (!doc || doc->get(root) != simdjson::SUCCESS) return std::nullopt;
  return root;
}

ApiError complete_error(ApiError e, int http_status, std::string_view body) {
  e.http_status = http_status;
  if (e.message.empty()) e.message = std::string(trim(body.substr(0, 300)));
  if (e.message.empty()) e.message = "HTTP " + std::to_string(http_status) + " with an empty body";
  return e;
}

}  // namespace llmux::api::util
