#pragma once
// What bench records about one request: monotonic timestamps (DESIGN.md
// "Metric definitions"), the token-carrying events as they arrived, the
// server's usage, and how it failed if it did.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/types.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace llmux::bench {

enum class ErrorKind { none, connect, tls, timeout, http_4xx, http_429, http_5xx, stream_cut, malformed, stream_error, cancelled, other };
std::string_view to_string(ErrorKind k);
// The kind of a failed request's error.
ErrorKind classify(const Error& e);

struct TokenEvent {
  Nanos t = 0;            // arrival (client clock)
  Nanos server_t = 0;     // when the server says it wrote it (sim annotation), else 0
  std::int32_t tokens = 0;  // tokens the server says it carries; 0 = unknown
  std::uint32_t chars = 0;  // text length, for apportioning
  api::StreamEvent::Kind kind = api::StreamEvent::Kind::content_delta;
};

struct RequestRecord {
  std::int64_t index = 0;
  bool warmup = false;
  Nanos scheduled = 0;      // open loop: planned send time; closed loop: = sent
  Nanos sent = 0;
  Nanos headers = 0;
  Nanos first_event = 0;
  Nanos first_token = 0;
  Nanos first_content = 0;
  Nanos last_token = 0;
  Nanos done = 0;
  int http_status = 0;
  ErrorKind error = ErrorKind::none;
  std::string error_message;
  std::vector<TokenEvent> events;
  api::Usage usage;
  api::FinishReason finish = api::FinishReason::none;
  std::int64_t input_tokens_planned = 0;
  std::int64_t output_tokens_planned = 0;
  std::uint64_t output_chars = 0;
  bool streamed = true;  // false (--no-stream): the answer came whole, with no per-token times

  bool ok() const { return error == ErrorKind::none; }
};

}  // namespace llmux::bench
