#include "core/error.hpp"

namespace llmux {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::usage: return "usage";
    case ErrorCode::config: return "config";
    case ErrorCode::io: return "io";
    case ErrorCode::parse: return "parse";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::connect: return "connect";
    case ErrorCode::tls: return "tls";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::http_status: return "http_status";
    case ErrorCode::stream_cut: return "stream_cut";
    case ErrorCode::malformed: return "malformed";
    case ErrorCode::limit: return "limit";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::rejected: return "rejected";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

std::string Error::describe() const {
  if (context.empty()) return message;
  return message + " (" + context + ")";
}

int exit_code(const Error& e) {
  switch (e.code) {
    case ErrorCode::usage:
    case ErrorCode::config:
    case ErrorCode::not_found:
      return 2;
    default:
      return 1;
  }
}

int http_status_for(const Error& e) {
  switch (e.code) {
    case ErrorCode::usage:
    case ErrorCode::parse:
    case ErrorCode::config:
      return 400;
    case ErrorCode::not_found: return 404;
    case ErrorCode::limit: return 413;
    case ErrorCode::rejected: return 403;
    case ErrorCode::timeout: return 504;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::http_status: return e.http_status >= 400 ? e.http_status : 502;
    case ErrorCode::connect:
    case ErrorCode::tls:
    case ErrorCode::stream_cut:
    case ErrorCode::malformed:
      return 502;
    case ErrorCode::cancelled: return 499;
    default: return 500;
  }
}

}  // namespace llmux
