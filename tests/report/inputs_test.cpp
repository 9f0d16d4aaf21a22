// Reading result files: each kind is recognised by its "tool" field, and
// missing, partial or mismatched files are named with what is wrong.
#include <gtest/gtest.h>

#include "report/report_fixture.hpp"
#include "support/process.hpp"

namespace llmux::test {
namespace {

using report::InputText;

std::string error_of(const std::vector<InputText>& files) {
  auto r = report::parse_inputs(files);
  return r ? std::string("<no error>") : r.error().describe();
}

TEST(Inputs, ReadsEachKindByItsToolField) {
  auto in = fixture_inputs(compare_results());
  ASSERT_TRUE(in.plan && in.manifest);
  EXPECT_EQ(in.benches.size(), 3u);
  EXPECT_EQ(in.plan->model.id, "llama-3.1-8b");
  EXPECT_EQ(in.plan->workload.input_tokens, 2000);
  EXPECT_EQ(in.benches[0].levels.size(), 3u);
  EXPECT_EQ(*in.benches[0].input_tokens, 2000);
  EXPECT_EQ(*in.benches[0].output_tokens, 400);
  EXPECT_EQ(in.manifest->local_only_classes, std::vector<std::string>{"credit_card"});
}

TEST(Inputs, NewerSchemaVersionIsNamed) {
  auto text = replace(fixture_text("bench-local.json"), "\"schema_version\": 1", "\"schema_version\": 2");
  std::string e = error_of({{"new.json", text}});
  EXPECT_NE(e.find("schema_version 2 is newer than this llmux understands"), std::string::npos) << e;
  EXPECT_NE(e.find("new.json"), std::string::npos) << e;
}

TEST(Inputs, DifferentBenchWorkloadsAreNamedWithBothFiles) {
  auto other = replace(fixture_text("bench-openai.json"), "synthetic input 2000 tokens, output 400 tokens",
                       "synthetic input 512 tokens, output 128 tokens");
  std::string e = error_of({fixture("bench-local.json"), {"short.json", other}});
  EXPECT_NE(e.find("bench results use different workloads: in=2000/out=400 (fixtures/bench-local.json) vs in=512/out=128 (short.json)"),
            std::string::npos)
      << e;
}

TEST(Inputs, PlanForAnotherWorkloadIsNamed) {
  auto plan = replace(fixture_text("plan.json"), "\"input_tokens\": 2000", "\"input_tokens\": 1000");
  std::string e = error_of({{"plan.json", plan}, fixture("bench-local.json")});
  EXPECT_NE(e.find("is for in=1000/out=400 but fixtures/bench-local.json measured in=2000/out=400"), std::string::npos) << e;
}

TEST(Inputs, MissingFieldIsNamedWithItsPath) {
  auto text = replace(fixture_text("bench-local.json"), "\"requests_completed\"", "\"requests_done\"");
  std::string e = error_of({{"partial.json", text}});
  EXPECT_NE(e.find("field runs[0].summary.requests_completed: missing"), std::string::npos) << e;
}

TEST(Inputs, WrongTypeIsNamed) {
  auto text = replace(fixture_text("plan.json"), "\"gpus\": 1", "\"gpus\": \"one\"");
  std::string e = error_of({{"plan.json", text}});
  EXPECT_NE(e.find("field hardware.gpus: expected a number, got a string"), std::string::npos) << e;
}

TEST(Inputs, TruncatedFileIsNotJson) {
  std::string text = fixture_text("plan.json");
  std::string e = error_of({{"cut.json", text.substr(0, text.size() / 2)}});
  EXPECT_NE(e.find("not valid JSON"), std::string::npos) << e;
  EXPECT_NE(e.find("cut.json"), std::string::npos) << e;
}

TEST(Inputs, FilesThatAreNotResultsAreNamed) {
  EXPECT_NE(error_of({{"x.json", "{\"hello\": 1}"}}).find("not an llmux result: no \"tool\" field"), std::string::npos);
  EXPECT_NE(error_of({{"x.json", "{\"tool\": \"llmux serve\", \"schema_version\": 1}"}}).find("\"llmux serve\" results cannot be drawn"),
            std::string::npos);
  EXPECT_NE(error_of({}).find("no result files given"), std::string::npos);
}

TEST(Inputs, TwoPlansAreRefused) {
  std::string e = error_of({fixture("plan.json"), {"other-plan.json", fixture_text("plan.json")}});
  EXPECT_NE(e.find("two plan results given (fixtures/plan.json and other-plan.json)"), std::string::npos) << e;
}

TEST(Inputs, MissingFileIsNamed) {
  auto r = report::load_inputs({"/nonexistent/bench.json"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().describe().find("no such result file (/nonexistent/bench.json)"), std::string::npos) << r.error().describe();
}

TEST(Inputs, ManifestBringsTheFilesItNames) {
  auto r = report::load_inputs({fixture_dir() + "/compare.json"});
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->plan);
  EXPECT_EQ(r->benches.size(), 3u);
}

TEST(Inputs, ManifestNamingAMissingFileSaysSo) {
  TempDir dir;
  write_file(dir.file("compare.json"), fixture_text("compare.json"));
  auto r = report::load_inputs({dir.file("compare.json")});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().describe().find("the compare manifest names " + dir.file("plan.json") + ", which cannot be read"),
            std::string::npos)
      << r.error().describe();
}

}  // namespace
}  // namespace llmux::test
