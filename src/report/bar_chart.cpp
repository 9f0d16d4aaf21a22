// A horizontal stacked bar chart: one bar per item (memory per quantization),
// segments stacked in order, vertical guide lines for limits (usable and total
// memory), a note right of each bar, and a legend of the segments.
#include <algorithm>

#include "report/scale.hpp"
#include "report/svg.hpp"

namespace llmux::report {

namespace {

constexpr double kWidth = 640, kLeft = 92, kRight = 130, kTop = 34, kBar = 18, kGap = 10;

std::string bar_markup(const BarChart& c, const StackedBar& b, const Scale& x, double y) {
  std::string out = "<g class=\"bar\" data-label=\"" + svg::escape(b.label) + "\">";
  out += svg::text(kLeft - 8, y + kBar - 5, b.label, b.highlight ? "bar-label chosen" : "bar-label", "end");
  double at = 0;
  for (std::size_t i = 0; i < b.values.size() && i < c.segments.size(); ++i) {
    double x0 = x.map(at), x1 = x.map(at + b.values[i]);
    out += "<rect x=\"" + svg::num(x0) + "\" y=\"" + svg::num(y) + "\" width=\"" + svg::num(std::max(0.0, x1 - x0)) +
           "\" height=\"" + svg::num(kBar) + "\" fill=\"" + svg::color(static_cast<int>(i)) + "\" data-segment=\"" +
           svg::escape(c.segments[i]) + "\" data-value=\"" + svg::data_num(b.values[i]) + "\"><title>" +
           svg::escape(b.label + " " + c.segments[i] + ": " + svg::tick_text(b.values[i], c.x.format) + " " + c.x.unit) +
           "</title></rect>";
    at += b.values[i];
  }
  if (b.highlight)
    out += "<rect x=\"" + svg::num(x.map(0) - 1) + "\" y=\"" + svg::num(y - 1) + "\" width=\"" + svg::num(x.map(at) - x.map(0) + 2) +
           "\" height=\"" + svg::num(kBar + 2) + "\" class=\"bar-outline\"/>";
  out += svg::text(kWidth - kRight + 10, y + kBar - 5, b.note, b.highlight ? "bar-note chosen" : "bar-note");
  return out + "</g>";
}

}  // namespace

std::string svg_bar_chart(const BarChart& c) {
  double max = 0;
  for (const auto& b : c.bars) {
    double sum = 0;
    for (double v : b.values) sum += v;
    max = std::max(max, sum);
  }
  for (const auto& g : c.guides) max = std::max(max, g.x);
  double bottom = kTop + static_cast<double>(c.bars.size()) * (kBar + kGap);
  Scale x(0, max * 1.02, c.x, kLeft, kWidth - kRight);
  std::vector<svg::LegendItem> items;
  for (std::size_t i = 0; i < c.segments.size(); ++i) items.push_back({c.segments[i], static_cast<int>(i), false, true});
  auto [legend, legend_h] = svg::legend(items, kLeft, bottom + 56, kWidth - kLeft - 20);
  std::string out = svg::open(c.id, kWidth, bottom + 50 + legend_h + 6, c.title, c.description);
  out += "<g class=\"axes\">";
  for (double t : x.ticks()) {
    out += svg::line(x.map(t), kTop - 4, x.map(t), bottom, "grid");
    out += svg::text(x.map(t), bottom + 16, svg::tick_text(t, c.x.format), "tick", "middle");
  }
  out += svg::text((kLeft + kWidth - kRight) / 2, bottom + 36, svg::axis_title(c.x), "axis-title", "middle") + "</g>";
  for (std::size_t i = 0; i < c.bars.size(); ++i) out += bar_markup(c, c.bars[i], x, kTop + static_cast<double>(i) * (kBar + kGap));
  for (std::size_t i = 0; i < c.guides.size(); ++i) {
    double gx = x.map(c.guides[i].x);
    out += "<g class=\"guide\" data-x=\"" + svg::data_num(c.guides[i].x) + "\">" + svg::line(gx, kTop - 8, gx, bottom, "guide-line") +
           svg::text(gx + (i % 2 ? 4 : -4), kTop - 12, c.guides[i].label, "guide-text", i % 2 ? "start" : "end") + "</g>";
  }
  return out + legend + "</svg>";
}

}  // namespace llmux::report
