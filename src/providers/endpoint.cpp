#include "providers/endpoint.hpp"

#include <cstdlib>

namespace llmux::providers {

Result<net::Url> Endpoint::url_for(std::string_view path) const { return net::parse_url(net::join_url(base_url, path)); }

void apply_auth(Endpoint& ep, const std::string& key) {
  switch (ep.dialect) {
    case api::Dialect::anthropic: ep.headers.set("x-api-key", key); break;
    case api::Dialect::gemini: ep.headers.set("x-goog-api-key", key); break;
    default: ep.headers.set("Authorization", "Bearer " + key); break;
  }
}

Result<Endpoint> make_endpoint(const EndpointSpec& spec) {
  Endpoint ep;
  auto url = net::parse_url(spec.url);
  if (!url) return fail(ErrorCode::usage, url.error().message, "--url");
  ep.base_url = spec.url;
  while (!ep.base_url.empty() && ep.base_url.back() == '/') ep.base_url.pop_back();
  ep.name = ep.base_url;
  ep.dialect = spec.dialect;
  ep.model = spec.model;
  for (const auto& line : spec.header_lines) {
    auto h = net::parse_header_line(line);
    if (!h) return fail(ErrorCode::usage, "header '" + line + "' is not of the form 'Name: value'", "--header");
    ep.headers.add(h->name, h->value);
  }
  if (!spec.api_key_env.empty()) {
    const char* key = std::getenv(spec.api_key_env.c_str());
    if (!key || !*key)
      return fail(ErrorCode::usage, "environment variable " + spec.api_key_env + " is not set",
                  "export it, or drop --api-key-env for a server without auth");
    apply_auth(ep, key);
    ep.api_key_env = spec.api_key_env;
  }
  return ep;
}

}  // namespace llmux::providers
