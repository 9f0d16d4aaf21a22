#pragma once
// The Google Gemini dialect: POST models/{model}:generateContent, or
// :streamGenerateContent?alt=sse (SSE "data:" chunks, each a whole
// GenerateContentResponse; the stream ends with the chunk that has a finishReason).
// Contents/parts map to messages, systemInstruction to a Role::system message,
// functionCall/functionResponse parts to tool calls and Role::tool messages,
// thought parts to reasoning.
#include "api/dialect_codec.hpp"

namespace llmux::api::gemini {

// finishReason text; STOP after function calls is tool_calls.
FinishReason parse_finish_reason(std::string_view s, bool saw_tool_call);
std::string_view finish_reason_text(FinishReason f);

// "models/gemini-2.0-flash:streamGenerateContent" -> {model, stream}; nullopt when the
// path names no model action.
struct ModelAction {
  std::string model;
  bool stream = false;
};
std::optional<ModelAction> parse_model_path(std::string_view path);

std::string encode_request_body(const ChatRequest& req);
Result<ChatRequest> decode_request_body(std::string_view body, const ModelAction& action);

std::string encode_response_body(const ChatResponse& resp);
Result<ChatResponse> decode_response_body(std::string_view body);

std::string encode_error_body(const ApiError& e);
ApiError decode_error_body(int http_status, std::string_view body);

class ClientCodecImpl final
    : public DialectClientCodec<Dialect::gemini, decode_response_body, decode_error_body> {
 public:
  Result<WireRequest> encode_request(const ChatRequest& req) const override;
  std::unique_ptr<StreamDecoder> stream_decoder(const ChatRequest& req) const override;
};

class ServerCodecImpl final : public DialectServerCodec<Dialect::gemini, encode_error_body> {
 public:
  using DialectServerCodec::DialectServerCodec;
  Result<ChatRequest> decode_request(std::string_view path, std::string_view body) const override;
  std::string encode_response(const ChatResponse& resp, const ChatRequest& req) const override;
  std::unique_ptr<StreamEncoder> stream_encoder(const ChatRequest& req, ResponseMeta meta) const override;
};

std::unique_ptr<StreamDecoder> make_stream_decoder();
std::unique_ptr<StreamEncoder> make_stream_encoder(ResponseMeta meta, bool annotate);

}  // namespace llmux::api::gemini
