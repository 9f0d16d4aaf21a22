#include "net/http_wire.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include "core/text.hpp"

namespace llmux::net {

namespace http = boost::beast::http;

std::string format_request_head(const HttpRequest& req, bool absolute_target, std::string_view user_agent) {
  std::string h;
  h.reserve(256 + req.url.target.size());
  h += req.method;
  h += ' ';
  h += absolute_target ? req.url.str() : req.url.target;
  h += " HTTP/1.1\r\nHost: ";
  bool default_port = (req.url.tls() && req.url.port == 443) || (!req.url.tls() && req.url.port == 80);
  h += default_port ? (req.url.host.find(':') != std::string::npos ? "[" + req.url.host + "]" : req.url.host)
                    : req.url.authority();
  h += "\r\n";
  bool has_ua = false, has_ct = false;
  for (const auto& f : req.headers.items()) {
    if (equals_icase(f.name, "host") || equals_icase(f.name, "content-length") ||
        equals_icase(f.name, "transfer-encoding"))
      continue;
    has_ua |= equals_icase(f.name, "user-agent");
    has_ct |= equals_icase(f.name, "content-type");
    h += f.name;
    h += ": ";
    h += f.value;
    h += "\r\n";
  }
  if (!has_ua) {
    h += "User-Agent: ";
    h += user_agent;
    h += "\r\n";
  }
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    if (!has_ct && !req.body.empty()) h += "Content-Type: application/json\r\n";
    h += "Content-Length: ";
    h += std::to_string(req.body.size());
    h += "\r\n";
  }
  h += "\r\n";
  return h;
}

tl::unexpected<Error> map_read_error(const error_code& ec, const std::string& while_doing, const Url& url,
                                     bool in_body) {
  std::string ctx = url.str();
  if (ec == boost::beast::error::timeout)
    return fail(ErrorCode::timeout, "timed out " + while_doing + "; the server stopped sending", ctx);
  if (ec == http::error::header_limit)
    return fail(ErrorCode::limit, "response head too large " + while_doing, ctx);
  if (ec == http::error::body_limit)
    return fail(ErrorCode::limit, "response body over the size limit " + while_doing, ctx);
  if (ec == http::error::end_of_stream || ec == boost::asio::error::eof || ec == http::error::partial_message ||
      ec == boost::asio::error::connection_reset || ec == boost::asio::error::operation_aborted ||
      ec == boost::asio::error::bad_descriptor) {
    if (in_body) return fail(ErrorCode::stream_cut, "connection closed " + while_doing, ctx);
    // The connection was made and the request sent: a close now is a cut answer, not a failed connect.
    return fail(ErrorCode::stream_cut, "connection closed before a response (" + ec.message() + ")", ctx);
  }
  if (ec.category() == boost::beast::http::make_error_code(http::error::bad_version).category())
    return fail(ErrorCode::malformed, "malformed HTTP response " + while_doing + ": " + ec.message(), ctx);
  return fail(in_body ? ErrorCode::stream_cut : ErrorCode::connect, while_doing + ": " + ec.message(), ctx);
}

}  // namespace llmux::net
