#pragma once
// The codec interfaces. A dialect (OpenAI, Anthropic, Gemini, Ollama) has a client
// half (encode requests, decode responses and streams) and a server half (decode
// requests, encode responses and streams). Codecs are pure: bytes in, values out;
// they never touch sockets.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/types.hpp"

namespace llmux::api {

std::string_view to_string(Dialect d);
std::optional<Dialect> parse_dialect(std::string_view s);

// How llmux sim names itself in the Server header of every answer, whatever its
// dialect: a client given its URL (bench, compare) can tell simulated figures from real ones.
inline constexpr std::string_view kSimServerName = "llmux-sim";

// What the client sends: path relative to the endpoint's base URL.
struct WireRequest {
  std::string method = "POST";
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Identity a server stamps on a response ("chatcmpl-...", model, created).
struct ResponseMeta {
  std::string id;
  std::string model;
  std::int64_t created = 0;
  // The prompt tokens, estimated, for where the API shows a count before (or without)
  // the upstream's: Anthropic's message_start, which some clients (Claude Code) read as
  // the prompt's size. 0: none.
  std::int64_t prompt_estimate = 0;
};

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Feeds response body bytes; appends decoded events.
  virtual Result<void> feed(std::string_view bytes, std::vector<StreamEvent>& out) = 0;
  // End of body: an error (stream_cut) when the terminal event never came.
  virtual Result<void> finish(std::vector<StreamEvent>& out) = 0;
};

class StreamEncoder {
 public:
  virtual ~StreamEncoder() = default;
  virtual void encode(const StreamEvent& e, std::string& out) = 0;
  // The terminal bytes, once, after the last event.
  virtual void finish(std::string& out) = 0;
  virtual std::string_view content_type() const = 0;
};

class ClientCodec {
 public:
  virtual ~ClientCodec() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<WireRequest> encode_request(const ChatRequest& req) const = 0;
  virtual Result<ChatResponse> decode_response(std::string_view body) const = 0;
  virtual std::unique_ptr<StreamDecoder> stream_decoder(const ChatRequest& req) const = 0;
  // The error a non-2xx response body describes (never fails: unknown shapes keep the text).
  virtual ApiError decode_error(int http_status, std::string_view body) const = 0;
};

class ServerCodec {
 public:
  virtual ~ServerCodec() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<ChatRequest> decode_request(std::string_view path, std::string_view body) const = 0;
  virtual std::string encode_response(const ChatResponse& resp, const ChatRequest& req) const = 0;
  virtual std::unique_ptr<StreamEncoder> stream_encoder(const ChatRequest& req, ResponseMeta meta) const = 0;
  virtual std::string encode_error(const ApiError& e) const = 0;
};

std::unique_ptr<ClientCodec> make_client_codec(Dialect d);
std::unique_ptr<ServerCodec> make_server_codec(Dialect d);
// With annotate, stream encoders add the sim's ground truth ("llmux": {"tokens", "t"})
// to each chunk; every dialect's decoder reads it.
std::unique_ptr<ServerCodec> make_server_codec(Dialect d, bool annotate);

}  // namespace llmux::api
