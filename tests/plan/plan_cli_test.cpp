// End to end: the built binary's `plan` and `catalog` commands.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "catalog/gguf_builder.hpp"
#include "support/process.hpp"

namespace llmux {
namespace {

using test::run;

std::vector<std::string> args(std::initializer_list<std::string> a) {
  std::vector<std::string> v{test::binary()};
  v.insert(v.end(), a);
  return v;
}

std::vector<std::string> env() {
  return {"LLMUX_DATA_DIR=" + test::source_dir() + "/data", "LLMUX_USER_DATA_DIR=/nonexistent-llmux-user"};
}

TEST(PlanCli, IssueExampleRuns) {
  auto r = run(args({"plan", "--model", "llama-3.1-70b", "--quant", "Q4_K_M", "--ctx", "8192", "--gpu", "rtx-4090",
                     "--gpus", "2", "--concurrency", "4", "--workload", "in=2000,out=400,requests-per-day=20000",
                     "--compare", "gpt-4o-mini,claude-3-5-haiku"}),
               std::chrono::seconds(60), env());
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* part : {"Memory (Q4_K_M)", "fits with CPU offload", "time to first token", "gpt-4o-mini",
                           "claude-3-5-haiku", "break-even", "Recommendation:"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part;
}

TEST(PlanCli, ARuntimesNameForACatalogModelIsAcceptedAndSaidSo) {
  // docs/plan.md: Ollama tags and GGUF file names work as --model, as compare guesses them.
  for (std::string name : {"llama3.1:8b", "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"}) {
    auto r = run(args({"plan", "--model", name, "--gpu", "rtx-4090", "--format", "json"}), std::chrono::seconds(60), env());
    ASSERT_EQ(r.status, 0) << name << ": " << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["model"]["id"], "llama-3.1-8b") << name;
    EXPECT_NE(j["notes"].dump().find("'" + name + "' is taken as catalog model llama-3.1-8b"), std::string::npos)
        << j["notes"].dump();
  }
  auto unknown = run(args({"plan", "--model", "no-such-model", "--gpu", "rtx-4090"}), std::chrono::seconds(60), env());
  EXPECT_EQ(unknown.status, 2) << unknown.err;
  EXPECT_NE(unknown.err.find("unknown model 'no-such-model'"), std::string::npos) << unknown.err;
}

TEST(PlanCli, JsonAndMarkdownFormats) {
  auto j = run(args({"plan", "--model", "llama-3.1-8b", "--gpu", "rtx-4090", "--format", "json"}), std::chrono::seconds(60), env());
  ASSERT_EQ(j.status, 0) << j.err;
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_GE(doc["options"].size(), 6u);  // no --quant: the usual quantizations
  auto m = run(args({"plan", "--model", "llama-3.1-8b", "--gpu", "rtx-4090", "--format", "markdown"}), std::chrono::seconds(60), env());
  ASSERT_EQ(m.status, 0);
  EXPECT_EQ(m.out.rfind("# llmux plan", 0), 0u);
  EXPECT_NE(m.out.find("| quant |"), std::string::npos);
}

TEST(PlanCli, UnknownGpuSuggestsTheNearestNameAndExits2) {
  auto r = run(args({"plan", "--model", "llama-3.1-8b", "--gpu", "rtx4090"}), std::chrono::seconds(60), env());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("did you mean: rtx-4090"), std::string::npos) << r.err;
  auto m = run(args({"plan", "--model", "lama-3.1-8b", "--gpu", "rtx-4090"}), std::chrono::seconds(60), env());
  EXPECT_EQ(m.status, 2);
  EXPECT_NE(m.err.find("llama-3.1-8b"), std::string::npos) << m.err;
}

TEST(PlanCli, ImpossibleCombinationsSayWhy) {
  auto r = run(args({"plan", "--model", "llama-3.1-8b", "--gpu", "rtx-4090", "--gpus", "0"}), std::chrono::seconds(60), env());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--gpus must be at least 1"), std::string::npos) << r.err;
  auto c = run(args({"plan", "--model", "llama-3-8b", "--gpu", "rtx-4090", "--ctx", "100000"}), std::chrono::seconds(60), env());
  EXPECT_EQ(c.status, 2);
  EXPECT_NE(c.err.find("maximum of 8192"), std::string::npos) << c.err;
  auto n = run(args({"plan", "--gpu", "rtx-4090"}), std::chrono::seconds(60), env());
  EXPECT_EQ(n.status, 2);
  EXPECT_NE(n.err.find("--model"), std::string::npos);
}

TEST(PlanCli, PlansFromAGgufFile) {
  test::TempDir dir;
  std::string path = dir.file("tiny.gguf");
  test::write_file(path, test::tiny_llama().build());
  auto r = run(args({"plan", "--gguf", path, "--gpu", "rtx-3060", "--format", "json"}), std::chrono::seconds(60), env());
  ASSERT_EQ(r.status, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["model"]["layers"], 2);
  EXPECT_EQ(doc["primary"], "Q4_K_M");
  EXPECT_NE(doc["model"]["origin"].get<std::string>().find("tiny.gguf"), std::string::npos);
  test::write_file(dir.file("bad.gguf"), "GGUF\x03");
  auto bad = run(args({"plan", "--gguf", dir.file("bad.gguf"), "--gpu", "rtx-3060"}), std::chrono::seconds(60), env());
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("truncated"), std::string::npos) << bad.err;
}

