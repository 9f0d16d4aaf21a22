// The HTML report in a real headless Chromium: it loads with no console
// errors and no network requests, its charts are there with the plotted
// values, and screenshots at desktop and phone widths (and a printed PDF) are
// kept under the build tree's tests/report/test-artifacts/ for people to look at.
// Skips, saying why, when Chromium is not installed (scripts/setup.sh installs it).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "report/chromium.hpp"
#include "report/render.hpp"
#include "report/report_fixture.hpp"
#include "support/process.hpp"

namespace llmux::test {
namespace {

std::string value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    if (chromium_path().empty())
      GTEST_SKIP() << "chromium is not installed (/usr/bin/chromium): scripts/setup.sh installs it, or set LLMUX_CHROMIUM";
    std::filesystem::create_directories(artifacts_);
  }

  std::string page(const std::string& name, const report::Report& r) {
    std::string path = artifacts_ + "/" + name;
    write_file(path, report::render_html(r));
    return path;
  }

  // Loads the page; asserts it made no request and logged nothing to the console.
  ChromiumRun load(const std::string& path, const std::vector<std::string>& args) {
    CountingProxy proxy;
    TempDir profile;
    auto run = run_chromium(args, "file://" + path, profile.path(), proxy.port());
    EXPECT_EQ(run.status, 0) << run.err;
    auto requests = proxy.requests();
    EXPECT_TRUE(requests.empty()) << "the page made " << requests.size() << " network request(s), first: " << requests.front();
    auto console = console_lines(run.err);
    EXPECT_TRUE(console.empty()) << "console: " << console.front();
    return run;
  }

  std::string artifacts_ = LLMUX_TEST_ARTIFACTS;
};

// The harness itself: a page that does reach out is caught by the proxy and
// its console message is seen, so the zero counts below mean something.
TEST_F(Browser, HarnessSeesRequestsAndConsoleMessages) {
  std::string path = artifacts_ + "/harness-check.html";
  write_file(path, "<!DOCTYPE html><html><body><img src=\"http://192.0.2.1/pixel.png\">"
                   "<script>console.error('harness-check')</script></body></html>");
  CountingProxy proxy;
  TempDir profile;
  auto run = run_chromium({"--dump-dom"}, "file://" + path, profile.path(), proxy.port());
  EXPECT_EQ(run.status, 0) << run.err;
  auto requests = proxy.requests();
  ASSERT_FALSE(requests.empty()) << "the proxy saw no request: the no-network check would prove nothing";
  EXPECT_NE(requests.front().find("192.0.2.1"), std::string::npos) << requests.front();
  auto console = console_lines(run.err);
  ASSERT_FALSE(console.empty()) << run.err;
  EXPECT_NE(console.front().find("harness-check"), std::string::npos);
}

TEST_F(Browser, LoadsOfflineWithEveryChartAndItsPlottedValues) {
  auto r = fixture_report(compare_results());
  auto run = load(page("compare-report.html", r), {"--dump-dom"});
  const std::string& dom = run.out;
  for (const char* id : {"chart-latency", "chart-throughput", "chart-cost", "chart-memory"})
    EXPECT_NE(dom.find(std::string("<svg id=\"") + id + "\""), std::string::npos) << id;
  int points = 0;
  for (const auto& t : r.targets)
    for (const auto& l : t.levels) {
      if (l.completed == 0) continue;
      std::string at = "data-x=\"" + value(l.load) + "\" data-y=\"";
      EXPECT_NE(dom.find(at + value(l.ttft_p50_ms) + "\""), std::string::npos) << t.name << " " << l.label << " TTFT p50";
      EXPECT_NE(dom.find(at + value(l.ttft_p99_ms) + "\""), std::string::npos) << t.name << " " << l.label << " TTFT p99";
      EXPECT_NE(dom.find(at + value(l.output_tokens_per_s) + "\""), std::string::npos) << t.name << " " << l.label << " throughput";
      points += 3;
    }
  EXPECT_EQ(points, 18);  // local and OpenAI at three loads; the failed target has nothing to plot
  ASSERT_TRUE(r.costs);
  for (const auto& b : r.costs->break_even)
    EXPECT_NE(dom.find("class=\"marker\" data-x=\"" + value(b.tokens_per_day) + "\" data-y=\"" + value(b.monthly_usd) + "\""),
              std::string::npos)
        << "break-even vs " << b.cloud;
  ASSERT_TRUE(r.memory);
  for (const auto& b : r.memory->bars)
    EXPECT_NE(dom.find("data-segment=\"weights\" data-value=\"" + value(b.weights / (1024.0 * 1024 * 1024)) + "\""), std::string::npos)
        << b.quant;
  EXPECT_NE(dom.find("failed: every request failed (http_5xx 12)"), std::string::npos);
}

TEST_F(Browser, ScreenshotsAtDesktopAndPhoneWidths) {
  std::string path = page("compare-report.html", fixture_report(compare_results()));
  std::string desktop = artifacts_ + "/compare-desktop.png", phone = artifacts_ + "/compare-phone.png";
  std::filesystem::remove(desktop);
  std::filesystem::remove(phone);
  load(path, {"--screenshot=" + desktop, "--window-size=1280,4400"});
  load(path, {"--screenshot=" + phone, "--window-size=390,9600"});
  EXPECT_EQ(png_size(desktop), std::make_pair(1280, 4400)) << desktop;
  EXPECT_EQ(png_size(phone), std::make_pair(390, 9600)) << phone;
  std::printf("screenshots: %s %s\n", desktop.c_str(), phone.c_str());
}

TEST_F(Browser, SimulatedReportSaysSoAndPrints) {
  auto bench = replace(fixture_text("bench-local.json"), "\"simulated\": false", "\"simulated\": true");
  auto r = fixture_report(std::vector<report::InputText>{fixture("plan.json"), {"fixtures/bench-local.json", bench}, fixture("bench-openai.json")});
  std::string path = page("simulated-report.html", r);
  auto run = load(path, {"--dump-dom"});
  EXPECT_NE(run.out.find("<div class=\"sim-banner\" role=\"note\">SIMULATED"), std::string::npos);
  std::string pdf = artifacts_ + "/simulated-report.pdf", shot = artifacts_ + "/simulated-desktop.png";
  load(path, {"--print-to-pdf=" + pdf, "--no-pdf-header-footer"});
  load(path, {"--screenshot=" + shot, "--window-size=1280,1400"});
  std::string data = read_file(pdf);
  ASSERT_EQ(data.rfind("%PDF", 0), 0u) << pdf;
  std::size_t pages = 0;
  for (auto at = data.find("/Type /Page"); at != std::string::npos; at = data.find("/Type /Page", at + 1))
    pages += data.compare(at, 12, "/Type /Pages") != 0;
  EXPECT_GE(pages, 2u);
  EXPECT_EQ(png_size(shot).first, 1280);
}

}  // namespace
}  // namespace llmux::test
