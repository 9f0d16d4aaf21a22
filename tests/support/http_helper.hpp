#pragma once
// A tiny blocking HTTP/1.1 client for tests (independent of llmux's own client):
// one request per connection, read to EOF, chunked bodies decoded.
#include <map>
#include <string>
#include <vector>

namespace llmux::test {

struct HttpResult {
  int status = 0;  // 0: no answer
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

HttpResult http_request(const std::string& method, const std::string& url, const std::string& body = {},
                        const std::vector<std::string>& headers = {}, int timeout_ms = 30000);

// Sends a streaming request, reads until `stop_after` body bytes arrived, then closes
// the connection abruptly (a client that goes away). Returns the bytes read.
// `quiet_ms`: how long it waits for more bytes before it leaves anyway.
std::string http_read_then_disconnect(const std::string& url, const std::string& body, std::size_t stop_after,
                                      int quiet_ms = 10000);

}  // namespace llmux::test