TEST(PlanCli, GpuAutoSaysWhatItFound) {
  auto r = run(args({"plan", "--model", "llama-3.2-1b", "--gpu", "auto", "--quant", "Q4_K_M"}), std::chrono::seconds(60), env());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("detected: "), std::string::npos);
}

TEST(PlanCli, CalibrateTakesABenchResult) {
  auto r = run(args({"plan", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--gpu", "rtx-4090", "--calibrate",
                     test::source_dir() + "/tests/plan/fixtures/bench_result.json"}),
               std::chrono::seconds(60), env());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("calibrated with your bench results"), std::string::npos);
}

TEST(PlanCli, CalibrateRefusesABenchOfAnotherModelOrQuantization) {
  std::string fixture = test::source_dir() + "/tests/plan/fixtures/bench_result.json";  // served "llama-3.1-8b-q4_k_m"
  auto other = run(args({"plan", "--model", "llama-3.1-70b", "--quant", "Q4_K_M", "--gpu", "rtx-4090", "--gpus", "2",
                         "--calibrate", fixture}),
                   std::chrono::seconds(60), env());
  EXPECT_EQ(other.status, 2) << other.out;
  EXPECT_NE(other.err.find("the bench ran 'llama-3.1-8b-q4_k_m' (llama-3.1-8b), not llama-3.1-70b"), std::string::npos) << other.err;
  EXPECT_NE(other.err.find("--calibrate-any"), std::string::npos) << other.err;
  auto quant = run(args({"plan", "--model", "llama-3.1-8b", "--quant", "Q8_0", "--gpu", "rtx-4090", "--calibrate", fixture}),
                   std::chrono::seconds(60), env());
  EXPECT_EQ(quant.status, 2) << quant.out;
  EXPECT_NE(quant.err.find("the bench ran Q4_K_M weights"), std::string::npos) << quant.err;
  auto forced = run(args({"plan", "--model", "llama-3.1-70b", "--quant", "Q4_K_M", "--gpu", "rtx-4090", "--gpus", "2",
                          "--calibrate", fixture, "--calibrate-any"}),
                    std::chrono::seconds(60), env());
  ASSERT_EQ(forced.status, 0) << forced.err;
  EXPECT_NE(forced.out.find("calibrated with your bench results"), std::string::npos);
  // An Ollama-style name of the same model passes the check.
  test::TempDir dir;
  std::string text = test::read_file(fixture);
  text.replace(text.find("llama-3.1-8b-q4_k_m"), 19, "llama3.1:8b");
  test::write_file(dir.file("ollama.json"), text);
  auto same = run(args({"plan", "--model", "llama-3.1-8b", "--quant", "Q8_0", "--gpu", "rtx-4090", "--calibrate", dir.file("ollama.json")}),
                  std::chrono::seconds(60), env());
  EXPECT_EQ(same.status, 0) << same.err;
}

