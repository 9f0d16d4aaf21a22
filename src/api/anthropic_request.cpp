// Anthropic Messages request bodies: canonical ChatRequest <-> JSON.
#include "api/anthropic_codec.hpp"
#include "api/anthropic_detail.hpp"
#include "api/codec_util.hpp"
#include "api/tool_json.hpp"

namespace llmux::api::anthropic {

namespace {

// ---- canonical -> Anthropic ----

void write_part(JsonWriter& w, const ContentPart& p) {
  switch (p.kind) {
    case ContentPart::Kind::text:
      w.begin_object().field("type", "text").field("text", p.text);
      break;
    case ContentPart::Kind::image_url:
      w.begin_object().field("type", "image").key("source").begin_object();
      if (auto d = util::parse_data_url(p.text))
        w.field("type", "base64").field("media_type", d->mime).field("data", d->data);
      else
        w.field("type", "url").field("url", p.text);
      w.end_object();
      break;
    case ContentPart::Kind::raw:
      w.raw(p.text);
      return;
  }
  for (const auto& f : p.extra) w.raw_field(f.key, f.json);
  w.end_object();
}

bool plain_text(const Message& m) {
  return !m.content_as_parts && m.content.size() == 1 && m.content[0].kind == ContentPart::Kind::text &&
         m.content[0].extra.empty();
}

void write_tool_result(JsonWriter& w, const Message& m) {
  w.begin_object().field("type", "tool_result").field("tool_use_id", m.tool_call_id);
  if (plain_text(m) || m.content.empty()) {
    w.field("content", m.text());
  } else {
    w.key("content").begin_array();
    for (const auto& p : m.content) write_part(w, p);
    w.end_array();
  }
  if (m.is_error) w.field("is_error", true);
  w.end_object();
}

}  // namespace

void write_blocks(JsonWriter& w, const Message& m) {
  w.begin_array();
  if (!m.reasoning.empty() || !m.reasoning_signature.empty()) {
    w.begin_object().field("type", "thinking").field("thinking", m.reasoning);
    w.field("signature", m.reasoning_signature).end_object();
  }
  for (const auto& p : m.content)  // Anthropic refuses empty text blocks ("must be non-empty")
    if (p.kind != ContentPart::Kind::text || !p.text.empty()) write_part(w, p);
  for (const auto& tc : m.tool_calls) {
    w.begin_object().field("type", "tool_use").field("id", tc.id).field("name", tc.name);
    w.raw_field("input", util::arguments_object(tc.arguments).value_or("{}")).end_object();
  }
  w.end_array();
}

namespace {

void write_content(JsonWriter& w, const Message& m) {
  w.key("content");
  if (plain_text(m) && m.tool_calls.empty() && m.reasoning.empty()) w.value(m.content[0].text);
  else write_blocks(w, m);
}

// Anthropic has one system prompt, at the top: every system and developer message goes there.
void write_system(JsonWriter& w, const std::vector<Message>& messages) {
  std::vector<const Message*> sys;
  for (const auto& m : messages)
    if (m.role == Role::system || m.role == Role::developer) sys.push_back(&m);
  if (sys.empty()) return;
  bool blocks = sys.size() > 1 || !plain_text(*sys[0]);
  if (!blocks) {
    w.field("system", sys[0]->content[0].text);
    return;
  }
  w.key("system").begin_array();
  for (const auto* m : sys)
    for (const auto& p : m->content) write_part(w, p);
  w.end_array();
}

// Tool results (and a user turn right after them) travel in one user message.
void write_messages(JsonWriter& w, const std::vector<Message>& messages) {
  w.key("messages").begin_array();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const Message& m = messages[i];
    if (m.role == Role::system || m.role == Role::developer) continue;
    if (m.role != Role::tool) {
      w.begin_object().field("role", m.role == Role::assistant ? "assistant" : "user");
      write_content(w, m);
      for (const auto& f : m.extra) w.raw_field(f.key, f.json);
      w.end_object();
      continue;
    }
    w.begin_object().field("role", "user").key("content").begin_array();
    for (; i < messages.size() && messages[i].role == Role::tool; ++i) write_tool_result(w, messages[i]);
    if (i < messages.size() && messages[i].role == Role::user) {
      for (const auto& p : messages[i].content) write_part(w, p);
    } else {
      --i;  // not a user turn: the loop visits it next
    }
    w.end_array().end_object();
  }
  w.end_array();
}

// OpenAI-style tool_choice ("auto", "required", {"type":"function",...}) as Anthropic's.
void write_tool_choice(JsonWriter& w, const ChatRequest& req) {
  const std::string& tc = req.tool_choice_json;
  bool no_parallel = req.parallel_tool_calls == false && !req.tools.empty();  // refused without tools
  if (tc.empty() && !no_parallel) return;
  std::string type = "auto", name;
  if (tc == "\"required\"" || tc == "\"any\"") type = "any";
  else if (tc == "\"none\"") type = "none";
  else if (!tc.empty() && tc.front() == '{') {
    simdjson::dom::parser parser;
    json::object o;
    if (parser.parse(tc).get(o) == simdjson::SUCCESS) {
      auto t = json::get_string(o, "type").value_or("auto");
      if (auto fn = json::get_object(o, "function")) {
        type = "tool";
        name = json::get_text(*fn, "name");
      } else {
        type = std::string(t == "function" ? "tool" : t);
        name = json::get_text(o, "name");
      }
    }
  }
  w.key("tool_choice").begin_object().field("type", type);
  if (type == "tool") w.field("name", name);
  if (no_parallel) w.field("disable_parallel_tool_use", true);
  w.end_object();
}

void write_tools(JsonWriter& w, const std::vector<ToolDef>& tools) {
  if (tools.empty()) return;
  w.key("tools").begin_array();
  for (const auto& t : tools) {
    w.begin_object().field("name", t.name);
    if (!t.description.empty()) w.field("description", t.description);
    w.raw_field("input_schema", t.parameters_json);
    for (const auto& f : t.extra) w.raw_field(f.key, f.json);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string encode_request_body(const ChatRequest& request) {
  std::optional<ChatRequest> stripped;
  const ChatRequest& req = util::in_terms_of(request, Dialect::anthropic, stripped);
  std::string out;
  out.reserve(256 + req.prompt.size());
  JsonWriter w(out);
  w.begin_object().field("model", req.model);
  w.field("max_tokens", req.sampling.max_tokens.value_or(kDefaultMaxTokens));
  write_system(w, req.messages);
  if (req.endpoint == EndpointKind::completion) {
    w.key("messages").begin_array().begin_object().field("role", "user").field("content", req.prompt);
    w.end_object().end_array();
  } else {
    write_messages(w, req.messages);
  }
  const Sampling& s = req.sampling;
  if (!s.stop.empty()) {
    w.key("stop_sequences").begin_array();
    for (const auto& x : s.stop) w.value(x);
    w.end_array();
  }
  if (s.temperature) w.field("temperature", *s.temperature);
  if (s.top_p) w.field("top_p", *s.top_p);
  write_tools(w, req.tools);
  write_tool_choice(w, req);
  if (req.stream) w.field("stream", true);
  for (const auto& f : req.extra) w.raw_field(f.key, f.json);
  w.end_object();
  return out;
}

// ---- Anthropic -> canonical ----

namespace {

Result<ContentPart> decode_image(const json::object& block) {
  ContentPart p;
  p.kind = ContentPart::Kind::image_url;
  auto src = json::get_object(block, "source");
  if (!src) return p;
  auto type = json::get_string(*src, "type").value_or("");
  if (type == "base64") {
    p.text = util::make_data_url(json::get_string(*src, "media_type").value_or(""),
                                 json::get_string(*src, "data").value_or(""));
  } else if (type == "url") {
    p.text = json::get_text(*src, "url");
  } else {
    p.kind = ContentPart::Kind::raw;  // file ids and other sources: kept as they came
  }
  return p;
}

void keep_extra_members(const json::object& block, ContentPart& p, std::initializer_list<std::string_view> known) {
  for (auto [key, value] : block) {
    bool k = false;
    for (auto x : known) k |= key == x;
    if (!k) p.extra.push_back(RawField{std::string(key), json::to_json(value)});
  }
}

}  // namespace

Result<void> decode_block(const json::object& block, Message& m, const std::string& where) {
  auto type = json::get_string(block, "type");
  if (!type) return fail(ErrorCode::parse, where + ".type must be a string");
  if (*type == "text") {
    auto text = json::get_string(block, "text");
    if (!text) return fail(ErrorCode::parse, where + ".text must be a string");
    ContentPart p{ContentPart::Kind::text, std::string(*text), {}};
    keep_extra_members(block, p, {"type", "text"});
    m.content.push_back(std::move(p));
  } else if (*type == "image") {
    auto p = decode_image(block);
    if (p->kind == ContentPart::Kind::raw) p->text = json::to_json(block);
    else keep_extra_members(block, *p, {"type", "source"});
    m.content.push_back(std::move(*p));
  } else if (*type == "tool_use") {
    ToolCall tc;
    tc.id = json::get_text(block, "id");
    tc.name = json::get_text(block, "name");
    tc.arguments = util::member_json(block, "input").value_or("{}");
    m.tool_calls.push_back(std::move(tc));
  } else if (*type == "thinking") {
    m.reasoning += json::get_string(block, "thinking").value_or("");
    m.reasoning_signature = json::get_text(block, "signature");
  } else {
    m.content.push_back(ContentPart{ContentPart::Kind::raw, json::to_json(block), {}});  // documents, redacted thinking...
  }
  return {};
}

namespace {

// tool_result content: a string, or text and image blocks.
Result<Message> decode_tool_result(const json::object& block, const std::string& where) {
  Message t;
  t.role = Role::tool;
  t.tool_call_id = json::get_text(block, "tool_use_id");
  if (t.tool_call_id.empty()) return fail(ErrorCode::parse, where + ".tool_use_id must be a non-empty string");
  t.is_error = json::get_bool(block, "is_error").value_or(false);
  json::element content;
  if (block.at_key("content").get(content) != simdjson::SUCCESS) return t;
  auto add_block = [&](const json::object& o, const std::string& w) { return decode_block(o, t, w); };
  auto r = util::decode_content(content, t, where + ".content", add_block);
  if (!r) return tl::unexpected(r.error());
  return t;
}

// One Anthropic message; tool_result blocks become Role::tool messages before it.
Result<void> decode_message(const json::element& e, const std::string& where, std::vector<Message>& out) {
  json::object o;
  if (e.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, where + " must be an object");
  auto role = json::get_string(o, "role");
  if (!role || (*role != "user" && *role != "assistant"))
    return fail(ErrorCode::parse, where + ".role must be \"user\" or \"assistant\"");
  Message m;
  m.role = *role == "user" ? Role::user : Role::assistant;
  bool had_results = false;
  auto add_block = [&](const json::object& block, const std::string& w) -> Result<void> {
    if (json::get_string(block, "type").value_or("") != "tool_result") return decode_block(block, m, w);
    auto t = decode_tool_result(block, w);
    if (!t) return tl::unexpected(t.error());
    out.push_back(std::move(*t));
    had_results = true;
    return {};
  };
  for (auto [key, value] : o) {
    if (key == "role") continue;
    if (key != "content") {
      m.extra.push_back(RawField{std::string(key), json::to_json(value)});
      continue;
    }
    auto r = util::decode_content(value, m, where + ".content", add_block);
    if (!r) return tl::unexpected(r.error());
    if (!*r) return fail(ErrorCode::parse, where + ".content must be a string or an array of content blocks");
  }
  if (!had_results || !m.content.empty() || !m.tool_calls.empty()) out.push_back(std::move(m));
  return {};
}

Result<void> decode_system(const json::element& value, ChatRequest& req) {
  Message sys;
  sys.role = Role::system;
  auto add_block = [&](const json::object& block, const std::string& w) { return decode_block(block, sys, w); };
  auto r = util::decode_content(value, sys, "system", add_block);
  if (!r) return tl::unexpected(r.error());
  if (!*r) return fail(ErrorCode::parse, "system must be a string or an array of text blocks");
  req.messages.insert(req.messages.begin(), std::move(sys));
  return {};
}

Result<void> decode_tools(const json::element& value, ChatRequest& req) {
  simdjson::dom::array arr;
  if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "tools must be an array");
  auto decode_tool = [&](const json::object& o, const std::string& where) -> Result<void> {
    if (!json::get_string(o, "name")) return fail(ErrorCode::parse, where + ".name must be a string");
    req.tools.push_back(util::decode_tool_def(o, {"input_schema"}));  // type, cache_control kept in extra
    return {};
  };
  return json::for_each_object(arr, "tools", decode_tool);
}

// Anthropic's tool_choice in the canonical (OpenAI) form; disable_parallel_tool_use
// becomes parallel_tool_calls: false.
void decode_tool_choice(const json::element& value, ChatRequest& req) {
  json::object o;
  if (value.get(o) != simdjson::SUCCESS) {
    req.tool_choice_json = json::to_json(value);
    return;
  }
  auto type = json::get_string(o, "type").value_or("auto");
  if (type == "any") req.tool_choice_json = "\"required\"";
  else if (type == "none") req.tool_choice_json = "\"none\"";
  else if (type == "tool") {
    req.tool_choice_json = util::function_tool_choice(json::get_string(o, "name").value_or(""));
  } else {
    req.tool_choice_json = "\"auto\"";
  }
  if (json::get_bool(o, "disable_parallel_tool_use").value_or(false)) req.parallel_tool_calls = false;
}

Result<void> decode_number_field(std::string_view key, const json::element& value, std::optional<double>& into) {
  double d;
  std::int64_t i;
  if (value.get(d) == simdjson::SUCCESS) into = d;
  else if (value.get(i) == simdjson::SUCCESS) into = static_cast<double>(i);
  else if (!value.is_null()) return fail(ErrorCode::parse, std::string(key) + " must be a number");
  return {};
}

Result<bool> decode_field(std::string_view key, const json::element& value, ChatRequest& req) {
  if (key == "model") {
    std::string_view s;
    if (value.get(s) != simdjson::SUCCESS) return fail(ErrorCode::parse, "model must be a string");
    req.model = std::string(s);
  } else if (key == "messages") {
    simdjson::dom::array arr;
    if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "messages must be an array");
    std::size_t i = 0;
    for (auto e : arr)
      if (auto r = decode_message(e, "messages[" + std::to_string(i++) + "]", req.messages); !r)
        return tl::unexpected(r.error());
  } else if (key == "max_tokens") {
    std::int64_t n;
    if (value.get(n) != simdjson::SUCCESS || n < 1) return fail(ErrorCode::parse, "max_tokens must be a positive integer");
    req.sampling.max_tokens = n;
  } else if (key == "stop_sequences") {
    simdjson::dom::array arr;
    if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "stop_sequences must be an array of strings");
    for (auto x : arr) {
      std::string_view t;
      if (x.get(t) != simdjson::SUCCESS) return fail(ErrorCode::parse, "stop_sequences must be an array of strings");
      req.sampling.stop.emplace_back(t);
    }
  } else if (key == "temperature" || key == "top_p") {
    auto r = decode_number_field(key, value, key == "temperature" ? req.sampling.temperature : req.sampling.top_p);
    if (!r) return tl::unexpected(r.error());
  } else if (key == "stream") {
    bool b = false;
    if (value.get(b) != simdjson::SUCCESS && !value.is_null()) return fail(ErrorCode::parse, "stream must be a boolean");
    req.stream = b;
  } else if (key == "tools") {
    if (auto r = decode_tools(value, req); !r) return tl::unexpected(r.error());
  } else if (key == "tool_choice") {
    decode_tool_choice(value, req);
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<ChatRequest> decode_request_body(std::string_view body, bool count_only) {
  auto root = util::parse_request(body);
  if (!root) return tl::unexpected(root.error());
  ChatRequest req;
  req.origin = Dialect::anthropic;
  req.include_usage = true;  // Anthropic streams always carry usage
  json::element system;
  bool has_system = false;
  for (auto [key, value] : *root) {
    if (key == "system") {
      system = value;
      has_system = true;
      continue;
    }
    auto known = decode_field(key, value, req);
    if (!known) return tl::unexpected(known.error());
    if (!*known) req.extra.push_back(RawField{std::string(key), json::to_json(value)});
  }
  if (has_system)
    if (auto r = decode_system(system, req); !r) return tl::unexpected(r.error());
  if (req.model.empty()) return fail(ErrorCode::parse, "model is required");
  // As Anthropic's API has it; a token count (/v1/messages/count_tokens) takes none.
  if (!req.sampling.max_tokens && !count_only) return fail(ErrorCode::parse, "max_tokens is required");
  if (req.messages.empty() || (has_system && req.messages.size() == 1))
    return fail(ErrorCode::parse, "messages is required and must not be empty");
  return req;
}

}  // namespace llmux::api::anthropic
