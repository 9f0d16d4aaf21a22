// End to end: `llmux compare` against sims on loopback standing for a local
// runtime and a cloud API; the report's numbers are the numbers of the bench
// and plan results it saved, and `llmux report` redraws it from those files.
#include <gtest/gtest.h>

#include <filesystem>

#include "e2e/e2e_support.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;

json load_json(const std::string& path) { return json::parse(read_file(path), nullptr, false); }

const json& option(const json& plan) {
  for (const auto& o : plan["options"])
    if (o["quant"] == plan["primary"]) return o;
  throw std::runtime_error("plan has no primary option");
}

std::string bench_file_of(const json& manifest, const std::string& name) {
  for (const auto& t : manifest["targets"])
    if (t["name"] == name) return t["bench_file"].get<std::string>();
  return "";
}

std::vector<std::string> compare_args(const std::string& local, const std::string& cloud, const TempDir& dir) {
  return {binary(), "compare", "-q", "--local", local, "--cloud", "none", "--cloud-url", "fakeai=" + cloud + ",price=gpt-4o-mini",
          "--gpu", "rtx-4090", "--quant", "Q4_K_M", "--workload", "in=300,out=40,requests-per-day=20000", "--concurrency", "1,4",
          "--level-duration", "1500ms", "--privacy", "local-only:credit_card", "-o", dir.file("report.json"), "--save-results",
          dir.file("results")};
}

TEST(Compare, ReportNumbersAreTheSavedBenchAndPlanNumbers) {
  SimProcess local({"--model-name", "llama-3.1-8b-instruct", "--profile", "batch", "--decode-base", "5ms", "--decode-per-seq", "0.2ms"});
  SimProcess cloud({"--ttft", "120ms", "--itl", "4ms"});
  TempDir dir;
  auto r = run(compare_args(local.url(), cloud.url(), dir), std::chrono::seconds(120));
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  json report = load_json(dir.file("report.json"));
  json plan = load_json(dir.file("results/plan.json"));
  json manifest = load_json(dir.file("results/compare.json"));
  ASSERT_TRUE(report.is_object() && plan.is_object() && manifest.is_object()) << r.err;
  ASSERT_EQ(report["targets"].size(), 2u);
  for (const auto& t : report["targets"]) {
    SCOPED_TRACE(t["name"].get<std::string>());
    EXPECT_EQ(t["status"], "measured");
    json bench = load_json(dir.file("results/" + bench_file_of(manifest, t["name"])));
    ASSERT_EQ(t["levels"].size(), bench["runs"].size());
    for (std::size_t i = 0; i < bench["runs"].size(); ++i) {
      const json& s = bench["runs"][i]["summary"];
      const json& l = t["levels"][i];
      EXPECT_EQ(l["label"], bench["runs"][i]["load"]["label"]);
      EXPECT_EQ(l["ttft_p50_ms"], s["ttft_ms"]["p50"]);
      EXPECT_EQ(l["ttft_p99_ms"], s["ttft_ms"]["p99"]);
      EXPECT_EQ(l["tpot_p50_ms"], s["tpot_ms"]["p50"]);
      EXPECT_EQ(l["output_tokens_per_s"], s["output_tokens_per_s"]);
      EXPECT_EQ(l["requests_completed"], s["requests_completed"]);
      EXPECT_EQ(l["requests_failed"], s["requests_failed"]);
    }
  }
  const json& local_target = report["targets"][0];
  EXPECT_EQ(local_target["kind"], "local");
  EXPECT_EQ(local_target["cost"]["monthly_usd"], option(plan)["cost"]["monthly_total_usd"]);
  EXPECT_EQ(local_target["cost"]["per_million_tokens_usd"], option(plan)["cost"]["per_million_tokens_usd"]);
  const json& cloud_target = report["targets"][1];
  EXPECT_EQ(cloud_target["name"], "fakeai");
  EXPECT_EQ(cloud_target["kind"], "cloud");
  EXPECT_EQ(cloud_target["price_id"], "gpt-4o-mini");
  EXPECT_EQ(cloud_target["cost"]["monthly_usd"], plan["cloud"][0]["monthly_usd"]);
  EXPECT_EQ(report["answer"]["choice"], plan["recommendation"]["choice"]);
  EXPECT_EQ(report["costs"]["break_even"][0]["requests_per_day"], plan["cloud"][0]["break_even"]["requests_per_day"]);
  EXPECT_NE(report["answer"]["privacy"][0].get<std::string>().find("card numbers must stay local: only local qualifies for that traffic"),
            std::string::npos);
  // Both endpoints are llmux sims given by URL: they say so, and the report says whose figures are simulated.
  EXPECT_TRUE(report["simulated"].get<bool>());
  EXPECT_NE(report["simulated_note"].get<std::string>().find("local"), std::string::npos) << report["simulated_note"];
  EXPECT_NE(report["simulated_note"].get<std::string>().find("fakeai"), std::string::npos) << report["simulated_note"];
  EXPECT_TRUE(manifest["simulated"].get<bool>()) << "the saved files say what the report says";
  for (const auto& t : manifest["targets"]) EXPECT_TRUE(t["simulated"].get<bool>()) << t.dump();

  // The saved files draw the same report.
  auto again = run({binary(), "report", dir.file("results/compare.json"), "-o", dir.file("again.json")});
  ASSERT_EQ(again.status, 0) << again.err;
  json redrawn = load_json(dir.file("again.json"));
  EXPECT_EQ(redrawn["targets"], report["targets"]);
  EXPECT_EQ(redrawn["answer"], report["answer"]);
  EXPECT_EQ(redrawn["costs"], report["costs"]);
}

