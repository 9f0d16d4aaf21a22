#pragma once
// Finds local LLM runtimes on their usual loopback ports (Ollama 11434, LM Studio
// 1234, llama.cpp 8080, vLLM 8000, SGLang 30000, plus extra ports) and the cloud
// API keys present in the environment — by variable name only, never the value.
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace llmux::providers {

struct DetectedRuntime {
  std::string runtime;   // "ollama", "llama.cpp", "vllm", "lmstudio", "sglang", "openai-compatible"
  std::string base_url;  // OpenAI-compatible base, ".../v1"
  std::uint16_t port = 0;
  std::string version;
  std::vector<std::string> models;
  std::vector<std::string> loaded;  // models in memory, where the runtime says
};

struct CloudKey {
  std::string provider;  // preset name
  std::string env;       // variable name
};

// Probes concurrently; a port that does not answer an OpenAI-style /v1/models within
// `timeout` is skipped.
std::vector<DetectedRuntime> detect_local(const std::vector<std::uint16_t>& extra_ports,
                                          Nanos timeout = 800 * kNanosPerMilli, const std::string& host = "127.0.0.1");
std::vector<CloudKey> cloud_keys_present();

}  // namespace llmux::providers