TEST(PlanCli, BadSizesExit2NamingTheFlag) {
  struct Case {
    std::vector<std::string> flags;
    const char* flag;
  };
  std::vector<Case> cases = {{{"--memory-gib", "-3"}, "--memory-gib"}, {{"--memory-gib", "0"}, "--memory-gib"},
                             {{"--memory-gib", "nan"}, "--memory-gib"}, {{"--host-ram", "-1"}, "--host-ram"},
                             {{"--gpu-layers", "-1"}, "--gpu-layers"},  {{"--reserve-gib", "-2"}, "--reserve-gib"},
                             {{"--reserve-gib", "30"}, "--reserve-gib"}, {{"--workload", "in=1.5"}, "--workload"},
                             {{"--workload", "in=100,in=200"}, "--workload"},
                             {{"--workload", "requests-per-day=99999999999999"}, "--workload"}};
  for (const auto& c : cases) {
    auto a = args({"plan", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--gpu", "rtx-4090"});
    a.insert(a.end(), c.flags.begin(), c.flags.end());
    auto r = run(a, std::chrono::seconds(60), env());
    EXPECT_EQ(r.status, 2) << c.flags[0] << " " << c.flags[1] << "\n" << r.out;
    EXPECT_NE(r.err.find(c.flag), std::string::npos) << r.err;
  }
}

// A GGUF header like tiny_llama's under another general.architecture.
std::string tiny_model_of(const std::string& arch) {
  test::GgufBuilder b;
  b.str("general.architecture", arch).str("general.name", "tiny-" + arch).u32("general.file_type", 15);
  b.u32(arch + ".block_count", 2).u32(arch + ".context_length", 2048).u32(arch + ".embedding_length", 256);
  b.u32(arch + ".feed_forward_length", 512).u32(arch + ".attention.head_count", 4).u32(arch + ".attention.head_count_kv", 2);
  b.u32(arch + ".vocab_size", 1000);
  b.tensor("token_embd.weight", 12, {256, 1000});
  for (int i = 0; i < 2; ++i) {
    std::string p = "blk." + std::to_string(i) + ".";
    b.tensor(p + "attn_q.weight", 12, {256, 256}).tensor(p + "ffn_up.weight", 12, {256, 512});
  }
  b.tensor("output.weight", 14, {256, 1000});
  return b.build();
}

TEST(PlanCli, GgufOfAnArchitectureThePlannerDoesNotModelIsNamed) {
  test::TempDir dir;
  test::write_file(dir.file("mamba.gguf"), tiny_model_of("mamba"));
  auto mamba = run(args({"plan", "--gguf", dir.file("mamba.gguf"), "--gpu", "rtx-3060"}), std::chrono::seconds(60), env());
  EXPECT_EQ(mamba.status, 2) << mamba.out;
  EXPECT_NE(mamba.err.find("general.architecture is 'mamba', a recurrent/state-space model"), std::string::npos) << mamba.err;
  test::write_file(dir.file("falcon.gguf"), tiny_model_of("falcon"));
  auto falcon = run(args({"plan", "--gguf", dir.file("falcon.gguf"), "--gpu", "rtx-3060"}), std::chrono::seconds(60), env());
  ASSERT_EQ(falcon.status, 0) << falcon.err;
  EXPECT_NE(falcon.out.find("warning: general.architecture 'falcon' is not one llmux plan models"), std::string::npos) << falcon.out;
  test::write_file(dir.file("llama.gguf"), tiny_model_of("llama"));
  auto llama = run(args({"plan", "--gguf", dir.file("llama.gguf"), "--gpu", "rtx-3060"}), std::chrono::seconds(60), env());
  ASSERT_EQ(llama.status, 0) << llama.err;
  EXPECT_EQ(llama.out.find("warning:"), std::string::npos) << llama.out;
}

TEST(PlanCli, HfConfigDirectoryDotIsNamedAfterTheDirectory) {
  test::TempDir dir;
  std::string model = dir.file("Llama-3.1-8B-Instruct");
  std::filesystem::create_directory(model);
  test::write_file(model + "/config.json", R"({"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
    "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "vocab_size": 128256,
    "max_position_embeddings": 131072})");
  auto r = run(args({"plan", "--hf-config", model + "/.", "--quant", "Q4_K_M", "--gpu", "rtx-4090"}), std::chrono::seconds(60), env());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("llama-server -m Llama-3.1-8B-Instruct-Q4_K_M.gguf"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("-m .-"), std::string::npos) << r.out;
}

TEST(CatalogCli, ListShowAndImportPrices) {
  auto list = run(args({"catalog", "list", "devices"}), std::chrono::seconds(60), env());
  ASSERT_EQ(list.status, 0);
  EXPECT_NE(list.out.find("rtx-4090"), std::string::npos);
  auto show = run(args({"catalog", "show", "deepseek-v3"}), std::chrono::seconds(60), env());
  ASSERT_EQ(show.status, 0);
  EXPECT_NE(show.out.find("MLA: kv_lora_rank 512"), std::string::npos);
  auto unknown = run(args({"catalog", "show", "gpt-4o-mni"}), std::chrono::seconds(60), env());
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("gpt-4o-mini"), std::string::npos);

  test::TempDir user;
  std::vector<std::string> user_env = {"LLMUX_DATA_DIR=" + test::source_dir() + "/data", "LLMUX_USER_DATA_DIR=" + user.path()};
  auto imp = run(args({"catalog", "import-prices", test::source_dir() + "/tests/catalog/fixtures/litellm_prices.json"}),
                 std::chrono::seconds(60), user_env);
  ASSERT_EQ(imp.status, 0) << imp.err;
  EXPECT_NE(imp.out.find("updated 2 known cloud models"), std::string::npos) << imp.out;
  auto after = run(args({"catalog", "show", "gpt-4o-mini"}), std::chrono::seconds(60), user_env);
  ASSERT_EQ(after.status, 0) << after.err;
  EXPECT_NE(after.out.find("$0.120 per 1M input"), std::string::npos) << after.out;
}

}  // namespace
}  // namespace llmux
