// End to end in every dialect: the built llmux benches `llmux sim --dialect D` on
// loopback through D's client codec, with the server's own token counts (Anthropic
// message_delta usage, Gemini usageMetadata, Ollama eval_count), the sim's timing
// measured as in the OpenAI dialect, and faults (HTTP errors, cut and malformed
// streams) classified the same way.
#include <gtest/gtest.h>

#include <cstdlib>

#include "e2e/e2e_support.hpp"
#include "support/http_helper.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;

const json& level(const BenchRun& b, std::size_t i = 0) { return b.result["runs"][i]["summary"]; }

class BenchDialect : public ::testing::TestWithParam<std::string> {};

TEST_P(BenchDialect, TimingAndServerCountsAreMeasured) {
  const std::string dialect = GetParam();
  // --natural-tokens far above max_tokens: every answer runs to max_tokens, even in the
  // dialects whose APIs cannot force the length.
  SimProcess sim({"--dialect", dialect, "--ttft", "60ms", "--itl", "10ms", "--natural-tokens", "100000"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "--dialect", dialect, "--model", "sim-model", "-c", "2", "-n", "6",
                      "--input-tokens", "64", "--output-tokens", "12"},
                     dir);
  ASSERT_EQ(b.status, 0) << b.err << b.out;
  const json& s = level(b);
  EXPECT_EQ(b.result["endpoint"]["dialect"], dialect);
  // A sim given by URL is labelled simulated, as the built-in one is (its Server header says what it is).
  EXPECT_TRUE(b.result["endpoint"]["simulated"].get<bool>());
  EXPECT_EQ(b.result["endpoint"]["simulated_profile"], "llmux-sim (fixed profile) at " + sim.url());
  EXPECT_NE(b.out.find("SIMULATED"), std::string::npos) << b.out;
  EXPECT_EQ(s["requests_completed"], 6);
  EXPECT_EQ(s["output_tokens"]["mean"].get<double>(), 12);
  EXPECT_EQ(s["output_tokens_source"], "server");
  EXPECT_EQ(s["input_tokens_source"], "server");
  EXPECT_TRUE(b.result["workload"]["input_calibrated"].get<bool>());
  EXPECT_NEAR(s["input_tokens"]["mean"].get<double>(), 64, 3);
  EXPECT_GE(s["ttft_ms"]["min"].get<double>(), 59.9);
  EXPECT_LT(s["ttft_ms"]["p50"].get<double>(), 60 + 25);
  EXPECT_NEAR(s["tpot_ms"]["p50"].get<double>(), 10, 3);
  EXPECT_GE(s["e2e_ms"]["min"].get<double>(), 60 + 11 * 10 - 0.5);
  EXPECT_FALSE(s["itl_apportioned"].get<bool>());
  EXPECT_EQ(s["output_length_match"].get<double>(), 1.0);
  std::string notes = b.result["notes"].dump();
  bool can_force = dialect == "openai" || dialect == "ollama";
  EXPECT_EQ(notes.find("no way to force") != std::string::npos, !can_force) << notes;
  EXPECT_EQ(b.result["options"]["ignore_eos"].get<bool>(), can_force);
  // Ollama reports its own durations; they sit beside the client's figures.
  EXPECT_EQ(s.contains("server_timing"), dialect == "ollama");
  if (dialect == "ollama") {
    const json& t = s["server_timing"];
    EXPECT_NEAR(t["prompt_eval_ms"]["p50"].get<double>(), 60, 15);
    EXPECT_NEAR(t["eval_ms"]["p50"].get<double>(), 11 * 10, 20);
    EXPECT_GE(t["total_ms"]["min"].get<double>(), t["eval_ms"]["min"].get<double>());
    EXPECT_NEAR(t["eval_tokens_per_s"]["p50"].get<double>(), 12 * 1000.0 / 110, 25);
  }
  EXPECT_EQ(sim.stats()["completed"], 6);
}

