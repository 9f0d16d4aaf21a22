// Gemini request bodies: canonical ChatRequest <-> generateContent JSON.
#include "api/codec_util.hpp"
#include "api/gemini_codec.hpp"
#include "api/gemini_detail.hpp"
#include "api/tool_json.hpp"

namespace llmux::api::gemini {

namespace {

// Request members the codec merges with what it writes itself (kept in ChatRequest::extra
// holding only the members it does not model).
constexpr std::string_view kGenerationConfig = "generationConfig";
constexpr std::string_view kTools = "tools";

// "{...}" or "[...]" without its brackets, for splicing kept members into a container.
std::string_view inner(std::string_view json) {
  if (json.size() < 2) return {};
  return json.substr(1, json.size() - 2);
}

}  // namespace

// ---- canonical -> Gemini ----

void write_part(JsonWriter& w, const ContentPart& p) {
  switch (p.kind) {
    case ContentPart::Kind::text:
      w.begin_object().field("text", p.text);
      break;
    case ContentPart::Kind::image_url:
      if (auto d = util::parse_data_url(p.text)) {
        w.begin_object().key("inlineData").begin_object().field("mimeType", d->mime).field("data", d->data).end_object();
      } else {
        w.begin_object().key("fileData").begin_object().field("fileUri", p.text).end_object();
      }
      break;
    case ContentPart::Kind::raw:
      w.raw(p.text);
      return;
  }
  for (const auto& f : p.extra) w.raw_field(f.key, f.json);
  w.end_object();
}

namespace {

// A tool result as a functionResponse: its JSON object when it is one, else {"result": text}.
void write_function_response(JsonWriter& w, const std::vector<Message>& messages, std::size_t i) {
  const Message& m = messages[i];
  std::string name = m.name.empty() ? util::tool_name_for(messages, i, m.tool_call_id) : m.name;
  w.begin_object().key("functionResponse").begin_object();
  if (is_gemini_id(m.tool_call_id)) w.field("id", m.tool_call_id);
  w.field("name", name).key("response");
  std::string text = m.text();
  auto obj = util::arguments_object(text);
  if (obj && !text.empty() && !m.is_error) w.raw(*obj);
  else w.begin_object().field(m.is_error ? "error" : "result", text).end_object();
  w.end_object().end_object();
}

void write_contents(JsonWriter& w, const std::vector<Message>& messages) {
  w.key("contents").begin_array();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const Message& m = messages[i];
    if (m.role == Role::system || m.role == Role::developer) continue;
    if (m.role == Role::tool) {  // results of one turn's calls travel together
      w.begin_object().field("role", "user").key("parts").begin_array();
      for (; i < messages.size() && messages[i].role == Role::tool; ++i) write_function_response(w, messages, i);
      --i;
      w.end_array().end_object();
      continue;
    }
    bool model = m.role == Role::assistant;
    w.begin_object().field("role", model ? "model" : "user").key("parts");
    if (model) {
      write_model_parts(w, m);
    } else {
      w.begin_array();
      for (const auto& p : m.content) write_part(w, p);
      w.end_array();
    }
    for (const auto& f : m.extra) w.raw_field(f.key, f.json);
    w.end_object();
  }
  w.end_array();
}

void write_system(JsonWriter& w, const std::vector<Message>& messages) {
  bool any = false;
  for (const auto& m : messages) {
    if (m.role != Role::system && m.role != Role::developer) continue;
    if (!any) w.key("systemInstruction").begin_object().key("parts").begin_array();
    any = true;
    for (const auto& p : m.content) write_part(w, p);
  }
  if (any) w.end_array().end_object();
}

// The schema without its "$schema" member (a dialect marker, not a constraint).
std::string without_dollar_schema(const std::string& schema) {
  if (schema.find("\"$schema\"") == std::string::npos) return schema;
  simdjson::dom::parser parser;
  json::object o;
  if (parser.parse(schema).get(o) != simdjson::SUCCESS) return schema;
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  for (auto [key, value] : o)
    if (key != "$schema") w.raw_field(key, json::to_json(value));
  w.end_object();
  return out;
}

void write_tools(JsonWriter& w, const ChatRequest& req) {
  std::string_view others = inner(util::extra_value(req.extra, kTools));
  if (req.tools.empty() && others.empty()) return;
  w.key("tools").begin_array();
  if (!req.tools.empty()) {
    w.begin_object().key("functionDeclarations").begin_array();
    for (const auto& t : req.tools) {
      w.begin_object().field("name", t.name);
      if (!t.description.empty()) w.field("description", t.description);
      // A Gemini client's schema goes back as it came; anyone else's is JSON Schema,
      // which `parameters` (a subset of OpenAPI's) refuses in part (additionalProperties,
      // const, type lists): parametersJsonSchema takes it whole.
      if (t.parameters_json != "{}" && req.origin == Dialect::gemini) w.raw_field("parameters", t.parameters_json);
      else if (t.parameters_json != "{}") w.raw_field("parametersJsonSchema", without_dollar_schema(t.parameters_json));
      for (const auto& f : t.extra) w.raw_field(f.key, f.json);
      w.end_object();
    }
    w.end_array().end_object();
  }
  if (!others.empty()) w.raw(others);
  w.end_array();
}

// OpenAI-style tool_choice as functionCallingConfig.
void write_tool_config(JsonWriter& w, const std::string& tc) {
  if (tc.empty()) return;
  std::string mode = "AUTO", only;
  if (tc == "\"required\"") mode = "ANY";
  else if (tc == "\"none\"") mode = "NONE";
  else if (tc.front() == '{') {
    simdjson::dom::parser parser;
    json::object o;
    if (parser.parse(tc).get(o) == simdjson::SUCCESS)
      if (auto fn = json::get_object(o, "function")) {
        mode = "ANY";
        only = json::get_text(*fn, "name");
      }
  }
  w.key("toolConfig").begin_object().key("functionCallingConfig").begin_object().field("mode", mode);
  if (!only.empty()) w.key("allowedFunctionNames").begin_array().value(only).end_array();
  w.end_object().end_object();
}

void write_generation_config(JsonWriter& w, const ChatRequest& req) {
  const Sampling& s = req.sampling;
  std::string_view kept = inner(util::extra_value(req.extra, kGenerationConfig));
  if (!util::any_sampling(s) && kept.empty()) return;
  w.key(kGenerationConfig).begin_object();
  util::write_sampling(w, s, {"topP", "maxOutputTokens", "stopSequences"});
  if (!kept.empty()) w.raw(kept);
  w.end_object();
}

}  // namespace

