// Endpoints from flags and presets: each dialect's auth header and API root, Azure's
// deployment URLs (api-key header, api-version on every request), presets' quirks.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "providers/endpoint.hpp"
#include "providers/presets.hpp"

namespace llmux::providers {
namespace {

Endpoint make(std::string url, api::Dialect d, std::string key_env = "") {
  auto ep = make_endpoint(EndpointSpec{std::move(url), d, "m", std::move(key_env), {}});
  EXPECT_TRUE(ep) << (ep ? "" : ep.error().message);
  return ep ? *ep : Endpoint{};
}

TEST(Endpoint, EachDialectCarriesTheKeyInItsOwnHeader) {
  ::setenv("LLMUX_TEST_KEY", "sk-test", 1);
  EXPECT_EQ(make("https://api.openai.com/v1", api::Dialect::openai, "LLMUX_TEST_KEY").headers.get("Authorization"),
            "Bearer sk-test");
  EXPECT_EQ(make("https://api.anthropic.com/v1", api::Dialect::anthropic, "LLMUX_TEST_KEY").headers.get("x-api-key"),
            "sk-test");
  EXPECT_EQ(make("https://generativelanguage.googleapis.com/v1beta", api::Dialect::gemini, "LLMUX_TEST_KEY")
                .headers.get("x-goog-api-key"),
            "sk-test");
}

TEST(Endpoint, BareHostsGetTheDialectsApiRoot) {
  EXPECT_EQ(make("http://127.0.0.1:11434", api::Dialect::ollama).base_url, "http://127.0.0.1:11434/api");
  EXPECT_EQ(make("https://api.anthropic.com/", api::Dialect::anthropic).base_url, "https://api.anthropic.com/v1");
  EXPECT_EQ(make("https://generativelanguage.googleapis.com", api::Dialect::gemini).base_url,
            "https://generativelanguage.googleapis.com/v1beta");
  EXPECT_EQ(make("http://127.0.0.1:8080", api::Dialect::openai).base_url, "http://127.0.0.1:8080/v1")
      << "llama-server, vLLM, LM Studio and Ollama serve the OpenAI API under /v1";
  EXPECT_EQ(make("http://127.0.0.1:8080/custom", api::Dialect::openai).base_url, "http://127.0.0.1:8080/custom")
      << "a path is taken as given";
  EXPECT_EQ(make("http://127.0.0.1:11434/api", api::Dialect::ollama).base_url, "http://127.0.0.1:11434/api");
}

TEST(Endpoint, AzureDeploymentsGetApiKeyAndApiVersion) {
  ::setenv("LLMUX_TEST_AZURE", "az-key", 1);
  auto ep = make("https://res.openai.azure.com/openai/deployments/gpt4o", api::Dialect::openai, "LLMUX_TEST_AZURE");
  EXPECT_EQ(ep.headers.get("api-key"), "az-key");
  EXPECT_FALSE(ep.headers.has("Authorization"));
  auto url = ep.url_for("chat/completions");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->str(), "https://res.openai.azure.com:443/openai/deployments/gpt4o/chat/completions?api-version=" +
                            find_preset("azure")->api_version);
  // An api-version in the URL wins, and stays on every request.
  auto pinned = make("https://res.openai.azure.com/openai/deployments/gpt4o?api-version=2025-01-01-preview",
                     api::Dialect::openai);
  EXPECT_EQ(pinned.base_url, "https://res.openai.azure.com/openai/deployments/gpt4o");
  EXPECT_EQ(pinned.url_for("chat/completions")->target,
            "/openai/deployments/gpt4o/chat/completions?api-version=2025-01-01-preview");
}

TEST(Endpoint, UrlsAreTheirOwnEndpointsWhateverWasBuiltBefore) {
  // url_for keeps recent URLs per thread: endpoints that differ only in host, port or
  // query, asked in turn, each get their own.
  auto a = make("http://127.0.0.1:8001/v1", api::Dialect::openai);
  auto b = make("http://127.0.0.1:8002/v1", api::Dialect::openai);
  auto q = make("http://127.0.0.1:8001/v1?api-version=7", api::Dialect::openai);
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(a.url_for("chat/completions")->str(), "http://127.0.0.1:8001/v1/chat/completions");
    EXPECT_EQ(b.url_for("chat/completions")->str(), "http://127.0.0.1:8002/v1/chat/completions");
    EXPECT_EQ(q.url_for("chat/completions")->str(), "http://127.0.0.1:8001/v1/chat/completions?api-version=7");
    EXPECT_EQ(a.url_for("completions")->str(), "http://127.0.0.1:8001/v1/completions");
  }
  for (int i = 0; i < 20; ++i) {  // more endpoints than the thread keeps: built again, still right
    auto e = make("http://127.0.0.1:" + std::to_string(9000 + i) + "/v1", api::Dialect::openai);
    EXPECT_EQ(e.url_for("models")->port, 9000 + i);
  }
  EXPECT_EQ(a.url_for("chat/completions")->port, 8001);
  Endpoint bad = a;
  bad.base_url = "ftp://x";
  EXPECT_FALSE(bad.url_for("chat/completions")) << "a URL that does not parse is an error each time";
  EXPECT_FALSE(bad.url_for("chat/completions"));
}

