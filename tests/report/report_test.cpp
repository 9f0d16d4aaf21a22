// What the report says, built from fixed inputs: targets and their figures
// taken exactly from the results, failed and unmeasured targets, the answer
// with privacy and what would change it, simulated figures flagged, and a
// self-contained HTML page.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "report/render.hpp"
#include "report/report_fixture.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;
using report::TargetKind;
using report::TargetStatus;

const report::Target& target(const report::Report& r, const std::string& name) {
  for (const auto& t : r.targets)
    if (t.name == name) return t;
  throw std::runtime_error("no target " + name);
}

bool contains(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

TEST(Report, TargetFiguresAreTheBenchAndPlanFigures) {
  auto r = fixture_report(plan_and_benches());
  json bench = json::parse(fixture_text("bench-local.json"));
  json plan = json::parse(fixture_text("plan.json"));
  const auto& local = target(r, "local: Meta-Llama-3.1-8B-Instruct-F16.gguf @ 127.0.0.1:8080");
  ASSERT_EQ(local.levels.size(), bench["runs"].size());
  for (std::size_t i = 0; i < local.levels.size(); ++i) {
    const json& s = bench["runs"][i]["summary"];
    EXPECT_EQ(local.levels[i].ttft_p50_ms, s["ttft_ms"]["p50"].get<double>());
    EXPECT_EQ(local.levels[i].ttft_p99_ms, s["ttft_ms"]["p99"].get<double>());
    EXPECT_EQ(local.levels[i].output_tokens_per_s, s["output_tokens_per_s"].get<double>());
    EXPECT_EQ(local.levels[i].user_tokens_per_s, 1000.0 / s["tpot_ms"]["p50"].get<double>());
  }
  const json* primary = nullptr;
  for (const auto& o : plan["options"])
    if (o["quant"] == plan["primary"]) primary = &o;
  ASSERT_TRUE(primary && local.cost);
  EXPECT_EQ(local.cost->monthly_usd, (*primary)["cost"]["monthly_total_usd"].get<double>());
  EXPECT_EQ(local.cost->per_million_usd, (*primary)["cost"]["per_million_tokens_usd"].get<double>());
  const auto& openai = target(r, "openai:gpt-4o-mini");
  EXPECT_EQ(openai.kind, TargetKind::cloud);
  EXPECT_EQ(openai.price_id, "gpt-4o-mini");
  EXPECT_EQ(openai.cost->monthly_usd, plan["cloud"][0]["monthly_usd"].get<double>());
  ASSERT_TRUE(local.best);
  EXPECT_EQ(local.best->label, "c=16");
}

TEST(Report, CloudModelsWithoutResultsArePricedAndNotMeasured) {
  auto r = fixture_report(plan_and_benches());
  const auto& haiku = target(r, "anthropic:claude-3-5-haiku");
  EXPECT_EQ(haiku.status, TargetStatus::not_measured);
  EXPECT_TRUE(haiku.levels.empty());
  ASSERT_TRUE(haiku.cost);
  EXPECT_GT(haiku.cost->monthly_usd, 0);
  std::string md = report::render_markdown(r);
  EXPECT_NE(md.find("not measured: no bench result for it (priced from the catalog)"), std::string::npos);
}

TEST(Report, FailedTargetShowsItsErrorsAndTheRestStillRenders) {
  auto r = fixture_report(compare_results());
  const auto& haiku = target(r, "anthropic:claude-3-5-haiku");
  EXPECT_EQ(haiku.status, TargetStatus::failed);
  EXPECT_EQ(haiku.requests_failed, 12);
  EXPECT_EQ(haiku.errors.at("http_5xx"), 12);
  EXPECT_EQ(target(r, "openai:gpt-4o-mini").status, TargetStatus::measured);
  json j = json::parse(report::render_json(r));
  EXPECT_EQ(j["targets"][2]["status"], "failed");
  EXPECT_EQ(j["targets"][2]["errors"]["http_5xx"], 12);
  std::string html = report::render_html(r);
  EXPECT_NE(html.find("failed: every request failed (http_5xx 12)"), std::string::npos);
  EXPECT_NE(html.find("id=\"chart-cost\""), std::string::npos);
}

TEST(Report, TargetThatCouldNotBeReachedIsFailedWithItsError) {
  auto manifest = replace(fixture_text("compare.json"), "\"status\": \"not measured\"", "\"status\": \"failed\"");
  manifest = replace(manifest, "\"error\": \"\",\n      \"bench_file\": \"\"",
                     "\"error\": \"cannot reach https://generativelanguage.googleapis.com/v1beta: connection refused\",\n      \"bench_file\": \"\"");
  std::vector<report::InputText> files{{"fixtures/compare.json", manifest}};
  for (const auto& n : compare_results())
    if (n != "compare.json") files.push_back(fixture(n));
  auto r = fixture_report(files);
  const auto& gemini = target(r, "gemini:gemini-2.0-flash");
  EXPECT_EQ(gemini.status, TargetStatus::failed);
  EXPECT_EQ(gemini.status_text, "failed: cannot reach https://generativelanguage.googleapis.com/v1beta: connection refused");
  EXPECT_TRUE(gemini.cost);  // still priced
}

TEST(Report, AnswerNamesPrivacyAndWhatWouldChangeIt) {
  auto r = fixture_report(compare_results());
  EXPECT_EQ(r.answer.choice, "gemini-2.0-flash");
  EXPECT_FALSE(r.answer.local);
  EXPECT_TRUE(contains(r.answer.privacy, "card numbers must stay local: only local qualifies for that traffic"));
  EXPECT_TRUE(contains(r.answer.privacy, "so split the traffic"));
  EXPECT_TRUE(contains(r.answer.changes, "above 72.8M tokens/day (30,343 requests/day), local is cheaper than gemini-2.0-flash"));
  EXPECT_TRUE(contains(r.answer.changes, "this local setup no longer keeps up"));
  EXPECT_TRUE(contains(r.answer.reasons, "measured: anthropic:claude-3-5-haiku failed"));
}

TEST(Report, SimulatedFiguresAreFlaggedEverywhere) {
  auto bench = replace(fixture_text("bench-local.json"), "\"simulated\": false", "\"simulated\": true");
  auto r = fixture_report(std::vector<report::InputText>{fixture("plan.json"), {"fixtures/bench-local.json", bench}});
  ASSERT_TRUE(r.simulated);
  EXPECT_NE(r.simulated_note.find("SIMULATED"), std::string::npos);
  std::string md = report::render_markdown(r);
  EXPECT_EQ(md.find("> **SIMULATED"), md.find("# Local or cloud?") + 19);  // first thing after the title
  EXPECT_NE(md.rfind("> **SIMULATED"), md.find("> **SIMULATED"));      // and again at the end
  std::string html = report::render_html(r);
  EXPECT_NE(html.find("class=\"sim-banner\""), std::string::npos);
  EXPECT_TRUE(json::parse(report::render_json(r))["simulated"].get<bool>());
  EXPECT_TRUE(contains(r.answer.reasons, "caution: the local figures are simulated"));
}

TEST(Report, BenchResultsAloneCompareSpeedWithoutCosts) {
  auto r = fixture_report(std::vector<std::string>{"bench-local.json", "bench-openai.json"});
  EXPECT_EQ(r.targets.size(), 2u);
  EXPECT_FALSE(r.costs);
  EXPECT_TRUE(contains(r.answer.reasons, "no plan result was given"));
  EXPECT_FALSE(r.targets[0].cost);
  EXPECT_NE(report::render_markdown(r).find("| **cost per 1M tokens** | unknown | unknown |"), std::string::npos);
}

TEST(Report, SameEndpointMeasuredTwiceIsShownSideBySideWithDates) {
  auto later = replace(fixture_text("bench-local.json"), "2026-01-10T09:00:00Z", "2026-02-10T09:00:00Z");
  auto r = fixture_report(std::vector<report::InputText>{fixture("bench-local.json"), {"fixtures/bench-local-feb.json", later}});
  ASSERT_EQ(r.targets.size(), 2u);
  EXPECT_NE(r.targets[0].name, r.targets[1].name);
  EXPECT_NE(r.targets[1].name.find("2026-02-10"), std::string::npos);
}

TEST(Report, CostCurvesCrossAtTheBreakEvenPoints) {
  auto r = fixture_report(plan_and_benches());
  ASSERT_TRUE(r.costs);
  ASSERT_EQ(r.costs->break_even.size(), 3u);
  const auto& local = r.costs->series.front();
  EXPECT_TRUE(local.local);
  for (std::size_t i = 1; i < local.points.size(); ++i) EXPECT_GE(local.points[i].y, local.points[i - 1].y);
  for (const auto& v : r.costs->at_volumes) ASSERT_EQ(v.monthly_usd.size(), r.costs->series.size());
  // At a break-even volume the local bill and that cloud's bill are equal (to the cent).
  for (const auto& v : r.costs->at_volumes)
    for (std::size_t s = 1; s < r.costs->series.size(); ++s)
      for (const auto& b : r.costs->break_even)
        if (v.tokens_per_day == b.tokens_per_day && r.costs->series[s].label == b.cloud) {
          EXPECT_NEAR(v.monthly_usd[0], v.monthly_usd[s], 0.5) << b.cloud;
        }
}

TEST(Report, HtmlIsSelfContained) {
  std::string html = report::render_html(fixture_report(compare_results()));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  for (const char* id : {"chart-latency", "chart-throughput", "chart-cost", "chart-memory"})
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
}

TEST(Report, FormatsFollowTheFileExtension) {
  EXPECT_EQ(report::format_for_path("r.md"), report::Format::markdown);
  EXPECT_EQ(report::format_for_path("R.JSON"), report::Format::json);
  EXPECT_EQ(report::format_for_path("report.html"), report::Format::html);
  EXPECT_EQ(report::format_for_path("out/report"), report::Format::html);
  EXPECT_EQ(report::format_for_path("./v1.2/report"), report::Format::html) << "a dot in a directory is no extension";
  auto pdf = report::format_for_path("r.pdf");
  ASSERT_FALSE(pdf) << "HTML written to r.pdf would not open as a PDF";
  EXPECT_NE(pdf.error().message.find("--format"), std::string::npos);
  EXPECT_FALSE(report::parse_format("pdf"));
}

}  // namespace
}  // namespace llmux::test
