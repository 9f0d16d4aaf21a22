// The plan as a user sees it: verdicts, alternatives, the recommendation and
// its privacy rule, the renderers, and the errors for impossible requests.
#include "plan/plan.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plan/plan_render.hpp"
#include "plan_fixture.hpp"

namespace llmux::plan {
namespace {

PlanRequest issue_example() {
  auto r = test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090", 2, 8192, 4);
  r.workload = *parse_workload("in=2000,out=400,requests-per-day=20000");
  r.compare = {*test::cat().price("gpt-4o-mini"), *test::cat().price("claude-3-5-haiku")};
  return r;
}

bool mentions(const std::vector<Alternative>& alts, const std::string& kind) {
  for (const auto& a : alts)
    if (a.kind == kind) return true;
  return false;
}

TEST(Plan, IssueExampleOffloadsAndListsWhatWouldFit) {
  auto r = make_plan(issue_example());
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->chosen().verdict, "fits with CPU offload");
  EXPECT_TRUE(mentions(r->alternatives, "offload"));
  EXPECT_TRUE(mentions(r->alternatives, "quant"));
  EXPECT_TRUE(mentions(r->alternatives, "context"));
  EXPECT_TRUE(mentions(r->alternatives, "kv-cache"));
  ASSERT_EQ(r->cloud.size(), 2u);
  ASSERT_EQ(r->break_even.size(), 2u);
  EXPECT_FALSE(r->recommendation.reasons.empty());
}

TEST(Plan, LocalOnlyPrivacyExcludesEveryCloudOption) {
  auto req = issue_example();
  req.ctx = 4096;
  req.privacy = Privacy::local_only;
  req.workload.requests_per_day = 2000;
  auto r = make_plan(req);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->recommendation.local);
  EXPECT_EQ(r->recommendation.choice.rfind("local:", 0), 0u);
  for (const auto& reason : r->recommendation.reasons) EXPECT_EQ(reason.find("gpt-4o-mini"), std::string::npos) << reason;
  auto j = nlohmann::json::parse(render_json(*r));
  for (const auto& c : j["cloud"]) EXPECT_FALSE(c["qualifies"].get<bool>());
  EXPECT_EQ(j["settings"]["privacy"], "local-only");
}

TEST(Plan, LocalOnlyStillPointsAtTheBetterLocalSetup) {
  auto req = issue_example();
  req.privacy = Privacy::local_only;
  auto r = make_plan(req);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->recommendation.local);  // offloaded, and short of capacity, but the only option allowed
  bool points = false;
  for (const auto& reason : r->recommendation.reasons) points |= reason.find("first try:") != std::string::npos;
  EXPECT_TRUE(points);
}

TEST(Plan, WithoutPrivacyTheCheaperCloudCanWin) {
  auto req = issue_example();
  req.ctx = 4096;
  auto r = make_plan(req);
  ASSERT_TRUE(r);
  // 20,000 requests/day is more than two 4090s serve with a 70B model.
  EXPECT_FALSE(r->chosen().cost.keeps_up);
  EXPECT_FALSE(r->recommendation.local);
  EXPECT_EQ(r->recommendation.choice, "gpt-4o-mini");
}

TEST(Plan, WithoutQuantShowsTheUsualQuantizationsLargestFirst) {
  auto r = make_plan(test::request("llama-3.1-8b", "", "rtx-4090"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->quant_table);
  ASSERT_GE(r->options.size(), 6u);
  for (std::size_t i = 1; i < r->options.size(); ++i)
    EXPECT_LE(r->options[i].config.weights.file_bytes(), r->options[i - 1].config.weights.file_bytes());
  EXPECT_EQ(r->chosen().config.quant.name, "F16");  // 16 GB fits a 24 GB card
  auto small = make_plan(test::request("llama-3.1-70b", "", "rtx-4090", 2));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->chosen().verdict, "fits");
  EXPECT_EQ(small->chosen().config.quant.name, "Q4_K_M");
}

