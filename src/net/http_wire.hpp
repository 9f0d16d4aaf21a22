#pragma once
// Private to net/: request-head formatting and transport error mapping shared by
// the client pieces.
#include <string>

#include "core/error.hpp"
#include "net/asio.hpp"
#include "net/http_client.hpp"

namespace llmux::net {

// "POST /v1/chat/completions HTTP/1.1\r\nHost: ...\r\n...\r\n\r\n" (body not included).
std::string format_request_head(const HttpRequest& req, bool absolute_target, std::string_view user_agent);

// A read failure as a user-facing error: timeouts, cut streams, limits, malformed bytes.
tl::unexpected<Error> map_read_error(const error_code& ec, const std::string& while_doing, const Url& url,
                                     bool in_body);

}  // namespace llmux::net
