// Golden files: the Markdown and JSON renderings of fixed inputs. A change to
// a rendering shows up as a diff of tests/report/golden/. To accept one, run
//   LLMUX_UPDATE_GOLDEN=1 ctest -R report.Golden
// and review `git diff tests/report/golden` (the tests never write by default).
#include <gtest/gtest.h>

#include <cstdlib>

#include "report/render.hpp"
#include "report/report_fixture.hpp"
#include "support/process.hpp"

namespace llmux::test {
namespace {

void check_golden(const std::string& name, const std::string& actual) {
  std::string path = source_dir() + "/tests/report/golden/" + name;
  const char* update = std::getenv("LLMUX_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    write_file(path, actual);
    GTEST_SKIP() << "rewrote " << path;
  }
  std::string expected = read_file(path);
  ASSERT_FALSE(expected.empty()) << path << " is missing; create it with LLMUX_UPDATE_GOLDEN=1";
  if (expected == actual) return;
  std::string out = std::string(::testing::TempDir()) + "/" + name;
  write_file(out, actual);
  FAIL() << name << " differs from the golden file; actual output written to " << out << "\n  diff -u " << path << " " << out
         << "\nIf the change is intended: LLMUX_UPDATE_GOLDEN=1 ctest -R report.Golden";
}

TEST(Golden, PlanAndBenchesMarkdown) { check_golden("plan-and-benches.md", report::render_markdown(fixture_report(plan_and_benches()))); }
TEST(Golden, PlanAndBenchesJson) { check_golden("plan-and-benches.json", report::render_json(fixture_report(plan_and_benches()))); }
TEST(Golden, CompareMarkdown) { check_golden("compare.md", report::render_markdown(fixture_report(compare_results()))); }
TEST(Golden, CompareJson) { check_golden("compare.json", report::render_json(fixture_report(compare_results()))); }

}  // namespace
}  // namespace llmux::test
