#include "bench/record.hpp"

namespace llmux::bench {

std::string_view to_string(ErrorKind k) {
  switch (k) {
    case ErrorKind::none: return "none";
    case ErrorKind::connect: return "connect";
    case ErrorKind::tls: return "tls";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::http_4xx: return "http_4xx";
    case ErrorKind::http_429: return "http_429";
    case ErrorKind::http_5xx: return "http_5xx";
    case ErrorKind::stream_cut: return "stream_cut";
    case ErrorKind::malformed: return "malformed";
    case ErrorKind::stream_error: return "stream_error";
    case ErrorKind::cancelled: return "cancelled";
    case ErrorKind::other: return "other";
  }
  return "other";
}

ErrorKind classify(const Error& e) {
  switch (e.code) {
    case ErrorCode::connect: return ErrorKind::connect;
    case ErrorCode::tls: return ErrorKind::tls;
    case ErrorCode::timeout: return ErrorKind::timeout;
    case ErrorCode::http_status:
      if (e.http_status == 429) return ErrorKind::http_429;
      return e.http_status >= 500 ? ErrorKind::http_5xx : ErrorKind::http_4xx;
    case ErrorCode::stream_cut: return ErrorKind::stream_cut;
    case ErrorCode::malformed:
    case ErrorCode::limit:
      return ErrorKind::malformed;
    case ErrorCode::cancelled: return ErrorKind::cancelled;
    default: return ErrorKind::other;
  }
}

}  // namespace llmux::bench
