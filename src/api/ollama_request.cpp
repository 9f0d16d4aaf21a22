// Ollama /api/chat and /api/generate request bodies: canonical ChatRequest <-> JSON.
#include "api/codec_util.hpp"
#include "api/ollama_codec.hpp"
#include "api/ollama_detail.hpp"
#include "api/tool_json.hpp"

namespace llmux::api::ollama {

namespace {

constexpr std::string_view kOptions = "options";  // kept in extra: the options llmux does not model

// ---- canonical -> Ollama ----

void write_images(JsonWriter& w, const Message& m) {
  bool any = false;
  for (const auto& p : m.content) {
    if (p.kind != ContentPart::Kind::image_url) continue;
    auto d = util::parse_data_url(p.text);
    if (!d) continue;  // encode_request refuses these before we get here
    if (!any) w.key("images").begin_array();
    any = true;
    w.value(d->data);
  }
  if (any) w.end_array();
}

void write_message(JsonWriter& w, const std::vector<Message>& messages, std::size_t i) {
  const Message& m = messages[i];
  std::string_view role = m.role == Role::developer ? "system" : to_string(m.role);
  w.begin_object().field("role", role).field("content", m.text());
  write_images(w, m);
  if (!m.reasoning.empty()) w.field("thinking", m.reasoning);
  if (!m.tool_calls.empty()) write_tool_calls(w, m.tool_calls);
  if (m.role == Role::tool) {
    std::string name = m.name.empty() ? util::tool_name_for(messages, i, m.tool_call_id) : m.name;
    if (!name.empty()) w.field("tool_name", name);
  }
  for (const auto& f : m.extra) w.raw_field(f.key, f.json);
  w.end_object();
}

// Sampling goes in options; num_predict is the output length. ignore_eos is an llmux
// extension the sim honours (Ollama ignores options it does not know, with a warning).
void write_options(JsonWriter& w, const ChatRequest& req) {
  const Sampling& s = req.sampling;
  std::string_view kept = util::extra_value(req.extra, kOptions);
  if (kept.size() >= 2) kept = kept.substr(1, kept.size() - 2);
  if (!util::any_sampling(s) && !req.ignore_eos && kept.empty()) return;
  w.key(kOptions).begin_object();
  util::write_sampling(w, s, {"top_p", "num_predict", "stop"});
  if (req.ignore_eos) w.field("ignore_eos", *req.ignore_eos);
  if (!kept.empty()) w.raw(kept);
  w.end_object();
}

}  // namespace

void write_tool_calls(JsonWriter& w, const std::vector<ToolCall>& calls) {
  w.key("tool_calls").begin_array();
  for (const auto& tc : calls) {
    w.begin_object().key("function").begin_object().field("name", tc.name);
    w.raw_field("arguments", util::arguments_object(tc.arguments).value_or("{}")).end_object().end_object();
  }
  w.end_array();
}

std::string encode_request_body(const ChatRequest& request) {
  std::optional<ChatRequest> stripped;
  const ChatRequest& req = util::in_terms_of(request, Dialect::ollama, stripped);
  std::string out;
  out.reserve(256 + req.prompt.size());
  JsonWriter w(out);
  w.begin_object().field("model", req.model);
  if (req.endpoint == EndpointKind::completion) {
    w.field("prompt", req.prompt);
  } else {
    w.key("messages").begin_array();
    for (std::size_t i = 0; i < req.messages.size(); ++i) write_message(w, req.messages, i);
    w.end_array();
    // Ollama has no tool_choice: "none" is told by sending no tools.
    if (!req.tools.empty() && req.tool_choice_json != "\"none\"") util::write_function_tools(w, req.tools);
  }
  w.field("stream", req.stream);  // Ollama streams unless told not to
  write_options(w, req);
  for (const auto& f : req.extra)
    if (f.key != kOptions) w.raw_field(f.key, f.json);
  w.end_object();
  return out;
}

// ---- Ollama -> canonical ----

void decode_tool_calls(const simdjson::dom::array& arr, std::vector<ToolCall>& calls, int& ordinal) {
  for (auto c : arr) {
    json::object o;
    if (c.get(o) != simdjson::SUCCESS) continue;
    ToolCall tc = util::decode_function_call(o);
    if (tc.id.empty()) tc.id = "call_" + std::to_string(ordinal);
    ++ordinal;
    calls.push_back(std::move(tc));
  }
}

namespace {

Result<Message> decode_message(const json::element& e, const std::string& where, int& ordinal) {
  json::object o;
  if (e.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, where + " must be an object");
  Message m;
  bool has_role = false;
  for (auto [key, value] : o) {
    if (key == "role") {
      auto role = parse_role(json::text_or_json(value));
      if (!role) return fail(ErrorCode::parse, where + ".role must be system, user, assistant or tool");
      m.role = *role;
      has_role = true;
    } else if (key == "content") {
      std::string_view s;
      if (value.get(s) == simdjson::SUCCESS) m.content.push_back(ContentPart{ContentPart::Kind::text, std::string(s), {}});
      else if (!value.is_null()) return fail(ErrorCode::parse, where + ".content must be a string");
    } else if (key == "images") {
      simdjson::dom::array arr;
      if (value.get(arr) != simdjson::SUCCESS) continue;
      for (auto img : arr) {
        std::string_view b64;
        if (img.get(b64) == simdjson::SUCCESS)
          m.content.push_back(
              ContentPart{ContentPart::Kind::image_url, util::make_data_url(util::sniff_image_mime(b64), b64), {}});
      }
    } else if (key == "thinking") {
      m.reasoning = json::text_or_json(value);
    } else if (key == "tool_calls") {
      simdjson::dom::array arr;
      if (value.get(arr) == simdjson::SUCCESS) decode_tool_calls(arr, m.tool_calls, ordinal);
    } else if (key == "tool_name") {
      m.name = json::text_or_json(value);
    } else if (key == "tool_call_id") {
      m.tool_call_id = json::text_or_json(value);
    } else {
      m.extra.push_back(RawField{std::string(key), json::to_json(value)});
    }
  }
  if (!has_role) return fail(ErrorCode::parse, where + ".role is required");
  return m;
}

Result<void> decode_tools(const simdjson::dom::array& arr, ChatRequest& req) {
  auto decode_tool = [&](const json::object& o, const std::string& where) -> Result<void> {
    auto fn = json::get_object(o, "function");
    if (!fn) return fail(ErrorCode::parse, where + ".function is missing");
    ToolDef t = util::decode_tool_def(*fn, {"parameters"});
    if (t.name.empty()) return fail(ErrorCode::parse, where + ".function.name must be a string");
    req.tools.push_back(std::move(t));
    return {};
  };
  return json::for_each_object(arr, "tools", decode_tool);
}

// Ollama's tool results name the function, not the call: each answers the first open
// call of that name (ids are made up as the calls were decoded).
void link_tool_result(Message& m, std::vector<std::pair<std::string, std::string>>& open_calls) {
  for (const auto& tc : m.tool_calls) open_calls.emplace_back(tc.id, tc.name);
  if (m.role != Role::tool || !m.tool_call_id.empty()) return;
  for (auto it = open_calls.begin(); it != open_calls.end(); ++it)
    if (m.name.empty() || it->second == m.name) {
      m.tool_call_id = it->first;
      if (m.name.empty()) m.name = it->second;
      open_calls.erase(it);
      return;
    }
  m.tool_call_id = "call_" + m.name;
}

void decode_options(const json::object& o, ChatRequest& req) {
  std::string kept;
  JsonWriter kw(kept);
  kw.begin_object();
  Sampling& s = req.sampling;
  for (auto [key, v] : o) {
    if (key == "temperature") s.temperature = json::get_double(o, key);
    else if (key == "top_p") s.top_p = json::get_double(o, key);
    else if (key == "num_predict") {
      auto n = json::get_int(o, key);
      if (n && *n >= 0) s.max_tokens = *n;  // -1: unlimited, -2: fill the context
      else kw.raw_field(key, json::to_json(v));
    } else if (key == "seed") s.seed = json::get_int(o, key);
    else if (key == "ignore_eos") req.ignore_eos = json::get_bool(o, key);
    else if (key == "stop") {
      simdjson::dom::array arr;
      std::string_view one;
      if (v.get(arr) == simdjson::SUCCESS) {
        for (auto x : arr) s.stop.push_back(json::text_or_json(x));
      } else if (v.get(one) == simdjson::SUCCESS) {
        s.stop.emplace_back(one);
      }
    } else {
      kw.raw_field(key, json::to_json(v));  // num_ctx, top_k, repeat_penalty...
    }
  }
  kw.end_object();
  if (kept != "{}") req.extra.push_back(RawField{std::string(kOptions), kept});
}

}  // namespace

Result<ChatRequest> decode_request_body(std::string_view body, EndpointKind endpoint) {
  auto root = util::parse_request(body);
  if (!root) return tl::unexpected(root.error());
  ChatRequest req;
  req.origin = Dialect::ollama;
  req.endpoint = endpoint;
  req.stream = true;         // Ollama's default
  req.include_usage = true;  // the final line always has the counts
  int ordinal = 0;
  for (auto [key, value] : *root) {
    if (key == "model") {
      req.model = json::text_or_json(value);
    } else if (key == "messages" && endpoint == EndpointKind::chat) {
      simdjson::dom::array arr;
      if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "messages must be an array");
      std::size_t i = 0;
      std::vector<std::pair<std::string, std::string>> open_calls;  // (id, name) not yet answered
      for (auto e : arr) {
        auto m = decode_message(e, "messages[" + std::to_string(i++) + "]", ordinal);
        if (!m) return tl::unexpected(m.error());
        link_tool_result(*m, open_calls);
        req.messages.push_back(std::move(*m));
      }
    } else if (key == "prompt" && endpoint == EndpointKind::completion) {
      req.prompt = json::text_or_json(value);
    } else if (key == "tools") {
      simdjson::dom::array arr;
      if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "tools must be an array");
      if (auto r = decode_tools(arr, req); !r) return tl::unexpected(r.error());
    } else if (key == "stream") {
      bool b = true;
      if (value.get(b) != simdjson::SUCCESS && !value.is_null()) return fail(ErrorCode::parse, "stream must be a boolean");
      req.stream = b;
    } else if (key == "options") {
      json::object o;
      if (value.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, "options must be an object");
      decode_options(o, req);
    } else {
      req.extra.push_back(RawField{std::string(key), json::to_json(value)});  // format, keep_alive, think, system...
    }
  }
  if (req.model.empty()) return fail(ErrorCode::parse, "model is required");
  if (endpoint == EndpointKind::chat && req.messages.empty())
    return fail(ErrorCode::parse, "messages is required and must not be empty");
  return req;
}

}  // namespace llmux::api::ollama
