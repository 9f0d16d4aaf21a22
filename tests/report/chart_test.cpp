// The SVG charts: values readable back from the markup, axes with ticks and
// units, logarithmic axes in decades, text escaped.
#include <gtest/gtest.h>

#include <cmath>

#include "report/chart.hpp"
#include "report/scale.hpp"

namespace llmux::test {
namespace {

using namespace llmux::report;

TEST(Chart, PointsCarryTheirValues) {
  LineChart c{"c1", "t", "d", Axis{"load", "users", false, true, TickFormat::number, {1, 4, 16}},
              Axis{"TTFT", "ms", false, true, TickFormat::number, {}}, {}, {}, {}};
  c.series.push_back({"local <a&b>", {{1, 120.5, ""}, {4, 240.25, "tip"}, {16, NAN, ""}}, 0, false, true, true});
  std::string svg = svg_line_chart(c);
  EXPECT_NE(svg.find("data-x=\"1\" data-y=\"120.5\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("data-x=\"4\" data-y=\"240.25\""), std::string::npos);
  EXPECT_EQ(svg.find("data-x=\"16\""), std::string::npos);  // NaN is not plotted
  EXPECT_NE(svg.find("local &lt;a&amp;b&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<a&b>"), std::string::npos);
  EXPECT_NE(svg.find("TTFT (ms)"), std::string::npos);
  EXPECT_NE(svg.find("load (users)"), std::string::npos);
  EXPECT_NE(svg.find(">16</text>"), std::string::npos);  // explicit ticks
}

TEST(Chart, LogAxisTicksAreDecades) {
  Axis a{"volume", "tokens/day", true, false, TickFormat::compact, {}};
  Scale s(3e5, 4e8, a, 0, 100);
  EXPECT_EQ(s.lo(), 1e5);
  EXPECT_EQ(s.hi(), 1e9);
  EXPECT_EQ(s.ticks(), (std::vector<double>{1e5, 1e6, 1e7, 1e8, 1e9}));
  EXPECT_DOUBLE_EQ(s.map(1e7), 50);
}

TEST(Chart, LinearAxisHasNiceTicksFromZero) {
  Axis a{"TTFT", "ms", false, true, TickFormat::number, {}};
  Scale s(120, 1730, a, 0, 100);
  EXPECT_EQ(s.lo(), 0);
  EXPECT_EQ(s.hi(), 2000);
  EXPECT_EQ(s.ticks(), (std::vector<double>{0, 500, 1000, 1500, 2000}));
}

TEST(Chart, MarkersAndGuidesAreDrawn) {
  LineChart c{"c2", "t", "d", Axis{"volume", "tokens/day", true, false, TickFormat::compact, {}},
              Axis{"cost", "USD/month", true, false, TickFormat::money, {}}, {}, {}, {}};
  c.series.push_back({"cloud", {{1e6, 10, ""}, {1e8, 1000, ""}}, 1, false, false, true});
  c.markers.push_back({3.2e7, 320, "break-even vs cloud: 32M tokens/day", 1, "32M"});
  c.guides.push_back({1e7, "your workload"});
  std::string svg = svg_line_chart(c);
  EXPECT_NE(svg.find("class=\"marker\" data-x=\"3.2e+07\" data-y=\"320\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("break-even vs cloud: 32M tokens/day"), std::string::npos);
  EXPECT_NE(svg.find("your workload"), std::string::npos);
  EXPECT_NE(svg.find(">$1k</text>"), std::string::npos);
  EXPECT_NE(svg.find(">10M</text>"), std::string::npos);
}

TEST(Chart, StackedBarsCarrySegmentValues) {
  BarChart c{"m", "t", "d", Axis{"memory", "GiB", false, true, TickFormat::number, {}}, {"weights", "KV cache"}, {}, {{24, "total 24 GiB"}}};
  c.bars.push_back({"Q4_K_M", {4.5, 8}, true, "fits"});
  std::string svg = svg_bar_chart(c);
  EXPECT_NE(svg.find("data-segment=\"weights\" data-value=\"4.5\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("data-segment=\"KV cache\" data-value=\"8\""), std::string::npos);
  EXPECT_NE(svg.find("total 24 GiB"), std::string::npos);
  EXPECT_NE(svg.find("bar-label chosen"), std::string::npos);
}

}  // namespace
}  // namespace llmux::test
