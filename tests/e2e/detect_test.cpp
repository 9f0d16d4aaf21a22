// llmux detect against sims bound on ports given with --port: each is named with
// its runtime, version, models and loaded models; cloud keys are listed by variable
// name and their values never appear.
#include <gtest/gtest.h>

#include <algorithm>

#include "e2e/e2e_support.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;

const json* runtime_on(const json& doc, int port) {
  for (const auto& r : doc["runtimes"])
    if (r["port"] == port) return &r;
  return nullptr;
}

TEST(Detect, NamesRuntimesOnExtraPortsAndListsKeyNamesOnly) {
  SimProcess openai_sim({"--model-name", "qwen-sim,llama-sim"});
  SimProcess ollama_sim({"--dialect", "ollama", "--model-name", "llama3.2:latest"});
  const std::string secret = "sk-detect-test-do-not-print-4242";
  auto r = run({binary(), "detect", "--format", "json", "--port", std::to_string(openai_sim.port()), "--port",
                std::to_string(ollama_sim.port())},
               std::chrono::seconds(60), {"DEEPSEEK_API_KEY=" + secret});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find(secret), std::string::npos);
  auto doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;

  const json* sim = runtime_on(doc, openai_sim.port());
  ASSERT_NE(sim, nullptr) << r.out;
  EXPECT_EQ((*sim)["runtime"], "llmux-sim");
  EXPECT_EQ((*sim)["models"], json::array({"qwen-sim", "llama-sim"}));
  EXPECT_EQ((*sim)["openai_url"], openai_sim.root() + "/v1");

  const json* ollama = runtime_on(doc, ollama_sim.port());
  ASSERT_NE(ollama, nullptr) << r.out;
  EXPECT_EQ((*ollama)["runtime"], "ollama");
  EXPECT_EQ((*ollama)["version"], "0.0.0-llmux-sim");
  EXPECT_EQ((*ollama)["models"], json::array({"llama3.2:latest"}));
  EXPECT_EQ((*ollama)["loaded"], json::array({"llama3.2:latest"}));  // from /api/ps
  EXPECT_EQ((*ollama)["native_url"], ollama_sim.root() + "/api");
  EXPECT_EQ((*ollama)["provider"], "ollama-native");

  bool listed = false;
  for (const auto& k : doc["cloud_keys"]) listed |= k["provider"] == "deepseek" && k["env"] == "DEEPSEEK_API_KEY";
  EXPECT_TRUE(listed) << doc["cloud_keys"].dump();
  for (int port : {11434, 1234, 8080, 8000, 30000})
    EXPECT_NE(std::find(doc["probed_ports"].begin(), doc["probed_ports"].end(), port), doc["probed_ports"].end()) << port;
}

TEST(Detect, SimsSayTheyAreSimulatedAndWhichApiTheyServe) {
  SimProcess openai_sim({"--model-name", "m1"});
  SimProcess anthropic_sim({"--dialect", "anthropic", "--model-name", "claude-sim"});
  SimProcess gemini_sim({"--dialect", "gemini", "--model-name", "gemini-sim"});
  SimProcess ollama_sim({"--dialect", "ollama", "--model-name", "llama3.2:latest"});
  auto r = run({binary(), "detect", "--format", "json", "--port", std::to_string(openai_sim.port()), "--port",
                std::to_string(anthropic_sim.port()), "--port", std::to_string(gemini_sim.port()), "--port",
                std::to_string(ollama_sim.port())},
               std::chrono::seconds(60));
  ASSERT_EQ(r.status, 0) << r.err;
  auto doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << r.out;
  const json* anthropic = runtime_on(doc, anthropic_sim.port());
  ASSERT_NE(anthropic, nullptr) << r.out;
  EXPECT_EQ((*anthropic)["dialect"], "anthropic");
  EXPECT_TRUE((*anthropic)["openai_url"].is_null()) << "its /v1/chat/completions is a 404: " << anthropic->dump();
  EXPECT_EQ((*anthropic)["native_url"], anthropic_sim.root() + "/v1");
  EXPECT_EQ((*anthropic)["provider"], "llmux-sim-anthropic");
  EXPECT_EQ((*anthropic)["models"], json::array({"claude-sim"}));
  const json* gemini = runtime_on(doc, gemini_sim.port());
  ASSERT_NE(gemini, nullptr) << r.out;
  EXPECT_EQ((*gemini)["dialect"], "gemini");
  EXPECT_TRUE((*gemini)["openai_url"].is_null());
  EXPECT_EQ((*gemini)["native_url"], gemini_sim.root() + "/v1beta");
  EXPECT_EQ((*gemini)["models"], json::array({"gemini-sim"}));
  for (const auto* sim : {runtime_on(doc, openai_sim.port()), anthropic, gemini, runtime_on(doc, ollama_sim.port())}) {
    ASSERT_NE(sim, nullptr) << r.out;
    EXPECT_EQ((*sim)["simulated"], true) << sim->dump();
  }
  EXPECT_EQ((*runtime_on(doc, ollama_sim.port()))["dialect"], "ollama");
  auto table = run({binary(), "detect", "--port", std::to_string(anthropic_sim.port())}, std::chrono::seconds(60));
  EXPECT_NE(table.out.find(anthropic_sim.root() + "/v1  (anthropic API)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("llmux sim: a simulated server"), std::string::npos) << table.out;
}

TEST(Detect, TableNamesTheRuntimeAndMarksLoadedModels) {
  SimProcess ollama_sim({"--dialect", "ollama", "--model-name", "phi4:14b"});
  const std::string secret = "sk-table-secret-9999";
  auto r = run({binary(), "detect", "--port", std::to_string(ollama_sim.port())}, std::chrono::seconds(60),
               {"OPENROUTER_API_KEY=" + secret});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find(secret), std::string::npos);
  EXPECT_NE(r.out.find("ollama"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("phi4:14b*"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("OPENROUTER_API_KEY"), std::string::npos) << r.out;
}

TEST(Detect, NothingListeningIsNotAnError) {
  auto r = run({binary(), "detect", "--format", "json", "--port", "9", "--timeout", "300ms"}, std::chrono::seconds(60));
  ASSERT_EQ(r.status, 0) << r.err;
  auto doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object());
  for (const auto& rt : doc["runtimes"]) EXPECT_NE(rt["port"], 9);
}

TEST(Cli, HelpIsACommandToo) {
  auto top = run({binary(), "help"});
  EXPECT_EQ(top.status, 0) << top.err;
  EXPECT_NE(top.out.find("Subcommands:"), std::string::npos) << top.out;
  auto plan = run({binary(), "help", "plan"});
  EXPECT_EQ(plan.status, 0) << plan.err;
  EXPECT_NE(plan.out.find("--model"), std::string::npos) << "the command's own flags: " << plan.out;
  auto none = run({binary()});
  EXPECT_EQ(none.status, 2) << "no command is still a usage error";
}

TEST(Detect, AHostThatDoesNotResolveIsAUsageErrorNotNoneFound) {
  auto r = run({binary(), "detect", "--host", "no such host"}, std::chrono::seconds(60));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.err.find("cannot resolve no such host"), std::string::npos) << r.err;
}

TEST(Detect, BadPortIsAUsageError) {
  auto r = run({binary(), "detect", "--port", "70000"}, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--port"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace llmux::test