TEST_P(BenchDialect, AnnotatedMultiTokenChunksGiveExactItl) {
  const std::string dialect = GetParam();
  SimProcess sim({"--dialect", dialect, "--ttft", "30ms", "--itl", "10ms", "--tokens-per-chunk", "3", "--annotate",
                  "--natural-tokens", "100000"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "--dialect", dialect, "-c", "1", "-n", "3", "--output-tokens", "12"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  const json& s = level(b);
  EXPECT_NEAR(s["itl_ms"]["p50"].get<double>(), 10, 3);
  EXPECT_NEAR(s["inter_chunk_ms"]["p50"].get<double>(), 30, 6);
  EXPECT_FALSE(s["itl_apportioned"].get<bool>());
  ASSERT_TRUE(s.contains("timing_error_ms"));
  EXPECT_GE(s["timing_error_ms"]["min"].get<double>(), 0.0);
}

TEST_P(BenchDialect, NonStreamedAnswersCount) {
  const std::string dialect = GetParam();
  SimProcess sim({"--dialect", dialect, "--ttft", "5ms", "--itl", "1ms", "--natural-tokens", "100000"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "--dialect", dialect, "-c", "2", "-n", "4", "--output-tokens", "9", "--no-stream"},
                     dir);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(level(b)["requests_completed"], 4);
  EXPECT_EQ(level(b)["output_tokens"]["mean"].get<double>(), 9);
  EXPECT_EQ(level(b)["output_tokens_source"], "server");
  // Each answer arrives whole: no per-token time was measured, so none is reported (not 0 ms).
  for (const char* metric : {"tpot_ms", "itl_ms", "inter_chunk_ms"}) {
    EXPECT_EQ(level(b)[metric]["count"], 0) << metric;
    EXPECT_TRUE(level(b)[metric]["p50"].is_null()) << metric << ": " << level(b)[metric].dump();
  }
  EXPECT_GT(level(b)["ttft_ms"]["count"].get<int>(), 0);
  EXPECT_FALSE(level(b)["itl_apportioned"].get<bool>());
  std::string notes = b.result["notes"].dump();
  EXPECT_NE(notes.find("not streamed (--no-stream)"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("ITL apportioned"), std::string::npos) << notes;
}

TEST_P(BenchDialect, FaultsAreClassifiedTheSameWay) {
  const std::string dialect = GetParam();
  SimProcess sim({"--dialect", dialect, "--ttft", "5ms", "--itl", "2ms"});
  TempDir dir;
  const std::pair<const char*, const char*> cases[] = {
      {"status=503", "http_5xx"}, {"cut-after=3", "stream_cut"}, {"malformed-at=2", "malformed"}};
  for (auto [fault, kind] : cases) {
    auto b = run_bench({"--url", sim.url(), "--dialect", dialect, "-c", "1", "-n", "2", "--output-tokens", "8",
                        "--header", std::string("x-llmux-fault: ") + fault},
                       dir);
    EXPECT_EQ(b.status, 1) << fault;  // nothing completed
    ASSERT_TRUE(b.result.is_object()) << fault << b.err;
    EXPECT_EQ(level(b)["errors"][kind], 2) << fault << " " << level(b)["errors"].dump();
    if (std::string(kind) == "http_5xx") {  // the dialect's error body was decoded for its message
      EXPECT_NE(level(b)["error_samples"].dump().find("simulated failure"), std::string::npos)
          << level(b)["error_samples"].dump();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllDialects, BenchDialect, ::testing::Values("openai", "anthropic", "gemini", "ollama"));

TEST(SimOllama, ShowDescribesThePlannedModelAndRefusesOthers) {
  SimProcess planned({"--dialect", "ollama", "--model", "llama-3.1-8b", "--quant", "Q8_0", "--gpu", "rtx-4090"});
  auto show = http_request("POST", planned.root() + "/api/show", R"({"model": "llama-3.1-8b:latest"})");
  ASSERT_EQ(show.status, 200) << show.body;
  auto body = json::parse(show.body, nullptr, false);
  EXPECT_EQ(body["model_info"]["general.architecture"], "llama");
  EXPECT_EQ(body["model_info"]["llama.block_count"], 32);
  EXPECT_EQ(body["model_info"]["llama.attention.head_count_kv"], 8);
  EXPECT_EQ(body["details"]["quantization_level"], "Q8_0");
  auto unknown = http_request("POST", planned.root() + "/api/show", R"({"model": "other"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json::parse(unknown.body, nullptr, false)["error"], "model 'other' not found") << unknown.body;
  EXPECT_EQ(http_request("POST", planned.root() + "/api/show", "{}").status, 400);
  // Without --model the sim has no architecture to describe, and says only what it is.
  SimProcess plain({"--dialect", "ollama"});
  auto bare = http_request("POST", plain.root() + "/api/show", R"({"model": "sim-model"})");
  ASSERT_EQ(bare.status, 200);
  EXPECT_EQ(json::parse(bare.body, nullptr, false)["model_info"]["general.architecture"], "llmux-sim");
}

TEST(BenchProviders, PresetGivesDialectAndOllamaSimAlsoServesV1) {
  SimProcess sim({"--dialect", "ollama", "--ttft", "5ms", "--itl", "1ms"});
  TempDir dir;
  // The preset's dialect and quirks, with the URL of this sim.
  auto native = run_bench({"--provider", "llmux-sim-ollama", "--url", sim.root(), "-c", "1", "-n", "3",
                           "--output-tokens", "7"},
                          dir);
  ASSERT_EQ(native.status, 0) << native.err;
  EXPECT_EQ(native.result["endpoint"]["dialect"], "ollama");
  EXPECT_EQ(native.result["endpoint"]["url"], sim.root() + "/api");  // a bare host gets Ollama's /api
  EXPECT_EQ(level(native)["output_tokens"]["mean"].get<double>(), 7);
  EXPECT_EQ(native.result["endpoint"]["model"], "sim-model");  // from /api/tags
  // Ollama's OpenAI-compatible /v1, on the same server.
  auto v1 = run_bench({"--url", sim.root() + "/v1", "-c", "1", "-n", "3", "--output-tokens", "7"}, dir);
  ASSERT_EQ(v1.status, 0) << v1.err;
  EXPECT_EQ(v1.result["endpoint"]["dialect"], "openai");
  EXPECT_EQ(level(v1)["output_tokens"]["mean"].get<double>(), 7);
}

TEST(BenchProviders, UnknownProviderIsAUsageErrorWithSuggestions) {
  TempDir dir;
  auto b = run_bench({"--provider", "antropic", "-n", "1"}, dir);
  EXPECT_EQ(b.status, 2);
  EXPECT_NE(b.err.find("anthropic"), std::string::npos) << b.err;
}

TEST(BenchProviders, CloudProviderWithoutItsKeySaysWhichVariable) {
  if (std::getenv("ANTHROPIC_API_KEY")) GTEST_SKIP() << "ANTHROPIC_API_KEY is set here";
  auto r = run({binary(), "bench", "-q", "--provider", "anthropic", "-n", "1"}, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("ANTHROPIC_API_KEY"), std::string::npos) << r.err;
}

TEST(BenchProviders, GeminiTakesItsKeyFromGoogleApiKeyToo) {
  // docs/dialects.md: the gemini preset's key is GEMINI_API_KEY or GOOGLE_API_KEY.
  SimProcess sim({"--dialect", "gemini", "--ttft", "5ms", "--itl", "1ms"});
  TempDir dir;
  std::string out = dir.file("result.json");
  auto r = run({binary(), "bench", "-q", "--provider", "gemini", "--url", sim.url(), "-n", "1", "--output-tokens", "3",
                "-o", out},
               std::chrono::seconds(60), {"GEMINI_API_KEY=", "GOOGLE_API_KEY=g-key"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(read_file(out))["endpoint"]["api_key_env"], "GOOGLE_API_KEY");
  auto none = run({binary(), "bench", "-q", "--provider", "gemini", "-n", "1"}, std::chrono::seconds(30),
                  {"GEMINI_API_KEY=", "GOOGLE_API_KEY="});
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.err.find("environment variable GEMINI_API_KEY (or GOOGLE_API_KEY) is not set"), std::string::npos)
      << none.err;
}

TEST(BenchProviders, BuiltInSimulatedEndpointSpeaksTheDialectAsked) {
  TempDir dir;
  auto b = run_bench({"--dialect", "gemini", "-c", "1", "-n", "2", "--output-tokens", "5", "--input-tokens", "20"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_TRUE(b.result["endpoint"]["simulated"].get<bool>());
  EXPECT_EQ(b.result["endpoint"]["dialect"], "gemini");
  EXPECT_NE(b.result["endpoint"]["url"].get<std::string>().find("/v1beta"), std::string::npos);
}

}  // namespace
}  // namespace llmux::test
