#pragma once
// Finds local LLM runtimes on their usual loopback ports (Ollama 11434, LM Studio
// 1234, llama.cpp 8080, vLLM 8000, SGLang 30000, plus extra ports) and the cloud
// API keys present in the environment — by variable name only, never the value.
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace llmux::providers {

struct DetectedRuntime {
  std::string runtime;   // "ollama", "llama.cpp", "vllm", "lmstudio", "sglang", "llmux-sim", "openai-compatible"
  std::string base_url;  // OpenAI-compatible base, ".../v1"
  std::uint16_t port = 0;
  std::string version;
  std::vector<std::string> models;
  std::vector<std::string> loaded;  // models in memory, where the runtime says
  std::string native_url = {};      // the runtime's own API where it has one (Ollama: ".../api")
  bool loaded_known = false;        // the runtime said which models are loaded (else all are assumed)
  bool simulated = false;           // an llmux sim: no model runs behind it
  std::string dialect = "openai";   // the API at native_url, or at base_url when that is empty (sims of other APIs)
};

struct CloudKey {
  std::string provider;  // preset name
  std::string env;       // variable name
};

// Probes concurrently; a port where neither Ollama's /api/version nor an OpenAI-style
// /v1/models answers within `timeout` is skipped. Each runtime is named by the side
// endpoints only it has: Ollama /api/version (models /api/tags, loaded /api/ps),
// llama.cpp /props, vLLM /version, SGLang /get_model_info, llmux sim /sim/stats,
// LM Studio /api/v0/models (its "state"); anything else is "openai-compatible".
std::vector<DetectedRuntime> detect_local(const std::vector<std::uint16_t>& extra_ports,
                                          Nanos timeout = 800 * kNanosPerMilli, const std::string& host = "127.0.0.1");
// Cloud providers whose key variable is set (each preset's, and the other names people
// use, e.g. GOOGLE_API_KEY). Values are never read beyond "set and not empty".
std::vector<CloudKey> cloud_keys_present();

// What an Ollama server says of a model it serves (POST /api/show {"model"}), the raw
// answer for catalog::model_from_ollama_show. `url` is any of its URLs (the root,
// .../v1 or .../api). An error when nothing answers there with 200 (not Ollama, or
// the model is not there); answers over `max_bytes` are errors too.
Result<std::string> ollama_show(const std::string& url, const std::string& model,
                                Nanos timeout = 5 * kNanosPerSecond, std::size_t max_bytes = 8u << 20);

}  // namespace llmux::providers