// compare against a simulated Ollama given by its bare root, one short level, no cloud.
RunResult compare_ollama(const SimProcess& local, const TempDir& dir) {
  return run({binary(), "compare", "-q", "--local", local.root(), "--cloud", "none", "--gpu", "rtx-4090", "--workload",
              "in=100,out=10,requests-per-day=1000", "--concurrency", "1", "--level-duration", "1s", "-o",
              dir.file("report.json"), "--save-results", dir.file("results")},
             std::chrono::seconds(120));
}

TEST(Compare, AModelNotInTheCatalogIsPlannedFromWhatOllamaSaysOfIt) {
  // A simulated Ollama serving a fine-tune under a name no catalog entry matches; its
  // /api/show describes the model underneath, as Ollama's does. Given by its bare root.
  SimProcess local({"--dialect", "ollama", "--model", "qwen2.5-7b", "--quant", "Q4_K_M", "--gpu", "rtx-4090",
                    "--model-name", "my-finetune:latest"});
  TempDir dir;
  auto r = compare_ollama(local, dir);
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  json plan = load_json(dir.file("results/plan.json"));
  EXPECT_EQ(plan["model"]["id"], "my-finetune:latest");
  EXPECT_EQ(plan["model"]["arch"], "qwen2");
  EXPECT_EQ(plan["model"]["layers"], 28);
  EXPECT_EQ(plan["model"]["kv_heads"], 4);
  EXPECT_EQ(plan["primary"], "Q4_K_M") << "the weights the runtime has loaded, not a pick";
  json report = load_json(dir.file("report.json"));
  EXPECT_NE(report["notes"].dump().find("planned from what the runtime says of it (Ollama /api/show)"), std::string::npos)
      << report["notes"].dump();
  EXPECT_EQ(report["targets"][0]["status"], "measured") << "the bare root was benched at its /v1";
}

TEST(Compare, OllamasLoadedQuantizationIsPlannedNotAssumed) {
  // A catalog model under its Ollama tag, loaded as Q8_0 (not Ollama's default Q4_K_M).
  SimProcess local({"--dialect", "ollama", "--model", "llama-3.1-8b", "--quant", "Q8_0", "--gpu", "rtx-4090",
                    "--model-name", "llama3.1:8b"});
  TempDir dir;
  auto r = compare_ollama(local, dir);
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  json plan = load_json(dir.file("results/plan.json"));
  EXPECT_EQ(plan["model"]["id"], "llama-3.1-8b");
  EXPECT_EQ(plan["primary"], "Q8_0");
  EXPECT_NE(load_json(dir.file("report.json"))["notes"].dump().find("Ollama reports Q8_0 weights for llama3.1:8b"),
            std::string::npos);
}

