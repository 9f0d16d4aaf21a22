#pragma once
// One error type for expected failures (bad config, bad input, upstream errors),
// carried as a value: Result<T> = tl::expected<T, Error>. The mapping to process
// exit codes and HTTP statuses lives in one place (error.cpp).
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace llmux {

enum class ErrorCode {
  usage,        // wrong flags or arguments
  config,       // invalid configuration file
  io,           // file system
  parse,        // malformed input we were asked to read
  not_found,    // unknown id (model, GPU, route)
  connect,      // TCP connect / DNS failure
  tls,          // TLS handshake or certificate failure
  timeout,      // deadline passed
  http_status,  // upstream answered with a non-2xx status
  stream_cut,   // stream ended without its terminal event
  malformed,    // upstream sent bytes we cannot decode
  limit,        // a size or count limit was exceeded
  unavailable,  // no backend can take the request
  rejected,     // refused by policy (privacy, budget, rate limit)
  cancelled,    // the caller went away
  internal,     // a bug
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // what was wrong and what to do
  std::string context;  // where: file:line, field, URL
  int http_status = 0;  // for ErrorCode::http_status: the upstream status

  // "message (context)" for humans.
  std::string describe() const;
};

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string context = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(context), 0});
}

// Process exit status for an error that reaches main: 2 for usage, 1 otherwise.
int exit_code(const Error& e);
// HTTP status a server answers with for an error of this kind.
int http_status_for(const Error& e);

}  // namespace llmux
