#pragma once
// Ollama's native API: POST /api/chat and /api/generate, streamed as NDJSON (one
// JSON object per line, the last with "done": true and the server's counts and
// durations) or answered whole. Output length is options.num_predict.
#include "api/codec.hpp"

namespace llmux::api::ollama {

FinishReason parse_done_reason(std::string_view s, bool saw_tool_call);
std::string_view done_reason_text(FinishReason f);

std::string encode_request_body(const ChatRequest& req);
Result<ChatRequest> decode_request_body(std::string_view body, EndpointKind endpoint);

std::string encode_response_body(const ChatResponse& resp, EndpointKind endpoint);
Result<ChatResponse> decode_response_body(std::string_view body);

std::string encode_error_body(const ApiError& e);
ApiError decode_error_body(int http_status, std::string_view body);

class ClientCodecImpl final : public ClientCodec {
 public:
  Dialect dialect() const override { return Dialect::ollama; }
  Result<WireRequest> encode_request(const ChatRequest& req) const override;
  Result<ChatResponse> decode_response(std::string_view body) const override { return decode_response_body(body); }
  std::unique_ptr<StreamDecoder> stream_decoder(const ChatRequest& req) const override;
  ApiError decode_error(int http_status, std::string_view body) const override {
    return decode_error_body(http_status, body);
  }
};

class ServerCodecImpl final : public ServerCodec {
 public:
  explicit ServerCodecImpl(bool annotate = false) : annotate_(annotate) {}
  Dialect dialect() const override { return Dialect::ollama; }
  Result<ChatRequest> decode_request(std::string_view path, std::string_view body) const override;
  std::string encode_response(const ChatResponse& resp, const ChatRequest& req) const override {
    return encode_response_body(resp, req.endpoint);
  }
  std::unique_ptr<StreamEncoder> stream_encoder(const ChatRequest& req, ResponseMeta meta) const override;
  std::string encode_error(const ApiError& e) const override { return encode_error_body(e); }

 private:
  bool annotate_;  // add "llmux":{"tokens","t"} to lines (sim ground truth)
};

std::unique_ptr<StreamDecoder> make_stream_decoder(EndpointKind endpoint);
std::unique_ptr<StreamEncoder> make_stream_encoder(EndpointKind endpoint, ResponseMeta meta, bool annotate);

}  // namespace llmux::api::ollama
