// Which paths a sim answers in each dialect, and the model lists in each API's shape.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/routes.hpp"

namespace llmux::sim {
namespace {

using api::Dialect;

TEST(SimRoutes, GenerationPathsPerDialect) {
  EXPECT_EQ(generation_dialect(Dialect::openai, "POST", "/v1/chat/completions"), Dialect::openai);
  EXPECT_EQ(generation_dialect(Dialect::openai, "POST", "/v1/messages"), std::nullopt);
  EXPECT_EQ(generation_dialect(Dialect::anthropic, "POST", "/v1/messages"), Dialect::anthropic);
  EXPECT_EQ(generation_dialect(Dialect::anthropic, "POST", "/v1/chat/completions"), std::nullopt);
  EXPECT_EQ(generation_dialect(Dialect::gemini, "POST", "/v1beta/models/g:streamGenerateContent"), Dialect::gemini);
  EXPECT_EQ(generation_dialect(Dialect::gemini, "POST", "/v1beta/models/g:generateContent"), Dialect::gemini);
  EXPECT_EQ(generation_dialect(Dialect::gemini, "POST", "/v1beta/models/g:countTokens"), std::nullopt);
  EXPECT_EQ(generation_dialect(Dialect::ollama, "POST", "/api/chat"), Dialect::ollama);
  EXPECT_EQ(generation_dialect(Dialect::ollama, "POST", "/api/generate"), Dialect::ollama);
  EXPECT_EQ(generation_dialect(Dialect::ollama, "POST", "/v1/chat/completions"), Dialect::openai);  // Ollama's /v1
  EXPECT_EQ(generation_dialect(Dialect::ollama, "GET", "/api/chat"), std::nullopt);
}

TEST(SimRoutes, ModelListsInEachApisShape) {
  SimOptions o;
  o.models = {"a", "b"};
  o.dialect = Dialect::gemini;
  auto gem = nlohmann::json::parse(*side_endpoint(o, "GET", "/v1beta/models"));
  EXPECT_EQ(gem["models"][0]["name"], "models/a");
  o.dialect = Dialect::anthropic;
  auto ant = nlohmann::json::parse(*side_endpoint(o, "GET", "/v1/models"));
  EXPECT_EQ(ant["data"][1]["id"], "b");
  EXPECT_EQ(ant["data"][1]["type"], "model");
  o.dialect = Dialect::ollama;
  EXPECT_EQ(nlohmann::json::parse(*side_endpoint(o, "GET", "/api/tags"))["models"][0]["name"], "a");
  EXPECT_TRUE(nlohmann::json::parse(*side_endpoint(o, "GET", "/api/ps"))["models"][0].contains("size_vram"));
  EXPECT_EQ(nlohmann::json::parse(*side_endpoint(o, "GET", "/api/version"))["version"], "0.0.0-llmux-sim");
  o.dialect = Dialect::openai;
  EXPECT_FALSE(side_endpoint(o, "GET", "/api/tags"));
  EXPECT_EQ(base_path(Dialect::gemini), "/v1beta");
  EXPECT_EQ(response_id(Dialect::anthropic, 3), "msg_sim3");
}

}  // namespace
}  // namespace llmux::sim
