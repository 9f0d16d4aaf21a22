#include "providers/presets.hpp"

#include <cstdlib>

namespace llmux::providers {

const std::vector<Preset>& presets() {
  using D = api::Dialect;
  static const std::vector<Preset> kPresets = {
      {"openai", "https://api.openai.com/v1", D::openai, "OPENAI_API_KEY", false, false, 0, "OpenAI API", "gpt-4o-mini"},
      {"anthropic", "https://api.anthropic.com/v1", D::anthropic, "ANTHROPIC_API_KEY", false, false, 0, "Anthropic Messages API", "claude-3-5-haiku-latest"},
      {"gemini", "https://generativelanguage.googleapis.com/v1beta", D::gemini, "GEMINI_API_KEY", false, false, 0, "Google Gemini API", "gemini-2.0-flash", true, "", "", {"GOOGLE_API_KEY"}},
      {"groq", "https://api.groq.com/openai/v1", D::openai, "GROQ_API_KEY", false, false, 0, "Groq (OpenAI-compatible)", "llama-3.1-8b-instant"},
      {"together", "https://api.together.xyz/v1", D::openai, "TOGETHER_API_KEY", false, false, 0, "Together AI (OpenAI-compatible)", "meta-llama/Llama-3.3-70B-Instruct-Turbo"},
      {"fireworks", "https://api.fireworks.ai/inference/v1", D::openai, "FIREWORKS_API_KEY", false, false, 0, "Fireworks AI (OpenAI-compatible)", "accounts/fireworks/models/llama-v3p1-8b-instruct"},
      {"deepseek", "https://api.deepseek.com/v1", D::openai, "DEEPSEEK_API_KEY", false, false, 0, "DeepSeek API (OpenAI-compatible)", "deepseek-chat"},
      {"mistral", "https://api.mistral.ai/v1", D::openai, "MISTRAL_API_KEY", false, false, 0, "Mistral AI (OpenAI-compatible; usage always in the last chunk, no stream_options)", "mistral-small-latest", false},
      {"openrouter", "https://openrouter.ai/api/v1", D::openai, "OPENROUTER_API_KEY", false, false, 0, "OpenRouter (OpenAI-compatible)", "openai/gpt-4o-mini"},
      {"azure", "", D::openai, "AZURE_OPENAI_API_KEY", false, false, 0, "Azure OpenAI (--url https://RESOURCE.openai.azure.com/openai/deployments/DEPLOYMENT)", "", true, "2024-10-21", "api-key"},
      {"ollama", "http://127.0.0.1:11434/v1", D::openai, "", true, false, 11434, "Ollama (OpenAI-compatible /v1)"},
      {"ollama-native", "http://127.0.0.1:11434/api", D::ollama, "", true, false, 11434, "Ollama native API (/api/chat; output length: options.num_predict)"},
      {"lmstudio", "http://127.0.0.1:1234/v1", D::openai, "", true, false, 1234, "LM Studio"},
      {"llama.cpp", "http://127.0.0.1:8080/v1", D::openai, "", true, true, 8080, "llama.cpp llama-server"},
      {"vllm", "http://127.0.0.1:8000/v1", D::openai, "", true, true, 8000, "vLLM"},
      {"sglang", "http://127.0.0.1:30000/v1", D::openai, "", true, true, 30000, "SGLang"},
      {"llmux-sim", "http://127.0.0.1:8080/v1", D::openai, "", true, true, 0, "llmux sim"},
      {"llmux-sim-anthropic", "http://127.0.0.1:8080/v1", D::anthropic, "", true, true, 0, "llmux sim --dialect anthropic"},
      {"llmux-sim-gemini", "http://127.0.0.1:8080/v1beta", D::gemini, "", true, true, 0, "llmux sim --dialect gemini"},
      {"llmux-sim-ollama", "http://127.0.0.1:8080/api", D::ollama, "", true, true, 0, "llmux sim --dialect ollama"},
  };
  return kPresets;
}

const Preset* find_preset(std::string_view name) {
  for (const auto& p : presets())
    if (p.name == name) return &p;
  return nullptr;
}

bool env_set(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v && *v;
}

std::string key_env_in_use(const Preset& p) {
  if (env_set(p.key_env)) return p.key_env;
  for (const auto& other : p.other_key_envs)
    if (env_set(other)) return other;
  return p.key_env;
}

std::string key_env_names(const std::string& key_env, const std::vector<std::string>& others) {
  std::string out = key_env;
  for (std::size_t i = 0; i < others.size(); ++i) out += (i ? ", " : " (or ") + others[i];
  return others.empty() ? out : out + ")";
}

std::string key_env_names(const Preset& p) { return key_env_names(p.key_env, p.other_key_envs); }

std::vector<std::string> preset_names() {
  std::vector<std::string> out;
  for (const auto& p : presets()) out.push_back(p.name);
  return out;
}

}  // namespace llmux::providers