TEST(Plan, GptOssIsPlannedInTheMxfp4ItWasReleasedIn) {
  // Q8_0 of gpt-oss would fit a 24 GB card too, but its experts were released in MXFP4:
  // a larger quantization costs 9 GiB more and adds no quality.
  for (Engine e : {Engine::llama_cpp, Engine::vllm}) {
    auto r = make_plan(test::request("gpt-oss-20b", "", e == Engine::vllm ? "h100-sxm" : "rtx-4090", 1, 4096, 1, e));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->chosen().config.quant.name, e == Engine::vllm ? "MXFP4" : "MXFP4_MOE");
    EXPECT_NE(r->primary_reason.find("released in"), std::string::npos) << r->primary_reason;
  }
  // Where MXFP4 does not fit, the usual rule applies.
  auto tight = make_plan(test::request("gpt-oss-120b", "", "rtx-4090"));
  ASSERT_TRUE(tight);
  EXPECT_EQ(tight->primary_reason.find("released in"), std::string::npos) << tight->primary_reason;
}

TEST(Plan, JsonIsOneObjectWithSchemaVersion) {
  auto r = make_plan(issue_example());
  ASSERT_TRUE(r);
  auto j = nlohmann::json::parse(render_json(*r));
  EXPECT_EQ(j["schema_version"], kPlanSchemaVersion);
  EXPECT_EQ(j["tool"], "llmux plan");
  EXPECT_EQ(j["primary"], "Q4_K_M");
  EXPECT_TRUE(j["options"][0]["memory"]["devices"].is_array());
  EXPECT_TRUE(j["options"][0]["speed"]["ttft_range_s"].is_array());
  EXPECT_TRUE(j["options"][0]["cost"]["inputs"]["kwh_price_usd"]["basis"].is_string());
  EXPECT_TRUE(j["recommendation"]["reasons"].is_array());
}

TEST(Plan, TextAndMarkdownSayTheSameThings) {
  auto r = make_plan(issue_example());
  ASSERT_TRUE(r);
  std::string text = render_text(*r), md = render_markdown(*r);
  for (const char* part : {"Memory (Q4_K_M)", "Speed", "Cost per month", "Alternatives", "Recommendation", "Assumptions"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part;
    EXPECT_NE(md.find(part), std::string::npos) << part;
  }
  EXPECT_NE(md.find("| option |"), std::string::npos);
  EXPECT_NE(text.find("llama-server -m llama-3.1-70b-Q4_K_M.gguf -c 32768 -np 4"), std::string::npos);
}

TEST(Plan, ImpossibleRequestsSayWhyAndWhatToDo) {
  auto over = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090", 1, 200000);
  auto e = make_plan(over);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::usage);
  EXPECT_NE(e.error().message.find("maximum of 131072"), std::string::npos);
  EXPECT_NE(e.error().context.find("--ctx 131072"), std::string::npos);

  auto zero = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090", 0);
  auto z = make_plan(zero);
  ASSERT_FALSE(z);
  EXPECT_NE(z.error().message.find("--gpus"), std::string::npos);

  auto vllm_gguf = test::request("llama-3.1-8b", "Q4_K_M", "h100-sxm", 1, 4096, 1, Engine::vllm);
  auto v = make_plan(vllm_gguf);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("GGUF"), std::string::npos);

  auto mac = test::request("llama-3.1-8b", "Q4_K_M", "m2-ultra");
  mac.engine = Engine::vllm;
  mac.quants = {*catalog::find_quant("BF16")};
  auto m = make_plan(mac);
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().context.find("--engine llama.cpp"), std::string::npos);

  auto mac2 = test::request("llama-3.1-8b", "Q4_K_M", "m2-ultra", 2);
  EXPECT_FALSE(make_plan(mac2));
}

TEST(Plan, OllamaDefaultsToNoFlashAttentionUnlessTheCacheIsQuantized) {
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090", 1, 8192, 1, Engine::ollama);
  auto r = make_plan(req);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->flash_attention);
  req.kv = *parse_kv_cache_type("q8_0", Engine::ollama);
  auto q = make_plan(req);
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->flash_attention);
  EXPECT_NE(engine_command(*q).find("OLLAMA_KV_CACHE_TYPE=q8_0"), std::string::npos);
}

