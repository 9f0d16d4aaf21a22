// llmux detect: the local LLM runtimes on this machine and the cloud API keys set.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <netdb.h>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/text.hpp"
#include "providers/detect.hpp"
#include "providers/presets.hpp"

namespace llmux::cli {

namespace {

struct DetectFlags {
  std::vector<int> ports;
  std::string host = "127.0.0.1";
  std::string timeout = "800ms";
  std::string format = "table";
};

std::vector<std::uint16_t> probed_ports(const std::vector<std::uint16_t>& extra) {
  std::vector<std::uint16_t> ports;
  for (const auto& p : providers::presets())
    if (p.local && p.default_port) ports.push_back(p.default_port);
  ports.insert(ports.end(), extra.begin(), extra.end());
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  return ports;
}

std::string to_json(const std::vector<providers::DetectedRuntime>& found, const std::vector<providers::CloudKey>& keys,
                    const std::vector<std::uint16_t>& ports, const std::string& host) {
  nlohmann::ordered_json o;
  o["host"] = host;
  o["probed_ports"] = ports;
  auto runtimes = nlohmann::ordered_json::array();
  for (const auto& rt : found) {
    nlohmann::ordered_json r;
    r["runtime"] = rt.runtime;
    r["port"] = rt.port;
    r["version"] = rt.version;
    r["openai_url"] = rt.base_url.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(rt.base_url);
    r["native_url"] = rt.native_url.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(rt.native_url);
    // The preset that reaches it (`llmux bench --provider`).
    r["provider"] = rt.runtime == "ollama"               ? "ollama-native"
                    : rt.simulated && rt.base_url.empty() ? "llmux-sim-" + rt.dialect
                                                          : rt.runtime;
    r["models"] = rt.models;
    r["loaded"] = rt.loaded;
    r["loaded_known"] = rt.loaded_known;
    r["dialect"] = rt.dialect;
    r["simulated"] = rt.simulated;
    runtimes.push_back(r);
  }
  o["runtimes"] = runtimes;
  auto cloud = nlohmann::ordered_json::array();
  for (const auto& k : keys) cloud.push_back({{"provider", k.provider}, {"env", k.env}});  // names only, never values
  o["cloud_keys"] = cloud;
  return o.dump(2) + "\n";
}

// "llama3.2:latest*, qwen2.5:7b" (* = loaded)
std::string model_list(const providers::DetectedRuntime& rt) {
  std::string out;
  for (const auto& m : rt.models) {
    bool loaded = std::find(rt.loaded.begin(), rt.loaded.end(), m) != rt.loaded.end();
    out += (out.empty() ? "" : ", ") + m + (loaded && rt.loaded_known ? "*" : "");
  }
  return out.empty() ? "(none)" : out;
}

std::string to_table(const std::vector<providers::DetectedRuntime>& found, const std::vector<providers::CloudKey>& keys,
                     const std::vector<std::uint16_t>& ports, const std::string& host) {
  std::string out = "local runtimes on " + host + " (ports";
  for (auto p : ports) out += " " + std::to_string(p);
  out += "):\n";
  if (found.empty()) out += "  none found\n";
  char line[512];
  for (const auto& rt : found) {
    std::string url = rt.native_url.empty() ? rt.base_url
                      : rt.base_url.empty()   ? rt.native_url + "  (" + rt.dialect + " API)"
                                              : rt.native_url + "  (OpenAI: " + rt.base_url + ")";
    std::snprintf(line, sizeof line, "  %-17s port %-5u  %-14s %s\n", rt.runtime.c_str(), rt.port,
                  rt.version.empty() ? "-" : rt.version.c_str(), url.c_str());
    out += line;
    out += "      models: " + model_list(rt) + "\n";
    if (rt.simulated) out += "      (llmux sim: a simulated server, no model runs behind it)\n";
  }
  if (std::any_of(found.begin(), found.end(), [](const auto& rt) { return rt.loaded_known && !rt.loaded.empty(); }))
    out += "  (* = loaded in memory)\n";
  out += "\ncloud API keys set (variable names only):\n";
  if (keys.empty()) out += "  none\n";
  for (const auto& k : keys) {
    std::snprintf(line, sizeof line, "  %-12s %s\n", k.provider.c_str(), k.env.c_str());
    out += line;
  }
  return out;
}

int run_detect(const DetectFlags& f) {
  std::vector<std::uint16_t> extra;
  for (int p : f.ports) {
    if (p < 1 || p > 65535) return print_error(Error{ErrorCode::usage, "ports must be 1-65535", "--port", 0});
    extra.push_back(static_cast<std::uint16_t>(p));
  }
  auto timeout = parse_duration_ns(f.timeout, "ms");
  if (!timeout || *timeout <= 0)
    return print_error(Error{ErrorCode::usage, "--timeout must be a positive duration like 800ms", "--timeout", 0});
  // A host that does not resolve would look like one with nothing running.
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(f.host.c_str(), nullptr, &hints, &res); rc != 0)
    return print_error(Error{ErrorCode::usage, "cannot resolve " + f.host + ": " + gai_strerror(rc), "--host", 0});
  freeaddrinfo(res);
  auto found = providers::detect_local(extra, *timeout, f.host);
  auto keys = providers::cloud_keys_present();
  auto ports = probed_ports(extra);
  std::string text = f.format == "json" ? to_json(found, keys, ports, f.host) : to_table(found, keys, ports, f.host);
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace

void register_detect(CLI::App& app, CommandContext& ctx) {
  auto f = std::make_shared<DetectFlags>();
  auto* cmd = app.add_subcommand("detect", "find local LLM runtimes (Ollama, LM Studio, llama.cpp, vLLM, SGLang) "
                                           "and the cloud API keys set");
  cmd->add_option("--port", f->ports, "also probe this port (repeatable)");
  cmd->add_option("--host", f->host, "host to probe")->capture_default_str();
  cmd->add_option("--timeout", f->timeout, "per-request time limit")->capture_default_str();
  cmd->add_option("--format", f->format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  cmd->footer("Ports probed: Ollama 11434, LM Studio 1234, llama.cpp 8080, vLLM 8000, SGLang 30000, plus --port.\n"
              "Cloud keys are listed by variable name only; their values are never printed.");
  cmd->callback([f, &ctx] { ctx.exit_code = run_detect(*f); });
}

}  // namespace llmux::cli
