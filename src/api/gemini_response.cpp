// Gemini whole responses, usageMetadata, finish reasons, paths and error bodies.
#include "api/codec_util.hpp"
#include "api/gemini_codec.hpp"
#include "api/gemini_detail.hpp"

namespace llmux::api::gemini {

FinishReason parse_finish_reason(std::string_view s, bool saw_tool_call) {
  if (s == "STOP") return saw_tool_call ? FinishReason::tool_calls : FinishReason::stop;
  if (s == "MAX_TOKENS") return FinishReason::length;
  if (s == "SAFETY" || s == "RECITATION" || s == "BLOCKLIST" || s == "PROHIBITED_CONTENT" || s == "SPII" ||
      s == "IMAGE_SAFETY" || s == "LANGUAGE")
    return FinishReason::content_filter;
  if (s == "MALFORMED_FUNCTION_CALL" || s == "UNEXPECTED_TOOL_CALL" || s == "OTHER") return FinishReason::error;
  return saw_tool_call ? FinishReason::tool_calls : FinishReason::stop;
}

std::string_view finish_reason_text(FinishReason f) {
  switch (f) {
    case FinishReason::length: return "MAX_TOKENS";
    case FinishReason::content_filter: return "SAFETY";
    case FinishReason::error: return "OTHER";
    default: return "STOP";  // tool calls end with STOP too
  }
}

std::optional<ModelAction> parse_model_path(std::string_view path) {
  if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  auto at = path.rfind("models/");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = path.substr(at + 7);
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view action = rest.substr(colon + 1);
  if (action != "generateContent" && action != "streamGenerateContent") return std::nullopt;
  return ModelAction{std::string(rest.substr(0, colon)), action == "streamGenerateContent"};
}

void write_usage(JsonWriter& w, const Usage& u) {
  std::int64_t candidates = std::max<std::int64_t>(0, u.completion_tokens - u.reasoning_tokens);
  w.key("usageMetadata").begin_object().field("promptTokenCount", u.prompt_tokens);
  w.field("candidatesTokenCount", candidates);
  w.field("totalTokenCount", u.prompt_tokens + u.completion_tokens);
  if (u.reasoning_tokens) w.field("thoughtsTokenCount", u.reasoning_tokens);
  if (u.cached_prompt_tokens) w.field("cachedContentTokenCount", u.cached_prompt_tokens);
  w.end_object();
}

Usage decode_usage(const json::object& u) {
  Usage usage;
  usage.source = Usage::Source::server;
  usage.prompt_tokens = json::get_int(u, "promptTokenCount").value_or(0);
  usage.reasoning_tokens = json::get_int(u, "thoughtsTokenCount").value_or(0);
  usage.completion_tokens = json::get_int(u, "candidatesTokenCount").value_or(0) + usage.reasoning_tokens;
  usage.cached_prompt_tokens = json::get_int(u, "cachedContentTokenCount").value_or(0);
  return usage;
}

void decode_part(const json::object& part, Message& m, int& tool_ordinal) {
  auto signature = json::get_string(part, "thoughtSignature");
  if (auto text = json::get_string(part, "text")) {
    if (json::get_bool(part, "thought").value_or(false)) {
      m.reasoning += *text;
      if (signature) m.reasoning_signature = std::string(*signature);
      return;
    }
    ContentPart p{ContentPart::Kind::text, std::string(*text), {}};
    if (signature) p.extra.push_back(RawField{"thoughtSignature", util::member_json(part, "thoughtSignature").value_or("")});
    m.content.push_back(std::move(p));
  } else if (auto fc = json::get_object(part, "functionCall")) {
    ToolCall tc;
    tc.id = json::get_text(*fc, "id");
    if (tc.id.empty()) tc.id = "call_" + std::to_string(tool_ordinal);
    ++tool_ordinal;
    tc.name = json::get_text(*fc, "name");
    tc.arguments = util::member_json(*fc, "args").value_or("{}");
    if (signature && m.reasoning_signature.empty()) m.reasoning_signature = std::string(*signature);
    m.tool_calls.push_back(std::move(tc));
  } else {
    m.content.push_back(ContentPart{ContentPart::Kind::raw, json::to_json(part), {}});  // executableCode, inlineData...
  }
}

void write_model_parts(JsonWriter& w, const Message& m) {
  w.begin_array();
  if (!m.reasoning.empty()) w.begin_object().field("text", m.reasoning).field("thought", true).end_object();
  for (const auto& p : m.content) write_part(w, p);
  bool first = true;
  for (const auto& tc : m.tool_calls) {
    w.begin_object();
    write_function_call(w, tc);
    if (first && !m.reasoning_signature.empty()) w.field("thoughtSignature", m.reasoning_signature);
    first = false;
    w.end_object();
  }
  w.end_array();
}

void write_function_call(JsonWriter& w, const ToolCall& tc) {
  w.key("functionCall").begin_object();
  if (is_gemini_id(tc.id)) w.field("id", tc.id);
  w.field("name", tc.name).raw_field("args", util::arguments_object(tc.arguments).value_or("{}")).end_object();
}

bool is_gemini_id(std::string_view id) { return !id.empty() && !id.starts_with("call_"); }

std::string encode_response_body(const ChatResponse& resp) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("candidates").begin_array().begin_object();
  w.key("content").begin_object().key("parts");
  write_model_parts(w, resp.message);
  w.field("role", "model").end_object();
  w.field("finishReason", finish_reason_text(resp.finish)).field("index", 0).end_object().end_array();
  write_usage(w, resp.usage);
  w.field("modelVersion", resp.model).field("responseId", resp.id).end_object();
  return out;
}