TEST(Presets, AKeyKeptInAnotherUsualVariableIsFound) {
  // docs/dialects.md: gemini's key is GEMINI_API_KEY or GOOGLE_API_KEY.
  const Preset& gemini = *find_preset("gemini");
  EndpointSpec spec{gemini.base_url, gemini.dialect, "m", gemini.key_env, {}};
  spec.fallback_key_envs = gemini.other_key_envs;
  ::unsetenv("GEMINI_API_KEY");
  ::setenv("GOOGLE_API_KEY", "g-key", 1);
  EXPECT_EQ(key_env_in_use(gemini), "GOOGLE_API_KEY");
  auto ep = make_endpoint(spec);
  ASSERT_TRUE(ep) << ep.error().message;
  EXPECT_EQ(ep->headers.get("x-goog-api-key"), "g-key");
  EXPECT_EQ(ep->api_key_env, "GOOGLE_API_KEY");
  ::setenv("GEMINI_API_KEY", "gemini-key", 1);  // the preset's own variable comes first
  EXPECT_EQ(key_env_in_use(gemini), "GEMINI_API_KEY");
  EXPECT_EQ(make_endpoint(spec)->headers.get("x-goog-api-key"), "gemini-key");
  ::unsetenv("GEMINI_API_KEY");
  ::unsetenv("GOOGLE_API_KEY");
  auto missing = make_endpoint(spec);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "environment variable GEMINI_API_KEY (or GOOGLE_API_KEY) is not set");
  EXPECT_EQ(key_env_in_use(gemini), "GEMINI_API_KEY");
}

TEST(Presets, EveryDialectAndTheUsualServersAreKnown) {
  for (const char* name : {"openai", "anthropic", "gemini", "ollama", "ollama-native", "lmstudio", "llama.cpp", "vllm",
                           "sglang", "groq", "together", "fireworks", "deepseek", "mistral", "openrouter", "azure"})
    EXPECT_NE(find_preset(name), nullptr) << name;
  EXPECT_EQ(find_preset("anthropic")->dialect, api::Dialect::anthropic);
  EXPECT_EQ(find_preset("gemini")->dialect, api::Dialect::gemini);
  EXPECT_EQ(find_preset("ollama-native")->dialect, api::Dialect::ollama);
  EXPECT_TRUE(find_preset("vllm")->accepts_ignore_eos);
  EXPECT_FALSE(find_preset("openai")->accepts_ignore_eos);
  EXPECT_FALSE(find_preset("mistral")->stream_usage);
  EXPECT_EQ(find_preset("azure")->auth_header, "api-key");
  for (const auto& p : presets()) {
    if (p.local) EXPECT_TRUE(p.key_env.empty()) << p.name;
    else EXPECT_FALSE(p.key_env.empty()) << p.name;
  }
}

}  // namespace
}  // namespace llmux::providers
