// OpenAI whole responses, error bodies and finish reasons.
#include "api/codec_util.hpp"
#include "api/openai_codec.hpp"
#include "api/openai_detail.hpp"
#include "api/tool_json.hpp"

namespace llmux::api::openai {

FinishReason parse_finish_reason(std::string_view s) {
  if (s == "stop" || s == "eos" || s == "end_turn") return FinishReason::stop;
  if (s == "length" || s == "max_tokens") return FinishReason::length;
  if (s == "tool_calls" || s == "function_call") return FinishReason::tool_calls;
  if (s == "content_filter") return FinishReason::content_filter;
  if (s == "error" || s == "abort") return FinishReason::error;
  return FinishReason::stop;
}

std::string_view finish_reason_text(FinishReason f) {
  switch (f) {
    case FinishReason::length: return "length";
    case FinishReason::tool_calls: return "tool_calls";
    case FinishReason::content_filter: return "content_filter";
    case FinishReason::error: return "error";
    default: return "stop";
  }
}

void write_usage(JsonWriter& w, const Usage& u) {
  w.key("usage").begin_object();
  w.field("prompt_tokens", u.prompt_tokens).field("completion_tokens", u.completion_tokens);
  w.field("total_tokens", u.prompt_tokens + u.completion_tokens);
  if (u.cached_prompt_tokens)
    w.key("prompt_tokens_details").begin_object().field("cached_tokens", u.cached_prompt_tokens).end_object();
  if (u.reasoning_tokens)
    w.key("completion_tokens_details").begin_object().field("reasoning_tokens", u.reasoning_tokens).end_object();
  w.end_object();
}

Usage decode_usage(const json::object& u) {
  Usage usage;
  usage.source = Usage::Source::server;
  usage.prompt_tokens = json::get_int(u, "prompt_tokens").value_or(0);
  usage.completion_tokens = json::get_int(u, "completion_tokens").value_or(0);
  if (auto d = json::get_object(u, "prompt_tokens_details"))
    usage.cached_prompt_tokens = json::get_int(*d, "cached_tokens").value_or(0);
  if (auto d = json::get_object(u, "completion_tokens_details"))
    usage.reasoning_tokens = json::get_int(*d, "reasoning_tokens").value_or(0);
  return usage;
}

void apply_timings(const json::object& t, Usage& u) {
  auto ms_to_ns = [](double ms) { return static_cast<std::int64_t>(ms * 1e6); };
  u.timing.prompt_eval_ns = ms_to_ns(json::get_double(t, "prompt_ms").value_or(0));
  u.timing.eval_ns = ms_to_ns(json::get_double(t, "predicted_ms").value_or(0));
  u.timing.total_ns = u.timing.prompt_eval_ns + u.timing.eval_ns;
  if (u.present()) return;
  u.source = Usage::Source::server;
  u.prompt_tokens = json::get_int(t, "prompt_n").value_or(0) + json::get_int(t, "cache_n").value_or(0);
  u.cached_prompt_tokens = json::get_int(t, "cache_n").value_or(0);
  u.completion_tokens = json::get_int(t, "predicted_n").value_or(0);
}

std::string encode_response_body(const ChatResponse& resp, EndpointKind endpoint) {
  std::string out;
  out.reserve(384 + resp.message.text_size());
  JsonWriter w(out);
  bool chat = endpoint == EndpointKind::chat;
  w.begin_object().field("id", resp.id).field("object", chat ? "chat.completion" : "text_completion");
  w.field("created", resp.created).field("model", resp.model);
  w.key("choices").begin_array().begin_object().field("index", 0);
  if (chat) {
    const Message& m = resp.message;
    w.key("message").begin_object().field("role", "assistant");
    w.key("content");
    if (m.content.empty() && !m.tool_calls.empty()) w.null();
    else w.value(m.text());
    if (!m.reasoning.empty()) w.field("reasoning_content", m.reasoning);
    if (!m.tool_calls.empty()) write_tool_calls(w, m.tool_calls);
    w.end_object();
  } else {
    w.field("text", resp.message.text()).raw_field("logprobs", "null");
  }
  w.field("finish_reason", finish_reason_text(resp.finish)).end_object().end_array();
  if (resp.usage.present()) write_usage(w, resp.usage);
  w.end_object();
  return out;
}

Result<ChatResponse> decode_response_body(std::string_view body) {
  auto parsed = json::parse_object(body, "response body");
  if (!parsed) return tl::unexpected(parsed.error());
  const json::object& root = *parsed;
  ChatResponse r;
  r.id = json::get_text(root, "id");
  r.model = json::get_text(root, "model");
  r.created = json::get_int(root, "created").value_or(0);
  r.message.role = Role::assistant;
  auto choices = json::get_array(root, "choices");
  if (!choices) return fail(ErrorCode::malformed, "response has no choices array");
  for (auto c : *choices) {
    json::object choice;
    if (c.get(choice) != simdjson::SUCCESS) return fail(ErrorCode::malformed, "choices[0] is not an object");
    if (auto fr = json::get_string(choice, "finish_reason")) r.finish = parse_finish_reason(*fr);
    if (auto text = json::get_string(choice, "text")) r.message.content.push_back({ContentPart::Kind::text, std::string(*text), {}});
    if (auto msg = json::get_object(choice, "message")) {
      if (auto content = json::get_string(*msg, "content"))
        r.message.content.push_back({ContentPart::Kind::text, std::string(*content), {}});
      if (auto rc = json::get_string(*msg, "reasoning_content")) r.message.reasoning = std::string(*rc);
      else if (auto rs = json::get_string(*msg, "reasoning")) r.message.reasoning = std::string(*rs);
      if (auto calls = json::get_array(*msg, "tool_calls")) {
        for (auto e : *calls) {
          json::object o;
          if (e.get(o) == simdjson::SUCCESS) r.message.tool_calls.push_back(util::decode_function_call(o));
        }
      }
    }
    break;  // first choice only
  }
  if (auto u = json::get_object(root, "usage")) r.usage = decode_usage(*u);
  if (auto t = json::get_object(root, "timings")) apply_timings(*t, r.usage);
  return r;
}

std::string encode_error_body(const ApiError& e) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("error").begin_object().field("message", e.message);
  w.field("type", e.type.empty() ? "api_error" : e.type);
  if (e.param.empty()) w.key("param").null();
  else w.field("param", e.param);
  if (e.code.empty()) w.key("code").null();
  else w.field("code", e.code);
  w.end_object().end_object();
  return out;
}