TEST(Compare, AModelNoOneCanDescribeSaysHowToNameIt) {
  SimProcess local({"--model-name", "mystery-model-7b"});
  TempDir dir;
  auto r = run({binary(), "compare", "-q", "--local", local.url(), "--cloud", "none", "--concurrency", "1",
                "--level-duration", "1s", "-o", dir.file("report.json")},
               std::chrono::seconds(60));
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("cannot tell which catalog model 'mystery-model-7b'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--gguf FILE or --hf-config FILE"), std::string::npos) << r.err;
}

TEST(Compare, FailingTargetsAppearAsFailedAndTheReportStillRenders) {
  SimProcess local({"--ttft", "20ms", "--itl", "2ms"});
  SimProcess broken({"--error-rate", "1", "--error-status", "503"});
  TempDir dir;
  auto r = run({binary(), "compare", "-q", "--local", local.url(), "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--gpu", "rtx-4090",
                "--cloud", "none", "--cloud-url", "erroring=" + broken.url() + ",price=gpt-4o-mini", "--cloud-url",
                "gone=http://127.0.0.1:1/v1,price=claude-3-5-haiku", "--workload", "in=100,out=10,requests-per-day=1000",
                "--concurrency", "1", "--level-duration", "1s", "-o", dir.file("report.html"), "--save-results", dir.file("results")},
               std::chrono::seconds(120));
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  std::string html = read_file(dir.file("report.html"));
  EXPECT_NE(html.find("failed: every request failed (http_5xx"), std::string::npos);
  EXPECT_NE(html.find("failed: cannot reach http://127.0.0.1:1/v1"), std::string::npos);
  EXPECT_NE(html.find("id=\"chart-cost\""), std::string::npos);
  auto md = run({binary(), "report", dir.file("results/compare.json")});
  ASSERT_EQ(md.status, 0) << md.err;
  EXPECT_NE(md.out.find("| **failed requests** |"), std::string::npos);
}

TEST(Compare, FreshMachineUsesThePlanDrivenSimAndSaysSoOnEveryPage) {
  TempDir dir;
  auto r = run({binary(), "compare", "-q", "--local", "sim", "--cloud", "openai:gpt-4o-mini", "--workload",
                "in=200,out=16,requests-per-day=5000", "--concurrency", "1,4", "--level-duration", "1s", "-o", dir.file("report.md")},
               std::chrono::seconds(120), {"OPENAI_API_KEY="});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  std::string md = read_file(dir.file("report.md"));
  EXPECT_EQ(md.find("> **SIMULATED"), md.find("\n") + 2) << md.substr(0, 400);
  EXPECT_NE(md.find("not measured: OPENAI_API_KEY is not set"), std::string::npos);
  EXPECT_NE(md.find("llama-3.1-8b"), std::string::npos);
  EXPECT_NE(r.out.find("SIMULATED"), std::string::npos);
}

TEST(Compare, ACloudTargetWithoutItsKeyNamesEveryVariableItCouldBeIn) {
  TempDir dir;
  auto r = run({binary(), "compare", "-q", "--local", "sim", "--cloud", "gemini", "--workload",
                "in=100,out=8,requests-per-day=1000", "--concurrency", "1", "--level-duration", "1s", "-o", dir.file("report.md")},
               std::chrono::seconds(120), {"GEMINI_API_KEY=", "GOOGLE_API_KEY="});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(read_file(dir.file("report.md")).find("not measured: GEMINI_API_KEY (or GOOGLE_API_KEY) is not set"),
            std::string::npos);
}

