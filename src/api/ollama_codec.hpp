#pragma once
// Ollama's native API: POST /api/chat and /api/generate, streamed as NDJSON (one
// JSON object per line, the last with "done": true and the server's counts and
// durations) or answered whole. Output length is options.num_predict.
#include "api/dialect_codec.hpp"

namespace llmux::api::ollama {

FinishReason parse_done_reason(std::string_view s, bool saw_tool_call);
std::string_view done_reason_text(FinishReason f);

std::string encode_request_body(const ChatRequest& req);
Result<ChatRequest> decode_request_body(std::string_view body, EndpointKind endpoint);

std::string encode_response_body(const ChatResponse& resp, EndpointKind endpoint);
Result<ChatResponse> decode_response_body(std::string_view body);

std::string encode_error_body(const ApiError& e);
ApiError decode_error_body(int http_status, std::string_view body);

class ClientCodecImpl final
    : public DialectClientCodec<Dialect::ollama, decode_response_body, decode_error_body> {
 public:
  Result<WireRequest> encode_request(const ChatRequest& req) const override;
  std::unique_ptr<StreamDecoder> stream_decoder(const ChatRequest& req) const override;
};

class ServerCodecImpl final : public DialectServerCodec<Dialect::ollama, encode_error_body> {
 public:
  using DialectServerCodec::DialectServerCodec;
  Result<ChatRequest> decode_request(std::string_view path, std::string_view body) const override;
  std::string encode_response(const ChatResponse& resp, const ChatRequest& req) const override;
  std::unique_ptr<StreamEncoder> stream_encoder(const ChatRequest& req, ResponseMeta meta) const override;
};

std::unique_ptr<StreamDecoder> make_stream_decoder(EndpointKind endpoint);
std::unique_ptr<StreamEncoder> make_stream_encoder(EndpointKind endpoint, ResponseMeta meta, bool annotate);

}  // namespace llmux::api::ollama
