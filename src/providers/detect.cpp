#include "providers/detect.hpp"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "net/asio.hpp"
#include "providers/chat_client.hpp"
#include "providers/presets.hpp"

namespace llmux::providers {

namespace {

using nlohmann::json;

json parse(const Result<net::HttpResponse>& r) {
  if (!r || r->status != 200) return json();
  return json::parse(r->body, nullptr, false);
}

// (Results are bound to locals before testing: no co_await inside conditions.)
asio::awaitable<json> get_json(ChatClient& c, const std::string& root, std::string_view path) {
  Endpoint ep;
  ep.base_url = root;
  auto r = co_await c.get(ep, path);
  co_return parse(r);
}

std::string text_of(const json& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
}

// Names under `list_key`, each object's `name_key` (Ollama /api/tags and /api/ps, OpenAI /v1/models).
std::vector<std::string> names(const json& doc, const char* list_key, const char* name_key) {
  std::vector<std::string> out;
  if (!doc.is_object() || !doc.contains(list_key) || !doc[list_key].is_array()) return out;
  for (const auto& m : doc[list_key])
    if (auto n = text_of(m, name_key); !n.empty()) out.push_back(n);
  return out;
}

// Ollama: its own API says the version, the models pulled and the ones in memory.
asio::awaitable<bool> try_ollama(ChatClient& c, const std::string& root, DetectedRuntime& rt) {
  json v = co_await get_json(c, root, "api/version");
  if (!v.is_object() || !v.contains("version")) co_return false;
  rt.runtime = "ollama";
  rt.dialect = "ollama";  // at native_url; base_url is its OpenAI-compatible API
  rt.version = text_of(v, "version");
  rt.native_url = root + "/api";
  json tags = co_await get_json(c, root, "api/tags");
  rt.models = names(tags, "models", "name");
  json ps = co_await get_json(c, root, "api/ps");
  rt.loaded = names(ps, "models", "name");
  rt.loaded_known = ps.is_object();
  co_return true;
}

// An OpenAI-compatible server: which one, from the side endpoints each has.
asio::awaitable<void> identify(ChatClient& c, const std::string& root, DetectedRuntime& rt) {
  json props = co_await get_json(c, root, "props");
  if (props.is_object() && (props.contains("default_generation_settings") || props.contains("model_path"))) {
    rt.runtime = "llama.cpp";
    rt.version = text_of(props, "build_info");
    rt.loaded = rt.models;  // llama-server serves the model it loaded
    rt.loaded_known = true;
    co_return;
  }
  json ver = co_await get_json(c, root, "version");
  if (ver.is_object() && ver.contains("version")) {
    rt.runtime = "vllm";
    rt.version = text_of(ver, "version");
    rt.loaded = rt.models;  // vLLM lists the models it serves, all in memory
    rt.loaded_known = true;
    co_return;
  }
  json info = co_await get_json(c, root, "get_model_info");
  if (info.is_object() && info.contains("model_path")) {
    rt.runtime = "sglang";
    json server = co_await get_json(c, root, "get_server_info");
    rt.version = text_of(server, "version");
    rt.loaded = rt.models;
    rt.loaded_known = true;
    co_return;
  }
  json sim = co_await get_json(c, root, "sim/stats");
  if (sim.is_object() && sim.contains("timing_error_us")) {
    rt.runtime = "llmux-sim";
    rt.loaded = rt.models;
    rt.loaded_known = true;
    co_return;
  }
  json lms = co_await get_json(c, root, "api/v0/models");
  if (lms.is_object() && lms.contains("data")) {
    rt.runtime = "lmstudio";
    for (const auto& x : lms["data"])
      if (x.is_object() && text_of(x, "state") == "loaded") rt.loaded.push_back(text_of(x, "id"));
    rt.loaded_known = true;
    co_return;
  }
  rt.runtime = rt.port == 1234 ? "lmstudio" : "openai-compatible";
}

// An llmux sim of Anthropic's or Gemini's API: no OpenAI endpoint to offer, its own base instead.
asio::awaitable<void> other_api_sim(ChatClient& c, const std::string& root, DetectedRuntime& rt) {
  rt.runtime = "llmux-sim";
  rt.base_url.clear();
  if (rt.dialect == "gemini") {
    rt.native_url = root + "/v1beta";
    json models = co_await get_json(c, root, "v1beta/models");
    for (auto name : names(models, "models", "name"))
      rt.models.push_back(name.rfind("models/", 0) == 0 ? name.substr(7) : name);
  } else {
    rt.native_url = root + "/v1";
    json models = co_await get_json(c, root, "v1/models");
    rt.models = names(models, "data", "id");
  }
  rt.loaded = rt.models;
  rt.loaded_known = true;
}

asio::awaitable<void> probe(ChatClient& c, std::uint16_t port, const std::string& host, std::vector<DetectedRuntime>& out) {
  std::string root = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                     std::to_string(port);
  DetectedRuntime rt;
  rt.port = port;
  rt.base_url = root + "/v1";
  // An llmux sim says so, and which API it serves, whatever that API is.
  json stats = co_await get_json(c, root, "sim/stats");
  rt.simulated = stats.is_object() && stats.contains("timing_error_us");
  if (rt.simulated) rt.dialect = text_of(stats, "dialect").empty() ? "openai" : text_of(stats, "dialect");
  if (rt.dialect == "anthropic" || rt.dialect == "gemini") {
    co_await other_api_sim(c, root, rt);
    out.push_back(std::move(rt));
    co_return;
  }
  bool ollama = co_await try_ollama(c, root, rt);
  json models = co_await get_json(c, root, "v1/models");
  bool openai = models.is_object() && models.contains("data") && models["data"].is_array();
  if (!ollama && !openai) co_return;
  if (!ollama) {
    rt.models = names(models, "data", "id");
    co_await identify(c, root, rt);
  }
  out.push_back(std::move(rt));
}

}  // namespace

std::vector<DetectedRuntime> detect_local(const std::vector<std::uint16_t>& extra_ports, Nanos timeout,
                                          const std::string& host) {
  std::vector<std::uint16_t> ports;
  for (const auto& p : presets())
    if (p.local && p.default_port) ports.push_back(p.default_port);
  ports.insert(ports.end(), extra_ports.begin(), extra_ports.end());
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  asio::io_context ctx{1};
  net::ClientOptions o;
  o.connect_timeout = timeout;
  o.total_timeout = timeout;
  o.read_timeout = timeout;
  ChatClient client(ctx.get_executor(), o);
  std::vector<DetectedRuntime> found;
  for (auto port : ports) asio::co_spawn(ctx, probe(client, port, host, found), asio::detached);
  ctx.run();
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.port < b.port; });
  return found;
}

std::vector<CloudKey> cloud_keys_present() {
  std::vector<CloudKey> out;
  for (const auto& p : presets()) {
    if (p.local || p.key_env.empty()) continue;
    if (env_set(p.key_env)) out.push_back({p.name, p.key_env});
    for (const auto& other : p.other_key_envs)
      if (env_set(other)) out.push_back({p.name, other});
  }
  return out;
}

Result<std::string> ollama_show(const std::string& url, const std::string& model, Nanos timeout, std::size_t max_bytes) {
  std::string root = server_root(url);
  net::ClientOptions o;
  o.connect_timeout = o.total_timeout = o.read_timeout = timeout;
  o.max_body_bytes = max_bytes;
  Endpoint ep;
  ep.base_url = root;
  std::string body = json{{"model", model}}.dump();
  auto got = run_side_request([&](ChatClient& c, net::CancelSignal* cancel) { return c.post_json(ep, "api/show", body, cancel); },
                              o);
  if (!got) return tl::unexpected(got.error());
  const auto& r = *got;
  if (r.status != 200)
    return fail(ErrorCode::http_status, "POST /api/show for '" + model + "' answered HTTP " + std::to_string(r.status), root);
  return r.body;
}

}  // namespace llmux::providers