Result<ChatResponse> decode_response_body(std::string_view body) {
  auto parsed = json::parse_object(body, "response body");
  if (!parsed) return tl::unexpected(parsed.error());
  const json::object& root = *parsed;
  ChatResponse r;
  r.id = json::get_text(root, "responseId");
  r.model = json::get_text(root, "modelVersion");
  r.message.role = Role::assistant;
  auto candidates = json::get_array(root, "candidates");
  int ordinal = 0;
  if (candidates) {
    for (auto c : *candidates) {
      json::object cand;
      if (c.get(cand) != simdjson::SUCCESS) return fail(ErrorCode::malformed, "candidates[0] is not an object");
      if (auto content = json::get_object(cand, "content"))
        if (auto parts = json::get_array(*content, "parts"))
          for (auto p : *parts) {
            json::object part;
            if (p.get(part) == simdjson::SUCCESS) decode_part(part, r.message, ordinal);
          }
      if (auto fr = json::get_string(cand, "finishReason")) r.finish = parse_finish_reason(*fr, ordinal > 0);
      break;  // first candidate only
    }
  } else if (auto fb = json::get_object(root, "promptFeedback"); fb && json::get_string(*fb, "blockReason")) {
    r.finish = FinishReason::content_filter;  // the prompt itself was blocked
  } else {
    return fail(ErrorCode::malformed, "response has no candidates array");
  }
  if (auto u = json::get_object(root, "usageMetadata")) r.usage = decode_usage(*u);
  return r;
}

std::string_view status_for(const ApiError& e) {
  const std::string& t = e.type;
  if (t.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos && !t.empty()) return t;  // already a status
  switch (e.http_status) {  // the status says it exactly (OpenAI calls a 404 an invalid_request_error)
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 429: return "RESOURCE_EXHAUSTED";
    case 503: return "UNAVAILABLE";
    case 504: return "DEADLINE_EXCEEDED";
    default: break;
  }
  // Any other status: the other APIs' error type.
  if (t == "invalid_request_error") return "INVALID_ARGUMENT";
  if (t == "authentication_error") return "UNAUTHENTICATED";
  if (t == "permission_error") return "PERMISSION_DENIED";
  if (t == "not_found_error") return "NOT_FOUND";
  if (t == "rate_limit_error") return "RESOURCE_EXHAUSTED";
  if (t == "overloaded_error") return "UNAVAILABLE";
  return "INTERNAL";
}

std::string encode_error_body(const ApiError& e) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("error").begin_object().field("code", e.http_status ? e.http_status : 500);
  w.field("message", e.message).field("status", status_for(e)).end_object().end_object();
  return out;
}

ApiError decode_error_body(int http_status, std::string_view body) {
  ApiError e;
  auto doc = json::parse(body, "error body");
  json::element root_el;
  if (doc) root_el = *doc;
  simdjson::dom::array list;  // some Google front ends wrap the error in a one-element array
  if (doc && root_el.get(list) == simdjson::SUCCESS && list.size() > 0) root_el = list.at(0).value_unsafe();
  json::object root;
  if (doc && root_el.get(root) == simdjson::SUCCESS) {
    if (auto err = json::get_object(root, "error")) {
      e.message = json::get_text(*err, "message");
      e.type = json::get_text(*err, "status");
      if (auto code = json::get_int(*err, "code")) e.code = std::to_string(*code);
    }
  }
  return util::complete_error(std::move(e), http_status, body);
}

Result<WireRequest> ClientCodecImpl::encode_request(const ChatRequest& req) const {
  if (auto r = util::check_parts_translate(req, Dialect::gemini); !r) return tl::unexpected(r.error());
  std::string_view model = req.model;
  if (model.starts_with("models/")) model.remove_prefix(7);
  if (model.empty()) return fail(ErrorCode::usage, "Gemini requests need a model (it is part of the URL)", "--model");
  WireRequest w;
  w.path = "models/" + std::string(model) + (req.stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  w.headers.emplace_back("content-type", "application/json");
  w.body = encode_request_body(req);
  return w;
}

std::unique_ptr<StreamDecoder> ClientCodecImpl::stream_decoder(const ChatRequest&) const {
  return make_stream_decoder();
}

Result<ChatRequest> ServerCodecImpl::decode_request(std::string_view path, std::string_view body) const {
  auto action = parse_model_path(path);
  if (!action)
    return fail(ErrorCode::parse, "path '" + std::string(path) + "' is not models/{model}:generateContent or :streamGenerateContent");
  return decode_request_body(body, *action);
}

std::string ServerCodecImpl::encode_response(const ChatResponse& resp, const ChatRequest&) const {
  return encode_response_body(resp);
}

std::unique_ptr<StreamEncoder> ServerCodecImpl::stream_encoder(const ChatRequest&, ResponseMeta meta) const {
  return make_stream_encoder(std::move(meta), annotate_);
}

}  // namespace llmux::api::gemini