TEST(Plan, ContextDefaultsToTheWorkloadNotTheModelMaximum) {
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090", 1, 0);
  req.workload = *parse_workload("in=6000,out=1000,requests-per-day=100");
  auto r = make_plan(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ctx, 8192);
  bool named = false;
  for (const auto& a : r->assumptions) named |= a.find("--ctx") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST(Workload, ParsesAndRejects) {
  auto w = parse_workload("in=2000,out=400,requests-per-day=20000");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->input_tokens, 2000);
  EXPECT_EQ(w->output_tokens, 400);
  EXPECT_DOUBLE_EQ(w->requests_per_day, 20000);
  EXPECT_FALSE(parse_workload("in=2000,outt=400"));
  EXPECT_FALSE(parse_workload("in=-5"));
  EXPECT_FALSE(parse_workload("in"));
}

TEST(Workload, RejectsFractionsDuplicatesAndAbsurdVolumes) {
  for (const char* bad : {"in=1.5", "out=2.5", "in=100,in=200", "rpd=5,requests-per-day=6", "requests-per-day=99999999999999",
                          "requests-per-day=1e12", "in=nan", "requests-per-day=inf"}) {
    auto w = parse_workload(bad);
    ASSERT_FALSE(w) << bad;
    EXPECT_EQ(w.error().code, ErrorCode::usage);
    EXPECT_NE(w.error().message.find("--workload"), std::string::npos) << w.error().message;
  }
  EXPECT_NE(parse_workload("in=100,in=200").error().message.find("'in' is given twice"), std::string::npos);
  auto ok = parse_workload("in=1e3,out=10,requests-per-day=1000000000");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->input_tokens, 1000);
}

// 70B at F16 (141 GB) fits neither a 4090 nor, with its 64 GB, the host.
TEST(Plan, ASetupThatDoesNotFitIsNeitherPricedNorStarted) {
  auto req = test::request("llama-3.1-70b", "F16", "rtx-4090");
  req.compare = {*test::cat().price("gpt-4o-mini")};
  auto r = make_plan(req);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->chosen().verdict, "does not fit");
  EXPECT_FALSE(r->chosen().cost.keeps_up);
  ASSERT_EQ(r->break_even.size(), 1u);
  EXPECT_FALSE(r->break_even[0].applies);
  EXPECT_FALSE(r->recommendation.local);
  bool says_so = false;
  for (const auto& reason : r->recommendation.reasons) {
    EXPECT_EQ(reason.find("local $"), std::string::npos) << reason;
    says_so |= reason.find("does not fit") != std::string::npos;
  }
  EXPECT_TRUE(says_so);
  std::string text = render_text(*r);
  EXPECT_EQ(text.find("start it with"), std::string::npos) << text;
  EXPECT_EQ(text.find("llama-server"), std::string::npos);
  EXPECT_NE(text.find("local: not priced"), std::string::npos);
  auto j = nlohmann::json::parse(render_json(*r));
  EXPECT_TRUE(j["engine_command"].is_null());
  EXPECT_FALSE(j["options"][0]["cost"]["keeps_up"].get<bool>());
  EXPECT_FALSE(j["cloud"][0]["break_even"]["applies"].get<bool>());
}

TEST(Plan, QuantizationTableShowsNoGpuLayersForWhatDoesNotFit) {
  auto r = make_plan(test::request("llama-3.1-70b", "", "rtx-4090"));
  ASSERT_TRUE(r);
  std::string text = render_text(*r);
  auto line = text.substr(text.find("\n  F16"), 80);
  line = line.substr(0, line.find('\n', 1));
  EXPECT_NE(line.find("does not fit"), std::string::npos) << line;
  EXPECT_EQ(line.find("80/80"), std::string::npos) << line;
}