namespace {

// type and code beside a message, in {"error":{...}} and in vLLM's flat {"object":"error",...}.
void read_type_and_code(const json::object& o, ApiError& e) {
  e.type = json::get_text(o, "type");
  e.param = json::get_text(o, "param");
  json::element code;
  if (o.at_key("code").get(code) == simdjson::SUCCESS && !code.is_null()) e.code = json::text_or_json(code);
}

// FastAPI's {"detail": "text"} or {"detail": [{"loc": [...], "msg": "..."}]} (validation errors).
std::string detail_text(const json::element& detail) {
  simdjson::dom::array items;
  if (detail.get(items) != simdjson::SUCCESS) return json::text_or_json(detail);
  std::string out;
  for (auto item : items) {
    json::object o;
    if (item.get(o) != simdjson::SUCCESS) continue;
    if (!out.empty()) out += "; ";
    out += json::get_string(o, "msg").value_or("invalid");
    std::string loc;
    if (auto path = json::get_array(o, "loc"))
      for (auto part : *path) loc += (loc.empty() ? "" : ".") + json::text_or_json(part);
    if (!loc.empty()) out += " (" + loc + ")";
  }
  return out.empty() ? json::to_json(detail) : out;
}

// {"error": {...}}, {"error": "text"}, a flat {"message": ...}, or FastAPI's {"detail": ...}.
void read_error(const json::object& root, ApiError& e) {
  json::element err, detail;
  if (root.at_key("error").get(err) == simdjson::SUCCESS) {
    json::object eo;
    if (err.get(eo) == simdjson::SUCCESS) {
      e.message = json::get_text(eo, "message");
      read_type_and_code(eo, e);
    } else {
      e.message = json::text_or_json(err);
    }
  } else if (auto m = json::get_string(root, "message")) {
    e.message = std::string(*m);
    read_type_and_code(root, e);
  } else if (root.at_key("detail").get(detail) == simdjson::SUCCESS) {
    e.message = detail_text(detail);
  }
}

}  // namespace

ApiError decode_error_body(int http_status, std::string_view body) {
  ApiError e;
  if (auto root = util::error_object(body)) read_error(*root, e);
  return util::complete_error(std::move(e), http_status, body);
}

Result<WireRequest> ClientCodecImpl::encode_request(const ChatRequest& req) const {
  if (auto r = util::check_parts_translate(req, Dialect::openai); !r) return tl::unexpected(r.error());
  WireRequest w;
  w.path = req.endpoint == EndpointKind::chat ? "chat/completions" : "completions";
  w.body = encode_request_body(req);
  return w;
}

std::unique_ptr<StreamDecoder> ClientCodecImpl::stream_decoder(const ChatRequest& req) const {
  return make_stream_decoder(req.endpoint);
}

Result<ChatRequest> ServerCodecImpl::decode_request(std::string_view path, std::string_view body) const {
  bool completion = path.ends_with("/completions") && !path.ends_with("/chat/completions");
  return decode_request_body(body, completion ? EndpointKind::completion : EndpointKind::chat);
}

std::string ServerCodecImpl::encode_response(const ChatResponse& resp, const ChatRequest& req) const {
  return encode_response_body(resp, req.endpoint);
}

std::unique_ptr<StreamEncoder> ServerCodecImpl::stream_encoder(const ChatRequest& req, ResponseMeta meta) const {
  return make_stream_encoder(req, std::move(meta), annotate_);
}

}  // namespace llmux::api::openai
