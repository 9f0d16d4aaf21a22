#pragma once
// What the four dialects' ClientCodecImpl and ServerCodecImpl share: the dialect tag,
// the methods that only hand a body to the dialect's own function, and the server's
// annotate flag. Each dialect's class adds what differs (paths, headers, streams).
#include "api/codec.hpp"

namespace llmux::api {

template <Dialect D, auto DecodeResponse, auto DecodeError>
class DialectClientCodec : public ClientCodec {
 public:
  Dialect dialect() const final { return D; }
  Result<ChatResponse> decode_response(std::string_view body) const final { return DecodeResponse(body); }
  ApiError decode_error(int http_status, std::string_view body) const final {
    return DecodeError(http_status, body);
  }
};

template <Dialect D, auto EncodeError>
class DialectServerCodec : public ServerCodec {
 public:
  explicit DialectServerCodec(bool annotate = false) : annotate_(annotate) {}
  Dialect dialect() const final { return D; }
  std::string encode_error(const ApiError& e) const final { return EncodeError(e); }

 protected:
  bool annotate_;  // stream encoders add the sim's ground truth ("llmux":{"tokens","t"}) to chunks
};

}  // namespace llmux::api
