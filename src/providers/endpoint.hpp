#pragma once
// An Endpoint is everything needed to talk to one model server: base URL, the
// dialect its codec speaks, auth (from an environment variable, never a flag
// value that would land in shell history), extra headers, and the model.
#include <string>
#include <vector>

#include "api/codec.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "net/headers.hpp"
#include "net/url.hpp"

namespace llmux::providers {

struct Endpoint {
  std::string name;           // shown in tables ("sim", "http://127.0.0.1:8080/v1")
  std::string base_url;       // ends before the API path: "https://api.openai.com/v1"
  api::Dialect dialect = api::Dialect::openai;
  std::string model;
  net::Headers headers;       // auth and extras; auth values never printed
  std::string api_key_env;    // where the key came from (name only)
  bool simulated = false;
  bool accepts_ignore_eos = true;  // send ignore_eos to force output length
  Nanos total_timeout = 0;         // per request; 0: the client's default
  Nanos read_timeout = 0;          // longest silence; 0: the client's default

  // base_url + "/" + path, parsed.
  Result<net::Url> url_for(std::string_view path) const;
};

struct EndpointSpec {
  std::string url;
  api::Dialect dialect = api::Dialect::openai;
  std::string model;
  std::string api_key_env;             // empty: no auth
  std::vector<std::string> header_lines;  // "Name: value"
};

// Validates the URL and headers, reads the key from the environment. Errors say which
// flag is wrong and what to do.
Result<Endpoint> make_endpoint(const EndpointSpec& spec);

// Adds the dialect's auth header carrying `key`.
void apply_auth(Endpoint& ep, const std::string& key);

}  // namespace llmux::providers