std::string encode_request_body(const ChatRequest& request) {
  std::optional<ChatRequest> stripped;
  const ChatRequest& req = util::in_terms_of(request, Dialect::gemini, stripped);
  std::string out;
  out.reserve(256 + req.prompt.size());
  JsonWriter w(out);
  w.begin_object();
  if (req.endpoint == EndpointKind::completion) {
    w.key("contents").begin_array().begin_object().field("role", "user").key("parts").begin_array();
    w.begin_object().field("text", req.prompt).end_object().end_array().end_object().end_array();
  } else {
    write_contents(w, req.messages);
    write_system(w, req.messages);
  }
  write_tools(w, req);
  write_tool_config(w, req.tool_choice_json);
  write_generation_config(w, req);
  for (const auto& f : req.extra)
    if (f.key != kGenerationConfig && f.key != kTools) w.raw_field(f.key, f.json);
  w.end_object();
  return out;
}

// ---- Gemini -> canonical ----

namespace {

struct PendingCall {
  std::string id, name;
};

void decode_user_part(const json::object& part, Message& m, std::vector<Message>& results,
                      std::vector<PendingCall>& pending) {
  if (auto text = json::get_string(part, "text")) {
    m.content.push_back(ContentPart{ContentPart::Kind::text, std::string(*text), {}});
  } else if (auto inline_data = json::get_object(part, "inlineData")) {
    m.content.push_back(ContentPart{ContentPart::Kind::image_url,
                                    util::make_data_url(json::get_string(*inline_data, "mimeType").value_or(""),
                                                        json::get_string(*inline_data, "data").value_or("")),
                                    {}});
  } else if (auto file = json::get_object(part, "fileData")) {
    m.content.push_back(ContentPart{ContentPart::Kind::image_url, json::get_text(*file, "fileUri"), {}});
  } else if (auto fr = json::get_object(part, "functionResponse")) {
    Message t;
    t.role = Role::tool;
    t.name = json::get_text(*fr, "name");
    t.tool_call_id = json::get_text(*fr, "id");
    if (t.tool_call_id.empty()) {  // answers the first open call of that name
      for (auto it = pending.begin(); it != pending.end(); ++it)
        if (it->name == t.name) {
          t.tool_call_id = it->id;
          pending.erase(it);
          break;
        }
      if (t.tool_call_id.empty()) t.tool_call_id = "call_" + t.name;
    }
    t.content.push_back(ContentPart{ContentPart::Kind::text, util::member_json(*fr, "response").value_or("{}"), {}});
    results.push_back(std::move(t));
  } else {
    m.content.push_back(ContentPart{ContentPart::Kind::raw, json::to_json(part), {}});  // kept as it came
  }
}

Result<void> decode_content(const json::element& e, const std::string& where, std::vector<Message>& out,
                            std::vector<PendingCall>& pending, int& tool_ordinal) {
  json::object o;
  if (e.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, where + " must be an object");
  auto role = json::get_string(o, "role").value_or("user");
  if (role != "user" && role != "model") return fail(ErrorCode::parse, where + ".role must be \"user\" or \"model\"");
  Message m;
  m.role = role == "model" ? Role::assistant : Role::user;
  std::vector<Message> results;
  auto parts = json::get_array(o, "parts");
  if (!parts) return fail(ErrorCode::parse, where + ".parts must be an array");
  auto add_part = [&](const json::object& part, const std::string&) -> Result<void> {
    if (m.role == Role::assistant) decode_part(part, m, tool_ordinal);
    else decode_user_part(part, m, results, pending);
    return {};
  };
  if (auto r = json::for_each_object(*parts, where + ".parts", add_part); !r) return r;
  for (const auto& tc : m.tool_calls) pending.push_back({tc.id, tc.name});
  for (auto& r : results) out.push_back(std::move(r));
  if (results.empty() || !m.content.empty()) out.push_back(std::move(m));
  return {};
}

void decode_system(const json::object& si, ChatRequest& req) {
  Message sys;
  sys.role = Role::system;
  if (auto parts = json::get_array(si, "parts"))
    for (auto p : *parts) {
      json::object part;
      if (p.get(part) != simdjson::SUCCESS) continue;
      if (auto t = json::get_string(part, "text")) sys.content.push_back(ContentPart{ContentPart::Kind::text, std::string(*t), {}});
    }
  sys.content_as_parts = sys.content.size() != 1;
  req.messages.insert(req.messages.begin(), std::move(sys));
}

Result<void> decode_tools(const simdjson::dom::array& arr, ChatRequest& req) {
  std::string others;
  JsonWriter ow(others);
  ow.begin_array();
  for (auto e : arr) {
    json::object o;
    if (e.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, "tools entries must be objects");
    auto decls = json::get_array(o, "functionDeclarations");
    if (!decls) {
      ow.raw(json::to_json(e));  // googleSearch, codeExecution...: kept as they came
      continue;
    }
    for (auto d : *decls) {
      json::object fn;
      if (d.get(fn) != simdjson::SUCCESS) return fail(ErrorCode::parse, "functionDeclarations entries must be objects");
      ToolDef t = util::decode_tool_def(fn, {"parameters", "parametersJsonSchema"});
      if (t.name.empty()) return fail(ErrorCode::parse, "functionDeclarations[].name must be a string");
      req.tools.push_back(std::move(t));
    }
  }
  ow.end_array();
  if (others != "[]") req.extra.push_back(RawField{std::string(kTools), others});
  return {};
}

void decode_tool_config(const json::object& o, ChatRequest& req) {
  auto fcc = json::get_object(o, "functionCallingConfig");
  if (!fcc) return;
  auto mode = json::get_string(*fcc, "mode").value_or("AUTO");
  if (mode == "NONE") {
    req.tool_choice_json = "\"none\"";
  } else if (mode == "ANY") {
    req.tool_choice_json = "\"required\"";
    if (auto names = json::get_array(*fcc, "allowedFunctionNames"); names && names->size() == 1) {
      std::string_view name;
      if ((*names).at(0).get(name) == simdjson::SUCCESS) req.tool_choice_json = util::function_tool_choice(name);
    }
  } else {
    req.tool_choice_json = "\"auto\"";
  }
}

void decode_generation_config(const json::object& g, ChatRequest& req) {
  std::string kept;
  JsonWriter kw(kept);
  kw.begin_object();
  Sampling& s = req.sampling;
  for (auto [key, v] : g) {
    if (key == "temperature") s.temperature = json::get_double(g, key);
    else if (key == "topP") s.top_p = json::get_double(g, key);
    else if (key == "maxOutputTokens") s.max_tokens = json::get_int(g, key);
    else if (key == "seed") s.seed = json::get_int(g, key);
    else if (key == "stopSequences") {
      simdjson::dom::array arr;
      if (v.get(arr) == simdjson::SUCCESS)
        for (auto x : arr) s.stop.push_back(json::text_or_json(x));
    } else {
      kw.raw_field(key, json::to_json(v));
    }
  }
  kw.end_object();
  if (kept != "{}") req.extra.push_back(RawField{std::string(kGenerationConfig), kept});
}

}  // namespace

