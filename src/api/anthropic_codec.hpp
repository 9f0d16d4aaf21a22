#pragma once
// The Anthropic Messages dialect: POST /v1/messages, streamed as named SSE events
// (message_start, content_block_start/delta/stop, message_delta, message_stop, ping,
// error) or answered whole. System prompts become a leading Role::system message,
// tool_result blocks become Role::tool messages, thinking blocks become reasoning.
#include "api/dialect_codec.hpp"

namespace llmux::api::anthropic {

constexpr std::string_view kApiVersion = "2023-06-01";  // the anthropic-version header llmux sends
constexpr std::int64_t kDefaultMaxTokens = 4096;        // max_tokens is required; used when none is set

FinishReason parse_stop_reason(std::string_view s);
std::string_view stop_reason_text(FinishReason f, bool stop_sequence);

std::string encode_request_body(const ChatRequest& req);
// `count_only`: the body of POST /v1/messages/count_tokens (no max_tokens needed).
Result<ChatRequest> decode_request_body(std::string_view body, bool count_only = false);

std::string encode_response_body(const ChatResponse& resp);
Result<ChatResponse> decode_response_body(std::string_view body);

std::string encode_error_body(const ApiError& e);
ApiError decode_error_body(int http_status, std::string_view body);

class ClientCodecImpl final
    : public DialectClientCodec<Dialect::anthropic, decode_response_body, decode_error_body> {
 public:
  Result<WireRequest> encode_request(const ChatRequest& req) const override;
  std::unique_ptr<StreamDecoder> stream_decoder(const ChatRequest& req) const override;
};

// Annotations go on content_block_delta events.
class ServerCodecImpl final : public DialectServerCodec<Dialect::anthropic, encode_error_body> {
 public:
  using DialectServerCodec::DialectServerCodec;
  Result<ChatRequest> decode_request(std::string_view path, std::string_view body) const override;
  std::string encode_response(const ChatResponse& resp, const ChatRequest& req) const override;
  std::unique_ptr<StreamEncoder> stream_encoder(const ChatRequest& req, ResponseMeta meta) const override;
};

std::unique_ptr<StreamDecoder> make_stream_decoder();
std::unique_ptr<StreamEncoder> make_stream_encoder(ResponseMeta meta, bool annotate);

}  // namespace llmux::api::anthropic
