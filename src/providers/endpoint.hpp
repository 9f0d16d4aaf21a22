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
  Nanos connect_timeout = 0;       // to open a connection; 0: the client's default
  bool stream_usage = true;        // ask for usage in streams (stream_options); off for servers that reject it
  std::string query = {};          // added to every request URL ("api-version=2024-10-21" for Azure)
  std::string auth_header = {};    // header that carries the bare key instead of the dialect's ("api-key")

  // base_url + "/" + path (+ query), parsed.
  Result<net::Url> url_for(std::string_view path) const;
};

struct EndpointSpec {
  std::string url;
  api::Dialect dialect = api::Dialect::openai;
  std::string model;
  std::string api_key_env;             // empty: no auth
  std::vector<std::string> header_lines;  // "Name: value"
  std::string auth_header = {};           // e.g. "api-key" (Azure); empty: the dialect's own
  std::string query = {};                 // e.g. "api-version=2024-10-21", unless the URL has one
  std::vector<std::string> fallback_key_envs =
      {};  // read when api_key_env is not set (a preset's other_key_envs)
};

// Validates the URL and headers, reads the key from the environment (api_key_env, else
// the first fallback that is set; Endpoint::api_key_env names the one used). Errors say which
// flag is wrong and what to do. A query in the URL ("?api-version=...") is kept for
// every request; a bare host gets the dialect's usual API root (/v1 for Anthropic,
// /v1beta for Gemini, /api for Ollama's native API).
Result<Endpoint> make_endpoint(const EndpointSpec& spec);

// Adds the auth header carrying `key`: ep.auth_header when set, else the dialect's
// (x-api-key for Anthropic, x-goog-api-key for Gemini, Authorization: Bearer otherwise).
void apply_auth(Endpoint& ep, const std::string& key);

// The path a bare base URL gets for a dialect ("/v1", "/v1beta", "/api").
std::string_view default_api_root(api::Dialect d);
// The server's root under an API base ("http://h:p/v1", ".../v1beta", ".../api" ->
// "http://h:p"), where side endpoints live (/tokenize, Ollama's /api/show).
std::string server_root(std::string_view base_url);

}  // namespace llmux::providers
