// OpenAI request bodies: canonical ChatRequest <-> JSON.
#include <cmath>
#include <set>

#include "api/codec_util.hpp"
#include "api/openai_codec.hpp"
#include "api/openai_detail.hpp"
#include "api/tool_json.hpp"

namespace llmux::api::openai {

namespace {

void write_content(JsonWriter& w, const Message& m) {
  w.key("content");
  if (m.content.empty() && m.content_as_parts) {
    w.begin_array().end_array();  // the sender's empty parts array, as sent
    return;
  }
  if (m.content.empty()) {
    if (m.tool_calls.empty() && m.role != Role::assistant) w.value("");
    else w.null();
    return;
  }
  bool plain = !m.content_as_parts && m.content.size() == 1 && m.content[0].kind == ContentPart::Kind::text;
  if (plain) {
    w.value(m.content[0].text);
    return;
  }
  w.begin_array();
  for (const auto& p : m.content) {
    switch (p.kind) {
      case ContentPart::Kind::text:
        w.begin_object().field("type", "text").field("text", p.text).end_object();
        break;
      case ContentPart::Kind::image_url:
        w.begin_object().field("type", "image_url").key("image_url").begin_object().field("url", p.text);
        if (!p.detail.empty()) w.field("detail", p.detail);
        w.end_object().end_object();
        break;
      case ContentPart::Kind::raw:
        w.raw(p.text);
        break;
    }
  }
  w.end_array();
}

void write_message(JsonWriter& w, const Message& m) {
  w.begin_object().field("role", to_string(m.role));
  write_content(w, m);
  if (!m.name.empty()) w.field("name", m.name);
  if (!m.reasoning.empty()) w.field("reasoning_content", m.reasoning);
  if (!m.tool_calls.empty()) write_tool_calls(w, m.tool_calls);
  if (!m.tool_call_id.empty()) w.field("tool_call_id", m.tool_call_id);
  for (const auto& f : m.extra) w.raw_field(f.key, f.json);
  w.end_object();
}

}  // namespace

void write_tool_calls(JsonWriter& w, const std::vector<ToolCall>& calls) {
  w.key("tool_calls").begin_array();
  for (const auto& tc : calls) {
    w.begin_object().field("id", tc.id).field("type", "function").key("function").begin_object();
    w.field("name", tc.name).field("arguments", tc.arguments).end_object().end_object();
  }
  w.end_array();
}

std::string encode_request_body(const ChatRequest& request) {
  std::optional<ChatRequest> stripped;
  const ChatRequest& req = util::in_terms_of(request, Dialect::openai, stripped);
  std::string out;
  std::size_t size = 256 + req.prompt.size();
  for (const auto& m : req.messages) size += 64 + m.text_size();
  out.reserve(size);  // JSON escapes aside, one allocation
  JsonWriter w(out);
  w.begin_object().field("model", req.model);
  if (req.endpoint == EndpointKind::completion) {
    w.field("prompt", req.prompt);
  } else {
    w.key("messages").begin_array();
    for (const auto& m : req.messages) write_message(w, m);
    w.end_array();
  }
  if (!req.tools.empty()) util::write_function_tools(w, req.tools);
  if (!req.tool_choice_json.empty()) w.raw_field("tool_choice", req.tool_choice_json);
  const Sampling& s = req.sampling;
  std::string_view max_tokens = s.max_tokens_is_completion_field ? "max_completion_tokens" : "max_tokens";
  util::write_sampling(w, s, {"top_p", max_tokens, "stop"});
  if (req.stream) {
    w.field("stream", true);
    if (req.include_usage) w.key("stream_options").begin_object().field("include_usage", true).end_object();
  }
  if (req.ignore_eos) w.field("ignore_eos", *req.ignore_eos);
  for (const auto& f : req.extra) w.raw_field(f.key, f.json);
  // OpenAI refuses parallel_tool_calls in a request without tools.
  if (req.parallel_tool_calls && !req.tools.empty()) w.field("parallel_tool_calls", *req.parallel_tool_calls);
  w.end_object();
  return out;
}

namespace {

Result<ContentPart> decode_part(const json::object& o, const std::string& where) {
  auto type = json::get_string(o, "type");
  if (type && *type == "text") {
    auto text = json::get_string(o, "text");
    if (!text) return fail(ErrorCode::parse, where + ".text must be a string");
    return ContentPart{ContentPart::Kind::text, std::string(*text), {}};
  }
  if (type && *type == "image_url") {
    if (auto img = json::get_object(o, "image_url")) {
      auto url = json::get_string(*img, "url");
      if (!url) return fail(ErrorCode::parse, where + ".image_url.url must be a string");
      return ContentPart{ContentPart::Kind::image_url, std::string(*url), json::get_text(*img, "detail")};
    }
  }
  return ContentPart{ContentPart::Kind::raw, json::to_json(o), {}};
}

Result<void> decode_tool_calls(const simdjson::dom::array& arr, Message& m, const std::string& where) {
  auto decode_call = [&](const json::object& o, const std::string& w) -> Result<void> {
    if (!json::get_object(o, "function")) return fail(ErrorCode::parse, w + ".function is missing");
    m.tool_calls.push_back(util::decode_function_call(o));
    return {};
  };
  return json::for_each_object(arr, where + ".tool_calls", decode_call);
}

Result<void> decode_message_content(const json::element& value, Message& m, const std::string& where) {
  auto add_part = [&](const json::object& o, const std::string& w) -> Result<void> {
    auto part = decode_part(o, w);
    if (!part) return tl::unexpected(part.error());
    m.content.push_back(std::move(*part));
    return {};
  };
  auto parts = util::decode_content(value, m, where + ".content", add_part);
  if (!parts) return tl::unexpected(parts.error());
  if (!*parts && !value.is_null())
    return fail(ErrorCode::parse, where + ".content must be a string, an array of parts or null");
  return {};
}

Result<Message> decode_message(const json::element& e, const std::string& where) {
  json::object o;
  if (e.get(o) != simdjson::SUCCESS) return fail(ErrorCode::parse, where + " must be an object");
  Message m;
  bool has_role = false;
  for (auto [key, value] : o) {
    if (key == "role") {
      has_role = true;
      std::string_view r;
      if (value.get(r) != simdjson::SUCCESS) return fail(ErrorCode::parse, where + ".role must be a string");
      auto role = parse_role(r);
      if (!role)
        return fail(ErrorCode::parse, where + ".role '" + std::string(r) + "' is not one of system, developer, "
                                                                          "user, assistant, tool");
      m.role = *role;
    } else if (key == "content") {
      if (auto r = decode_message_content(value, m, where); !r) return tl::unexpected(r.error());
    } else if (key == "name") {
      m.name = json::text_or_json(value);
    } else if (key == "tool_call_id") {
      m.tool_call_id = json::text_or_json(value);
    } else if (key == "reasoning_content" || key == "reasoning") {
      if (!value.is_null()) m.reasoning = json::text_or_json(value);
    } else if (key == "tool_calls") {
      simdjson::dom::array arr;
      if (value.get(arr) == simdjson::SUCCESS) {
        if (auto r = decode_tool_calls(arr, m, where); !r) return tl::unexpected(r.error());
      } else if (!value.is_null()) {
        return fail(ErrorCode::parse, where + ".tool_calls must be an array");
      }
    } else {
      m.extra.push_back(RawField{std::string(key), json::to_json(value)});
    }
  }
  if (!has_role)
    return fail(ErrorCode::parse, where + ".role is required (one of system, developer, user, assistant, tool)");
  return m;
}

Result<void> decode_tools(const simdjson::dom::array& arr, ChatRequest& req) {
  auto decode_tool = [&](const json::object& o, const std::string& where) -> Result<void> {
    auto fn = json::get_object(o, "function");
    if (!fn) return fail(ErrorCode::parse, where + ".function is missing");
    if (!json::get_string(*fn, "name")) return fail(ErrorCode::parse, where + ".function.name must be a string");
    req.tools.push_back(util::decode_tool_def(*fn, {"parameters"}));
    return {};
  };
  return json::for_each_object(arr, "tools", decode_tool);
}

Result<void> decode_stop(const json::element& value, Sampling& s) {
  std::string_view one;
  simdjson::dom::array many;
  if (value.get(one) == simdjson::SUCCESS) {
    s.stop.emplace_back(one);
  } else if (value.get(many) == simdjson::SUCCESS) {
    for (auto x : many) {
      std::string_view t;
      if (x.get(t) != simdjson::SUCCESS) return fail(ErrorCode::parse, "stop must be a string or an array of strings");
      s.stop.emplace_back(t);
    }
  } else if (!value.is_null()) {
    return fail(ErrorCode::parse, "stop must be a string or an array of strings");
  }
  return {};
}

std::optional<double> number_of(const json::element& e) {
  double d;
  if (e.get(d) == simdjson::SUCCESS) return d;
  std::int64_t i;
  if (e.get(i) == simdjson::SUCCESS) return static_cast<double>(i);
  return std::nullopt;
}

// An integer JSON number (7, or 7.0 as some clients send it); nullopt for fractions,
// values out of int64 range and anything that is not a number.
std::optional<std::int64_t> integer_of(const json::element& e) {
  std::int64_t i;
  if (e.get(i) == simdjson::SUCCESS) return i;
  double d;
  if (e.type() != simdjson::dom::element_type::DOUBLE || e.get(d) != simdjson::SUCCESS) return std::nullopt;
  if (std::trunc(d) != d || d < -9.2e18 || d > 9.2e18) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

// One top-level field; returns false if the field is not one the codec models.
Result<bool> decode_known_field(std::string_view key, const json::element& value, ChatRequest& req) {
  auto need_number = [&](std::string_view k) -> Result<double> {
    auto n = number_of(value);
    if (!n) return fail(ErrorCode::parse, std::string(k) + " must be a number");
    return *n;
  };
  if (key == "model") {
    std::string_view s;
    if (value.get(s) != simdjson::SUCCESS) return fail(ErrorCode::parse, "model must be a string");
    req.model = std::string(s);
  } else if (key == "messages" && req.endpoint == EndpointKind::chat) {
    simdjson::dom::array arr;
    if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "messages must be an array");
    std::size_t i = 0;
    for (auto e : arr) {
      auto m = decode_message(e, "messages[" + std::to_string(i++) + "]");
      if (!m) return tl::unexpected(m.error());
      req.messages.push_back(std::move(*m));
    }
  } else if (key == "prompt" && req.endpoint == EndpointKind::completion) {
    // One prompt, as text: a list of one string is that string; several prompts (a
    // batch) or token ids are refused rather than sent on as the list's JSON text.
    std::string_view text;
    simdjson::dom::array list;
    if (value.get(text) == simdjson::SUCCESS) {
      req.prompt = std::string(text);
    } else if (value.get(list) == simdjson::SUCCESS && list.size() == 1 && list.at(0).get(text) == simdjson::SUCCESS) {
      req.prompt = std::string(text);
    } else {
      return fail(ErrorCode::parse, "prompt must be a string (or a list of one string): llmux sends one prompt per "
                                    "request, as text, not a batch or token ids");
    }
  } else if (key == "tools") {
    simdjson::dom::array arr;
    if (value.get(arr) != simdjson::SUCCESS) return fail(ErrorCode::parse, "tools must be an array");
    if (auto r = decode_tools(arr, req); !r) return tl::unexpected(r.error());
  } else if (key == "tool_choice") {
    req.tool_choice_json = json::to_json(value);
  } else if (key == "temperature" || key == "top_p") {
    if (value.is_null()) return true;
    auto n = need_number(key);
    if (!n) return tl::unexpected(n.error());
    (key == "temperature" ? req.sampling.temperature : req.sampling.top_p) = *n;
  } else if (key == "max_tokens" || key == "max_completion_tokens") {
    if (value.is_null()) return true;
    auto n = integer_of(value);
    if (!n) return fail(ErrorCode::parse, std::string(key) + " must be an integer");
    if (*n < 0) return fail(ErrorCode::parse, std::string(key) + " must not be negative");
    req.sampling.max_tokens = *n;
    req.sampling.max_tokens_is_completion_field = key == "max_completion_tokens";
  } else if (key == "stop") {
    if (auto r = decode_stop(value, req.sampling); !r) return tl::unexpected(r.error());
  } else if (key == "seed") {
    if (value.is_null()) return true;
    // Read as an integer, never through double: seeds above 2^53 must survive exactly.
    auto n = integer_of(value);
    if (!n) return fail(ErrorCode::parse, "seed must be an integer between -2^63 and 2^63-1");
    req.sampling.seed = *n;
  } else if (key == "stream") {
    bool b = false;
    if (value.get(b) != simdjson::SUCCESS && !value.is_null()) return fail(ErrorCode::parse, "stream must be a boolean");
    req.stream = b;
  } else if (key == "stream_options") {
    json::object o;
    if (value.get(o) == simdjson::SUCCESS) req.include_usage = json::get_bool(o, "include_usage").value_or(false);
  } else if (key == "ignore_eos") {
    bool b = false;
    if (value.get(b) != simdjson::SUCCESS) return fail(ErrorCode::parse, "ignore_eos must be a boolean");
    req.ignore_eos = b;
  } else if (key == "n") {  // several choices: llmux relays, times and simulates one
    auto n = integer_of(value);
    if (n && *n > 1)
      return fail(ErrorCode::parse, "n = " + std::to_string(*n) + ": llmux answers with one choice; send " +
                                        std::to_string(*n) + " requests instead");
    return false;  // n = 1 goes on as it came
  } else if (key == "parallel_tool_calls") {
    if (value.is_null()) return true;
    bool b = false;
    if (value.get(b) != simdjson::SUCCESS) return fail(ErrorCode::parse, "parallel_tool_calls must be a boolean");
    req.parallel_tool_calls = b;
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<ChatRequest> decode_request_body(std::string_view body, EndpointKind endpoint) {
  auto root = util::parse_request(body);
  if (!root) return tl::unexpected(root.error());
  ChatRequest req;
  req.origin = Dialect::openai;
  req.endpoint = endpoint;
  for (auto [key, value] : *root) {
    auto known = decode_known_field(key, value, req);
    if (!known) return tl::unexpected(known.error());
    if (!*known) req.extra.push_back(RawField{std::string(key), json::to_json(value)});
  }
  if (req.model.empty()) return fail(ErrorCode::parse, "model is required");
  if (endpoint == EndpointKind::chat && req.messages.empty())
    return fail(ErrorCode::parse, "messages is required and must not be empty");
  return req;
}

}  // namespace llmux::api::openai
