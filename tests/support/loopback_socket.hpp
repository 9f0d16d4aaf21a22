#pragma once
// A plain blocking TCP connection to a URL on this machine, for tests that speak raw HTTP.
#include <string>

namespace llmux::test {

// Connects to the port of `url` ("http://127.0.0.1:PORT/path...") on 127.0.0.1 and
// splits the URL into `hostport` and `path`. Returns the socket, or -1.
int connect_loopback(const std::string& url, std::string& path, std::string& hostport);

}  // namespace llmux::test
