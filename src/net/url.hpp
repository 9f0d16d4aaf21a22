#pragma once
// URL parsing for the HTTP client: scheme, host, port and request target.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace llmux::net {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  std::uint16_t port = 0;
  std::string target;  // path + query, at least "/"

  bool tls() const { return scheme == "https"; }
  // "host:port", with brackets around IPv6 literals.
  std::string authority() const;
  // scheme://authority — the connection pool key.
  std::string origin() const;
  void append_origin(std::string& out) const;
  std::string str() const { return origin() + target; }
};

// Accepts http:// and https:// URLs; rejects anything else with a message that
// names the URL and says what is expected.
Result<Url> parse_url(std::string_view text);

// base + "/" + path, with exactly one slash between them ("http://h/v1" + "chat/completions").
std::string join_url(std::string_view base, std::string_view path);

}  // namespace llmux::net