Result<ChatRequest> decode_request_body(std::string_view body, const ModelAction& action) {
  auto root = util::parse_request(body);
  if (!root) return tl::unexpected(root.error());
  ChatRequest req;
  req.origin = Dialect::gemini;
  req.model = action.model;
  req.stream = action.stream;
  req.include_usage = true;  // usageMetadata comes with every answer
  std::vector<PendingCall> pending;
  int tool_ordinal = 0;
  std::optional<json::object> system;
  for (auto [key, value] : *root) {
    if (key == "contents") {
      simdjson::dom::array arr;
      if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "contents must be an array");
      std::size_t i = 0;
      for (auto e : arr)
        if (auto r = decode_content(e, "contents[" + std::to_string(i++) + "]", req.messages, pending, tool_ordinal); !r)
          return tl::unexpected(r.error());
    } else if (key == "systemInstruction" || key == "system_instruction") {
      json::object o;
      if (value.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, "systemInstruction must be an object");
      system = o;
    } else if (key == "tools") {
      simdjson::dom::array arr;
      if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "tools must be an array");
      if (auto r = decode_tools(arr, req); !r) return tl::unexpected(r.error());
    } else if (key == "toolConfig") {
      json::object o;
      if (value.get(o) == simdjson::SUCCESS) decode_tool_config(o, req);
    } else if (key == "generationConfig") {
      json::object o;
      if (value.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, "generationConfig must be an object");
      decode_generation_config(o, req);
    } else {
      req.extra.push_back(RawField{std::string(key), json::to_json(value)});  // safetySettings, cachedContent...
    }
  }
  if (system) decode_system(*system, req);
  if (req.model.empty()) return fail(ErrorCode::parse, "the path names no model (models/{model}:generateContent)");
  if (req.messages.empty() || (system && req.messages.size() == 1))
    return fail(ErrorCode::parse, "contents is required and must not be empty");
  return req;
}

}  // namespace llmux::api::gemini
