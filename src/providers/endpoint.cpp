#include "providers/endpoint.hpp"

#include <array>
#include <cstdlib>

#include "api/anthropic_codec.hpp"
#include "core/text.hpp"
#include "providers/presets.hpp"

namespace llmux::providers {

namespace {

// Azure OpenAI: deployment URLs need an api-version, and the key goes in api-key.
bool is_azure(const net::Url& url) {
  std::string host = to_lower(url.host);
  return host.ends_with(".openai.azure.com") || host.ends_with(".cognitiveservices.azure.com") ||
         url.target.find("/openai/deployments/") != std::string::npos;
}

void apply_azure_quirks(const net::Url& url, Endpoint& ep) {
  if (!is_azure(url)) return;
  const Preset* azure = find_preset("azure");
  if (ep.auth_header.empty() && azure) ep.auth_header = azure->auth_header;
  if (ep.query.empty() && azure && url.target.find("/openai/deployments/") != std::string::npos)
    ep.query = "api-version=" + azure->api_version;
}

}  // namespace

Result<net::Url> Endpoint::url_for(std::string_view path) const {
  // Requests repeat the same few URLs: each thread keeps the last few it built, keyed
  // by what they are built from, so a hit costs three compares and a copy.
  struct Built {
    std::string base, query, path;
    net::Url url;
  };
  thread_local std::array<Built, 8> built;
  thread_local std::size_t next = 0;
  for (const auto& b : built)
    if (!b.base.empty() && b.base == base_url && b.path == path && b.query == query) return b.url;
  std::string text = net::join_url(base_url, path);
  if (!query.empty()) text += (text.find('?') == std::string::npos ? "?" : "&") + query;
  auto url = net::parse_url(text);
  if (url && !base_url.empty()) {
    built[next] = Built{base_url, query, std::string(path), *url};
    next = (next + 1) % built.size();
  }
  return url;
}

void apply_auth(Endpoint& ep, const std::string& key) {
  if (!ep.auth_header.empty()) {
    ep.headers.set(ep.auth_header, key);
    return;
  }
  switch (ep.dialect) {
    case api::Dialect::anthropic: ep.headers.set("x-api-key", key); break;
    case api::Dialect::gemini: ep.headers.set("x-goog-api-key", key); break;
    default: ep.headers.set("Authorization", "Bearer " + key); break;
  }
}

std::string_view default_api_root(api::Dialect d) {
  switch (d) {
    case api::Dialect::anthropic: return "/v1";
    case api::Dialect::gemini: return "/v1beta";
    case api::Dialect::ollama: return "/api";
    case api::Dialect::openai: return "/v1";  // OpenAI's own, and every local runtime's OpenAI-compatible API
  }
  return "";
}

std::string server_root(std::string_view base_url) {
  std::string root(base_url);
  while (root.ends_with('/')) root.pop_back();
  for (std::string_view suffix : {"/v1", "/v1beta", "/api"})
    if (root.ends_with(suffix)) {
      root.resize(root.size() - suffix.size());
      break;
    }
  return root;
}

Result<Endpoint> make_endpoint(const EndpointSpec& spec) {
  Endpoint ep;
  auto url = net::parse_url(spec.url);
  if (!url) return fail(ErrorCode::usage, url.error().message, "--url");
  ep.base_url = spec.url;
  ep.query = spec.query;
  if (auto q = ep.base_url.find('?'); q != std::string::npos) {  // "...?api-version=X": kept for every request
    ep.query = ep.base_url.substr(q + 1);
    ep.base_url.resize(q);
  }
  while (!ep.base_url.empty() && ep.base_url.back() == '/') ep.base_url.pop_back();
  if (url->target == "/" || url->target.starts_with("/?")) ep.base_url += default_api_root(spec.dialect);
  ep.name = ep.base_url;
  ep.dialect = spec.dialect;
  ep.model = spec.model;
  ep.auth_header = spec.auth_header;
  apply_azure_quirks(*url, ep);
  for (const auto& line : spec.header_lines) {
    auto h = net::parse_header_line(line);
    if (!h) return fail(ErrorCode::usage, "header '" + line + "' is not of the form 'Name: value'", "--header");
    ep.headers.add(h->name, h->value);
  }
  // Side requests (GET /v1/models) need the version header as much as generation does.
  if (ep.dialect == api::Dialect::anthropic && !ep.headers.has("anthropic-version"))
    ep.headers.set("anthropic-version", std::string(api::anthropic::kApiVersion));
  if (!spec.api_key_env.empty()) {
    std::vector<std::string> names{spec.api_key_env};
    names.insert(names.end(), spec.fallback_key_envs.begin(), spec.fallback_key_envs.end());
    for (const auto& name : names) {
      const char* key = std::getenv(name.c_str());
      if (!key || !*key) continue;
      apply_auth(ep, key);
      ep.api_key_env = name;
      return ep;
    }
    return fail(
        ErrorCode::usage,
        "environment variable " + key_env_names(spec.api_key_env, spec.fallback_key_envs) + " is not set",
        names.size() > 1 ? "export one of them, or drop --api-key-env for a server without auth"
                         : "export it, or drop --api-key-env for a server without auth");
  }
  return ep;
}

}  // namespace llmux::providers
