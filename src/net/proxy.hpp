#pragma once
// Which proxy, if any, a request should go through, from the usual environment
// variables: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case). Loopback targets
// (localhost, 127.0.0.0/8, ::1) never go through a proxy, as in Go's net/http:
// local runtimes and test servers must stay reachable when a proxy is set.
#include <optional>
#include <string>

#include "net/url.hpp"

namespace llmux::net {

struct ProxyEnv {
  std::string http_proxy;
  std::string https_proxy;
  std::string no_proxy;

  static ProxyEnv from_environment();
};

// The proxy URL for `target`, or nullopt to connect directly. A malformed proxy
// variable is an error naming it.
Result<std::optional<Url>> proxy_for(const Url& target, const ProxyEnv& env);

bool is_loopback_host(std::string_view host);

}  // namespace llmux::net