// Nothing of 70B fits a 4090 alone: the pick must follow the rule its footnote
// states, not fall back to the largest file (Q8_0 at 1 token/s).
TEST(Plan, DefaultPickFollowsTheRuleItsFootnoteStates) {
  auto r = make_plan(test::request("llama-3.1-70b", "", "rtx-4090"));
  ASSERT_TRUE(r);
  const auto& chosen = r->chosen();
  EXPECT_TRUE(chosen.config.memory.fits);
  EXPECT_NE(chosen.config.quant.name, "Q8_0");
  EXPECT_NE(r->primary_reason.find("CPU offload"), std::string::npos) << r->primary_reason;
  for (const auto& o : r->options) {
    if (!o.config.memory.fits) continue;
    EXPECT_FALSE(o.cost.keeps_up) << o.config.quant.name;  // else the largest that keeps up wins
    if (o.config.weights.bits_per_weight() >= 4.5) {
      EXPECT_LE(o.speed.capacity_rps, chosen.speed.capacity_rps) << o.config.quant.name;
    }
  }
  EXPECT_NE(render_text(*r).find("* the option the rest of this plan describes: " + r->primary_reason), std::string::npos);
  auto fits = make_plan(test::request("llama-3.1-8b", "", "rtx-4090"));
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->primary_reason, "the largest that fits on the accelerator and keeps up with the workload");
}

TEST(Plan, TensorParallelSuggestsOnlyCountsThatSplitTheHeads) {
  auto req = test::request("qwen2.5-7b", "BF16", "rtx-4090", 8, 4096, 1, Engine::vllm);  // 28 heads, 4 KV heads
  auto r = make_plan(req);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().context.find("use --gpus 1, 2, 4 or 28"), std::string::npos) << r.error().context;
  req.gpus = 7;  // divides 28 heads but not 4 KV heads
  EXPECT_FALSE(make_plan(req));
  req.gpus = 4;
  EXPECT_TRUE(make_plan(req));
}

TEST(Plan, RequestsLongerThanTheContextAreAnError) {
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090", 1, 0);
  req.workload = *parse_workload("in=200000,out=10");
  auto over = make_plan(req);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::usage);
  EXPECT_NE(over.error().message.find("maximum context of 131,072"), std::string::npos) << over.error().message;
  req.workload = *parse_workload("in=1000,out=250");
  req.ctx = 10;
  auto tiny = make_plan(req);
  ASSERT_FALSE(tiny);
  EXPECT_NE(tiny.error().message.find("--ctx 10 is shorter than the workload's requests of 1,250 tokens"), std::string::npos)
      << tiny.error().message;
}

