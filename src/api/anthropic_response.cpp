// Anthropic whole responses, usage, stop reasons and error bodies.
#include "api/anthropic_codec.hpp"
#include "api/anthropic_detail.hpp"
#include "api/codec_util.hpp"

namespace llmux::api::anthropic {

FinishReason parse_stop_reason(std::string_view s) {
  if (s == "end_turn" || s == "stop_sequence" || s == "pause_turn") return FinishReason::stop;
  if (s == "max_tokens" || s == "model_context_window_exceeded") return FinishReason::length;
  if (s == "tool_use") return FinishReason::tool_calls;
  if (s == "refusal") return FinishReason::content_filter;
  return FinishReason::stop;
}

std::string_view stop_reason_text(FinishReason f, bool stop_sequence) {
  switch (f) {
    case FinishReason::length: return "max_tokens";
    case FinishReason::tool_calls: return "tool_use";
    case FinishReason::content_filter: return "refusal";
    default: return stop_sequence ? "stop_sequence" : "end_turn";
  }
}

void write_usage(JsonWriter& w, const Usage& u) {
  std::int64_t input = std::max<std::int64_t>(0, u.prompt_tokens - u.cached_prompt_tokens - u.cache_write_tokens);
  w.key("usage").begin_object().field("input_tokens", input);
  if (u.cache_write_tokens) w.field("cache_creation_input_tokens", u.cache_write_tokens);
  if (u.cached_prompt_tokens) w.field("cache_read_input_tokens", u.cached_prompt_tokens);
  w.field("output_tokens", u.completion_tokens).end_object();
}

void merge_usage(const json::object& u, Usage& into) {
  // Kept apart while merging: prompt_tokens is their sum, recomputed below.
  std::int64_t input = into.prompt_tokens - into.cached_prompt_tokens - into.cache_write_tokens;
  if (auto v = json::get_int(u, "input_tokens")) input = *v;
  if (auto v = json::get_int(u, "cache_read_input_tokens")) into.cached_prompt_tokens = *v;
  if (auto v = json::get_int(u, "cache_creation_input_tokens")) into.cache_write_tokens = *v;
  if (auto v = json::get_int(u, "output_tokens")) into.completion_tokens = *v;
  into.prompt_tokens = input + into.cached_prompt_tokens + into.cache_write_tokens;
  into.source = Usage::Source::server;
}

std::string encode_response_body(const ChatResponse& resp) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("id", resp.id).field("type", "message").field("role", "assistant");
  w.field("model", resp.model).key("content");
  Message m = resp.message;
  m.content_as_parts = true;
  write_blocks(w, m);  // an empty answer is "content": [], as Anthropic's own
  w.field("stop_reason", stop_reason_text(resp.finish, !resp.stop_sequence.empty()));
  if (resp.stop_sequence.empty()) w.key("stop_sequence").null();
  else w.field("stop_sequence", resp.stop_sequence);
  write_usage(w, resp.usage);
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
  r.message.role = Role::assistant;
  auto content = json::get_array(root, "content");
  if (!content) return fail(ErrorCode::malformed, "response has no content array");
  std::size_t i = 0;
  for (auto b : *content) {
    json::object block;
    std::string where = "content[" + std::to_string(i++) + "]";
    if (b.get(block) != simdjson::SUCCESS) return fail(ErrorCode::malformed, where + " is not an object");
    if (auto d = decode_block(block, r.message, where); !d) return fail(ErrorCode::malformed, d.error().message);
  }
  if (auto sr = json::get_string(root, "stop_reason")) r.finish = parse_stop_reason(*sr);
  r.stop_sequence = json::get_text(root, "stop_sequence");
  if (auto u = json::get_object(root, "usage")) merge_usage(*u, r.usage);
  return r;
}

namespace {
// Anthropic's error types follow the status; other types (OpenAI's, llmux's own)
// are not theirs, and a client may switch on this one.
std::string_view anthropic_error_type(const ApiError& e) {
  switch (e.http_status) {
    case 400: case 405: case 408: case 422: case 431: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503: case 529: return "overloaded_error";
    default: break;
  }
  for (std::string_view t : {"invalid_request_error", "authentication_error", "permission_error", "not_found_error",
                             "request_too_large", "rate_limit_error", "api_error", "overloaded_error"})
    if (e.type == t) return t;
  return "api_error";
}
}  // namespace

std::string encode_error_body(const ApiError& e) {
  std::string_view type = anthropic_error_type(e);
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("type", "error").key("error").begin_object();
  w.field("type", type).field("message", e.message).end_object().end_object();
  return out;
}

ApiError decode_error_body(int http_status, std::string_view body) {
  ApiError e;
  if (auto root = util::error_object(body)) {
    if (auto err = json::get_object(*root, "error")) {
      e.type = json::get_text(*err, "type");
      e.message = json::get_text(*err, "message");
    } else if (auto m = json::get_string(*root, "message")) {
      e.message = std::string(*m);
    }
  }
  return util::complete_error(std::move(e), http_status, body);
}

Result<WireRequest> ClientCodecImpl::encode_request(const ChatRequest& req) const {
  if (auto r = util::check_parts_translate(req, Dialect::anthropic); !r) return tl::unexpected(r.error());
  WireRequest w;
  w.path = "messages";
  w.headers.emplace_back("anthropic-version", std::string(kApiVersion));
  w.headers.emplace_back("content-type", "application/json");
  w.body = encode_request_body(req);
  return w;
}

std::unique_ptr<StreamDecoder> ClientCodecImpl::stream_decoder(const ChatRequest&) const {
  return make_stream_decoder();
}

Result<ChatRequest> ServerCodecImpl::decode_request(std::string_view path, std::string_view body) const {
  return decode_request_body(body, path.ends_with("/count_tokens"));
}

std::string ServerCodecImpl::encode_response(const ChatResponse& resp, const ChatRequest&) const {
  return encode_response_body(resp);
}

std::unique_ptr<StreamEncoder> ServerCodecImpl::stream_encoder(const ChatRequest&, ResponseMeta meta) const {
  return make_stream_encoder(std::move(meta), annotate_);
}

}  // namespace llmux::api::anthropic
