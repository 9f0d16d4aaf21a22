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

// Which runtime answers on this port, from the side endpoints each one has.
// (Results are bound to locals before testing: no co_await inside conditions.)
asio::awaitable<json> get_json(ChatClient& c, const Endpoint& ep, std::string_view path) {
  auto r = co_await c.get(ep, path);
  co_return parse(r);
}

asio::awaitable<void> identify(ChatClient& c, DetectedRuntime& rt, const std::string& root) {
  Endpoint ep;
  ep.base_url = root;
  json v = co_await get_json(c, ep, "api/version");
  if (v.is_object() && v.contains("version")) {
    rt.runtime = "ollama";
    rt.version = v["version"].is_string() ? v["version"].get<std::string>() : "";
    json ps = co_await get_json(c, ep, "api/ps");
    if (ps.is_object() && ps.contains("models"))
      for (const auto& m : ps["models"])
        if (m.is_object() && m.contains("name") && m["name"].is_string()) rt.loaded.push_back(m["name"].get<std::string>());
    co_return;
  }
  json props = co_await get_json(c, ep, "props");
  if (props.is_object() && (props.contains("default_generation_settings") || props.contains("model_path"))) {
    rt.runtime = "llama.cpp";
    if (props.contains("build_info") && props["build_info"].is_string()) rt.version = props["build_info"].get<std::string>();
    rt.loaded = rt.models;  // llama-server serves the model it loaded
    co_return;
  }
  json ver = co_await get_json(c, ep, "version");
  if (ver.is_object() && ver.contains("version")) {
    rt.runtime = "vllm";
    rt.version = ver["version"].is_string() ? ver["version"].get<std::string>() : "";
    rt.loaded = rt.models;
    co_return;
  }
  json info = co_await get_json(c, ep, "get_model_info");
  if (info.is_object() && info.contains("model_path")) {
    rt.runtime = "sglang";
    rt.loaded = rt.models;
    co_return;
  }
  json sim = co_await get_json(c, ep, "sim/stats");
  if (sim.is_object() && sim.contains("timing_error_us")) {
    rt.runtime = "llmux-sim";
    rt.loaded = rt.models;
    co_return;
  }
  if (rt.port == 1234) {
    rt.runtime = "lmstudio";
    json m = co_await get_json(c, ep, "api/v0/models");
    if (m.is_object() && m.contains("data"))
      for (const auto& x : m["data"])
        if (x.is_object() && x.value("state", "") == "loaded" && x.contains("id")) rt.loaded.push_back(x["id"].get<std::string>());
    co_return;
  }
  rt.runtime = "openai-compatible";
}

asio::awaitable<void> probe(ChatClient& c, std::uint16_t port, const std::string& host, std::vector<DetectedRuntime>& out) {
  std::string root = "http://" + host + ":" + std::to_string(port);
  Endpoint ep;
  ep.base_url = root + "/v1";
  json models = co_await get_json(c, ep, "models");
  if (!models.is_object() || !models.contains("data") || !models["data"].is_array()) co_return;
  DetectedRuntime rt;
  rt.port = port;
  rt.base_url = ep.base_url;
  for (const auto& m : models["data"])
    if (m.is_object() && m.contains("id") && m["id"].is_string()) rt.models.push_back(m["id"].get<std::string>());
  co_await identify(c, rt, root);
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
    const char* v = std::getenv(p.key_env.c_str());
    if (v && *v) out.push_back({p.name, p.key_env});
  }
  return out;
}

}  // namespace llmux::providers