TEST(Plan, ChosenPartialOffloadIsTheVerdictNotAShortfall) {
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090");
  req.gpu_layers = 10;
  auto r = make_plan(req);
  ASSERT_TRUE(r);
  std::string text = render_text(*r);
  EXPECT_NE(text.find("verdict: runs with 10 of 32 layers on the GPU (partial offload, as --gpu-layers asks)"), std::string::npos) << text;
  EXPECT_EQ(text.find("short by"), std::string::npos) << text;
  req.gpu_layers = 500;
  auto all = make_plan(req);
  ASSERT_TRUE(all);
  EXPECT_FALSE(all->chosen().config.memory.offloaded);
  bool noted = false;
  for (const auto& n : all->notes) noted |= n.find("--gpu-layers 500 is more than llama-3.1-8b's 32 layers") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(Plan, ReserveOverTheGpusMemoryIsAnError) {
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090");
  req.reserve_gib = 30;
  auto r = make_plan(req);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("--reserve-gib 30 leaves nothing"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace llmux::plan

namespace llmux::plan {
namespace {

TEST(Plan, WithoutConcurrencyTheFewestRequestsAtOnceThatKeepUpArePlanned) {
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090");
  req.workload = *parse_workload("in=1000,out=250,requests-per-day=100000");
  req.compare = {*test::cat().price("claude-3-5-haiku")};
  req.concurrency_given = true;
  auto one = make_plan(req);
  ASSERT_TRUE(one) << one.error().describe();
  ASSERT_FALSE(one->chosen().cost.keeps_up) << "one at a time is short of 100,000 a day: the case in point";
  EXPECT_EQ(one->concurrency, 1) << "--concurrency 1 given: kept";
  req.concurrency_given = false;
  auto raised = make_plan(req);
  ASSERT_TRUE(raised) << raised.error().describe();
  EXPECT_GT(raised->concurrency, 1);
  EXPECT_TRUE(raised->chosen().cost.keeps_up);
  EXPECT_TRUE(raised->recommendation.local) << "an 8B model on a 24 GB card serves it, not a cloud model at 15x the price";
  req.concurrency = raised->concurrency / 2;
  req.concurrency_given = true;
  auto half = make_plan(req);
  ASSERT_TRUE(half);
  EXPECT_LE(busy_share(raised->chosen().cost, raised->workload), kComfortableLoad);
  EXPECT_GT(busy_share(half->chosen().cost, half->workload), kComfortableLoad)
      << "the fewest that serve it with 20% headroom: half as many do not";
  bool said = false;
  for (const auto& a : raised->assumptions) said |= a.rfind("concurrency: " + std::to_string(raised->concurrency), 0) == 0;
  EXPECT_TRUE(said) << "the raised default is named among the assumptions";
}

TEST(Plan, NoRequestsHaveNoCostPerTokenOrRequest) {
  // requests-per-day=0: the month still costs money, but there is nothing to divide it by.
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090");
  req.workload = *parse_workload("in=100,out=10,requests-per-day=0");
  auto r = make_plan(req);
  ASSERT_TRUE(r) << r.error().describe();
  std::string text = render_text(*r);
  auto row = text.substr(text.find("local (Q4_K_M)"));
  row = row.substr(0, row.find('\n'));
  EXPECT_EQ(row.find("$0.0000"), std::string::npos) << row;
  EXPECT_NE(row.find(" - "), std::string::npos) << row;
}

TEST(Plan, WhenNothingFitsTheAlternativesSayWhatWould) {
  auto r = make_plan(test::request("llama-3.1-405b", "", "rtx-3060"));
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_FALSE(r->chosen().config.memory.fits);
  ASSERT_FALSE(r->alternatives.empty()) << "the plan points at Alternatives: there must be some";
  EXPECT_NE(r->alternatives.back().text.find("even with CPU offload: a device with more memory"), std::string::npos)
      << r->alternatives.back().text;
}

TEST(Plan, ASetupBusierThan80PercentOnAverageIsToldItWillQueue) {
  // 70B on two RTX 4090s, one request at a time (given): 3,500 a day is ~93% of what it serves.
  auto req = test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090", 2);
  req.workload = *parse_workload("in=2000,out=400,requests-per-day=3500");
  req.privacy = Privacy::local_only;
  auto r = make_plan(req);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_TRUE(r->chosen().cost.keeps_up);
  ASSERT_GT(busy_share(r->chosen().cost, r->workload), kComfortableLoad);
  bool warned = false;
  for (const auto& reason : r->recommendation.reasons) warned |= reason.find("past 80% busy on average") != std::string::npos;
  EXPECT_TRUE(warned);
  // Without --concurrency the plan takes the headroom itself.
  req.concurrency_given = false;
  auto raised = make_plan(req);
  ASSERT_TRUE(raised);
  EXPECT_GT(raised->concurrency, 1);
  EXPECT_LE(busy_share(raised->chosen().cost, raised->workload), kComfortableLoad);
}

}  // namespace
}  // namespace llmux::plan

namespace llmux::plan {
namespace {

TEST(Plan, KvPerTokenOfASlidingWindowModelIsWhatTheContextCosts) {
  auto gemma = make_plan(test::request("gemma-3-27b", "Q4_K_M", "rtx-4090", 1, 131072));
  ASSERT_TRUE(gemma) << gemma.error().describe();
  std::string text = render_text(*gemma);
  auto at = text.find("KV cache: ");
  ASSERT_NE(at, std::string::npos) << text;
  double shown = std::stod(text.substr(at + 10));
  double kv = 0;
  for (const auto& d : gemma->chosen().config.memory.devices) kv += d.kv;
  EXPECT_NEAR(shown * 1024 * gemma->chosen().config.memory.kv_tokens, kv, 0.01 * kv)
      << "the per-token figure times the tokens held is the cache's size: " << text.substr(at, 160);
  EXPECT_NE(text.find("sliding-window layers keep only their window"), std::string::npos);
  auto llama = make_plan(test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090"));
  ASSERT_TRUE(llama);
  EXPECT_EQ(render_text(*llama).find("on average"), std::string::npos) << "no window, one figure";
}

}  // namespace
}  // namespace llmux::plan