TEST(Compare, CapacityIsPlannedAtTheMostLoadThatMetTheSlos) {
  TempDir dir;
  // The plan-driven sim of an 8B model on one GPU: at 16 concurrent requests its
  // first tokens wait behind the others' prefill, well past 400 ms.
  auto r = run({binary(), "compare", "-q", "--local", "sim", "--cloud", "none", "--workload",
                "in=1000,out=32,requests-per-day=5000", "--concurrency", "1,16", "--level-duration", "1500ms", "--slo",
                "ttft:p50<400ms", "-o", dir.file("report.md"), "--save-results", dir.file("results")},
               std::chrono::seconds(120));
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  json bench = load_json(dir.file("results/" + bench_file_of(load_json(dir.file("results/compare.json")),
                                                                  load_json(dir.file("results/compare.json"))["targets"][0]["name"])));
  ASSERT_EQ(bench["runs"].size(), 2u);
  ASSERT_TRUE(bench["runs"][0]["summary"]["slos_met"].get<bool>()) << bench["runs"][0]["summary"]["ttft_ms"].dump();
  ASSERT_FALSE(bench["runs"][1]["summary"]["slos_met"].get<bool>()) << bench["runs"][1]["summary"]["ttft_ms"].dump();
  json plan = load_json(dir.file("results/plan.json"));
  EXPECT_EQ(plan["settings"]["concurrency"], 1) << "not the 16 at which the SLO was missed";
  EXPECT_NE(read_file(dir.file("report.md")).find("capacity is planned at 1 concurrent requests"), std::string::npos);
  EXPECT_NE(read_file(dir.file("report.md")).find("SIMULATED: --local sim,"), std::string::npos);
}

TEST(Report, ASetupThatDoesNotFitHasNoBreakEvenToOffer) {
  TempDir dir;
  auto plan = run({binary(), "plan", "--model", "llama-3.1-70b", "--quant", "F16", "--gpu", "rtx-4090", "--compare",
                   "gpt-4o-mini", "--format", "json"});
  ASSERT_EQ(plan.status, 0) << plan.err;
  json option = json::parse(plan.out)["options"][0];
  EXPECT_EQ(option["verdict"], "does not fit");
  EXPECT_TRUE(option["speed"].is_null()) << "nothing runs, so no speed: " << option["speed"];
  EXPECT_TRUE(option["cost"]["per_million_tokens_usd"].is_null()) << "$0 per 1M tokens would read as free";
  write_file(dir.file("plan.json"), plan.out);
  auto md = run({binary(), "report", dir.file("plan.json")});
  ASSERT_EQ(md.status, 0) << md.err;
  EXPECT_NE(md.out.find("the local setup does not fit, so no volume makes it an alternative to gpt-4o-mini"),
            std::string::npos)
      << md.out;
  EXPECT_EQ(md.out.find("cheaper than local electricity"), std::string::npos) << "the unfit setup has no electricity bill";
  EXPECT_EQ(md.out.find("costs less per request than local"), std::string::npos) << md.out;
}

TEST(Compare, BadInputIsNamed) {
  TempDir dir;
  auto missing = run({binary(), "report", dir.file("nope.json")});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no such result file (" + dir.file("nope.json") + ")"), std::string::npos) << missing.err;
  write_file(dir.file("future.json"), "{\"tool\": \"llmux bench\", \"schema_version\": 2}");
  auto future = run({binary(), "report", dir.file("future.json")});
  EXPECT_NE(future.err.find("schema_version 2 is newer than this llmux understands"), std::string::npos) << future.err;
  auto privacy = run({binary(), "compare", "--privacy", "secret-ish"});
  EXPECT_EQ(privacy.status, 2);
  EXPECT_NE(privacy.err.find("--privacy must be any, local-only or local-only:CLASS"), std::string::npos) << privacy.err;
  auto typo = run({binary(), "compare", "-q", "--local", "none", "--cloud", "openai:gpt-4o-mni,anthropic:claude-3-5-haiku",
                   "-o", dir.file("typo.html")});
  EXPECT_EQ(typo.status, 2) << "a cloud model the catalog lacks would drop out of the answer unpriced";
  EXPECT_NE(typo.err.find("--cloud openai:gpt-4o-mni: unknown cloud model 'gpt-4o-mni'; did you mean: gpt-4o-mini"),
            std::string::npos)
      << typo.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("typo.html")));
  auto pdf = run({binary(), "compare", "-q", "--local", "none", "--cloud", "openai:gpt-4o-mini", "-o", dir.file("r.pdf")});
  EXPECT_EQ(pdf.status, 2);
  EXPECT_NE(pdf.err.find("cannot tell the report format from"), std::string::npos) << pdf.err;
}

}  // namespace
}  // namespace llmux::test
