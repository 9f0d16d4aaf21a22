// Ollama whole responses, counts and durations, done reasons and error bodies.
#include <ctime>

#include "api/codec_util.hpp"
#include "api/ollama_codec.hpp"
#include "api/ollama_detail.hpp"

namespace llmux::api::ollama {

FinishReason parse_done_reason(std::string_view s, bool saw_tool_call) {
  if (s == "length") return FinishReason::length;
  return saw_tool_call ? FinishReason::tool_calls : FinishReason::stop;  // stop, load, unload
}

std::string_view done_reason_text(FinishReason f) { return f == FinishReason::length ? "length" : "stop"; }

Usage decode_usage(const json::object& o) {
  Usage u;
  u.source = Usage::Source::server;
  u.prompt_tokens = json::get_int(o, "prompt_eval_count").value_or(0);
  u.completion_tokens = json::get_int(o, "eval_count").value_or(0);
  u.timing.total_ns = json::get_int(o, "total_duration").value_or(0);
  u.timing.load_ns = json::get_int(o, "load_duration").value_or(0);
  u.timing.prompt_eval_ns = json::get_int(o, "prompt_eval_duration").value_or(0);
  u.timing.eval_ns = json::get_int(o, "eval_duration").value_or(0);
  return u;
}

void write_usage(JsonWriter& w, const Usage& u) {
  w.field("total_duration", u.timing.total_ns).field("load_duration", u.timing.load_ns);
  w.field("prompt_eval_count", u.prompt_tokens).field("prompt_eval_duration", u.timing.prompt_eval_ns);
  w.field("eval_count", u.completion_tokens).field("eval_duration", u.timing.eval_ns);
}

std::string created_at(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string encode_response_body(const ChatResponse& resp, EndpointKind endpoint) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("model", resp.model).field("created_at", created_at(resp.created));
  if (endpoint == EndpointKind::completion) {
    w.field("response", resp.message.text());
    if (!resp.message.reasoning.empty()) w.field("thinking", resp.message.reasoning);
  } else {
    w.key("message").begin_object().field("role", "assistant").field("content", resp.message.text());
    if (!resp.message.reasoning.empty()) w.field("thinking", resp.message.reasoning);
    if (!resp.message.tool_calls.empty()) write_tool_calls(w, resp.message.tool_calls);
    w.end_object();
  }
  w.field("done", true).field("done_reason", done_reason_text(resp.finish));
  write_usage(w, resp.usage);
  w.end_object();
  return out;
}

Result<ChatResponse> decode_response_body(std::string_view body) {
  auto parsed = json::parse_object(body, "response body");
  if (!parsed) return tl::unexpected(parsed.error());
  const json::object& root = *parsed;
  ChatResponse r;
  r.model = json::get_text(root, "model");
  r.message.role = Role::assistant;
  std::string text;
  int ordinal = 0;
  if (auto msg = json::get_object(root, "message")) {
    text = json::get_string(*msg, "content").value_or("");
    r.message.reasoning = json::get_text(*msg, "thinking");
    if (auto calls = json::get_array(*msg, "tool_calls")) decode_tool_calls(*calls, r.message.tool_calls, ordinal);
  } else if (auto resp = json::get_string(root, "response")) {
    text = *resp;
    r.message.reasoning = json::get_text(root, "thinking");
  } else {
    return fail(ErrorCode::malformed, "response has neither message nor response");
  }
  if (!text.empty()) r.message.content.push_back(ContentPart{ContentPart::Kind::text, std::move(text), {}});
  if (json::get_bool(root, "done").value_or(false)) {
    r.finish = parse_done_reason(json::get_string(root, "done_reason").value_or("stop"), ordinal > 0);
    r.usage = decode_usage(root);
  }
  return r;
}

std::string encode_error_body(const ApiError& e) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("error", e.message).end_object();
  return out;
}

ApiError decode_error_body(int http_status, std::string_view body) {
  ApiError e;
  json::element err;
  if (auto root = util::error_object(body); root && root->at_key("error").get(err) == simdjson::SUCCESS) {
    json::object eo;
    if (err.get(eo) == simdjson::SUCCESS) {  // an OpenAI-style body from a proxy in front
      e.message = json::get_text(eo, "message");
      e.type = json::get_text(eo, "type");
    } else {
      e.message = json::text_or_json(err);
    }
  }
  return util::complete_error(std::move(e), http_status, body);
}

Result<WireRequest> ClientCodecImpl::encode_request(const ChatRequest& req) const {
  if (auto r = util::check_parts_translate(req, Dialect::ollama); !r) return tl::unexpected(r.error());
  for (std::size_t i = 0; i < req.messages.size(); ++i)
    for (const auto& p : req.messages[i].content)
      if (p.kind == ContentPart::Kind::image_url && !util::parse_data_url(p.text))
        return fail(ErrorCode::usage, "Ollama takes images only as inline base64 data, not URLs",
                    "messages[" + std::to_string(i) + "]");
  WireRequest w;
  w.path = req.endpoint == EndpointKind::completion ? "generate" : "chat";
  w.headers.emplace_back("content-type", "application/json");
  w.body = encode_request_body(req);
  return w;
}

std::unique_ptr<StreamDecoder> ClientCodecImpl::stream_decoder(const ChatRequest& req) const {
  return make_stream_decoder(req.endpoint);
}

Result<ChatRequest> ServerCodecImpl::decode_request(std::string_view path, std::string_view body) const {
  return decode_request_body(body, path.ends_with("/generate") ? EndpointKind::completion : EndpointKind::chat);
}

std::string ServerCodecImpl::encode_response(const ChatResponse& resp, const ChatRequest& req) const {
  return encode_response_body(resp, req.endpoint);
}

std::unique_ptr<StreamEncoder> ServerCodecImpl::stream_encoder(const ChatRequest& req, ResponseMeta meta) const {
  return make_stream_encoder(req.endpoint, std::move(meta), annotate_);
}

}  // namespace llmux::api::ollama
