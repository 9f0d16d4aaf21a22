// A line chart: axes with ticks and units, vertical guide lines, series drawn
// as paths with a dot per point, labelled markers (break-even points), legend.
#include <algorithm>
#include <cmath>

#include "report/scale.hpp"
#include "report/svg.hpp"

namespace llmux::report {

namespace {

constexpr double kWidth = 640, kLeft = 72, kRight = 20, kTop = 24, kPlot = 250;

struct Frame {
  Scale x, y;
  double bottom;
};

bool plottable(const Point& p, const LineChart& c) {
  return std::isfinite(p.x) && std::isfinite(p.y) && (!c.x.log || p.x > 0) && (!c.y.log || p.y > 0);
}

Frame make_frame(const LineChart& c) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (const auto& s : c.series)
    for (const auto& p : s.points)
      if (plottable(p, c)) x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  for (const auto& m : c.markers) y0 = std::min(y0, m.y), y1 = std::max(y1, m.y);
  for (const auto& g : c.guides) x0 = std::min(x0, g.x), x1 = std::max(x1, g.x);
  if (!std::isfinite(x0)) x0 = c.x.log ? 1 : 0, x1 = c.x.log ? 10 : 1, y0 = c.y.log ? 1 : 0, y1 = c.y.log ? 10 : 1;
  double bottom = kTop + kPlot;
  return {Scale(x0, x1, c.x, kLeft, kWidth - kRight), Scale(y0, y1 * (c.y.log ? 1 : 1.05), c.y, bottom, kTop), bottom};
}

std::string axes(const LineChart& c, const Frame& f) {
  std::string out = "<g class=\"axes\">";
  for (double t : f.y.ticks()) {
    double y = f.y.map(t);
    out += svg::line(kLeft, y, kWidth - kRight, y, "grid");
    out += svg::text(kLeft - 6, y + 4, svg::tick_text(t, c.y.format), "tick", "end");
  }
  for (double t : f.x.ticks()) {
    double x = f.x.map(t);
    out += svg::line(x, f.bottom, x, f.bottom + 5, "axis");
    out += svg::text(x, f.bottom + 18, svg::tick_text(t, c.x.format), "tick", "middle");
  }
  out += svg::line(kLeft, f.bottom, kWidth - kRight, f.bottom, "axis") + svg::line(kLeft, kTop, kLeft, f.bottom, "axis");
  out += svg::text((kLeft + kWidth - kRight) / 2, f.bottom + 38, svg::axis_title(c.x), "axis-title", "middle");
  out += "<text transform=\"translate(16 " + svg::num(kTop + kPlot / 2) + ") rotate(-90)\" class=\"axis-title\" text-anchor=\"middle\">" +
         svg::escape(svg::axis_title(c.y)) + "</text>";
  return out + "</g>";
}

std::string guides(const LineChart& c, const Frame& f) {
  std::string out;
  for (std::size_t i = 0; i < c.guides.size(); ++i) {
    double x = f.x.map(c.guides[i].x);
    bool right_half = x > (kLeft + kWidth) / 2;
    out += "<g class=\"guide\" data-x=\"" + svg::data_num(c.guides[i].x) + "\">" + svg::line(x, kTop, x, f.bottom, "guide-line") +
           svg::text(right_half ? x - 4 : x + 4, kTop + 12 + 13 * static_cast<double>(i), c.guides[i].label, "guide-text",
                     right_half ? "end" : "start") +
           "</g>";
  }
  return out;
}

std::string series_markup(const LineChart& c, const Series& s, const Frame& f) {
  std::string path, dots;
  for (const auto& p : s.points) {
    if (!plottable(p, c)) continue;
    double x = f.x.map(p.x), y = f.y.map(p.y);
    path += (path.empty() ? "M" : " L") + svg::num(x) + " " + svg::num(y);
    if (!s.markers) continue;
    std::string tip = p.tip.empty() ? s.label + ": " + svg::data_num(p.x) + ", " + svg::data_num(p.y) : p.tip;
    dots += "<circle class=\"pt\" cx=\"" + svg::num(x) + "\" cy=\"" + svg::num(y) + "\" r=\"3.5\" fill=\"" + svg::color(s.color) +
            "\" data-x=\"" + svg::data_num(p.x) + "\" data-y=\"" + svg::data_num(p.y) + "\"><title>" + svg::escape(tip) + "</title></circle>";
  }
  return "<g class=\"series\" data-series=\"" + svg::escape(s.label) + "\"><path d=\"" + path + "\" fill=\"none\" stroke=\"" +
         svg::color(s.color) + "\" stroke-width=\"2.2\"" + (s.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>" + dots + "</g>";
}

std::string markers(const LineChart& c, const Frame& f) {
  std::string out;
  for (std::size_t i = 0; i < c.markers.size(); ++i) {
    const auto& m = c.markers[i];
    if (!plottable(Point{m.x, m.y, ""}, c)) continue;
    double x = f.x.map(m.x), y = f.y.map(m.y);
    double ly = std::max(kTop + 10, y - 10);
    out += "<g class=\"marker\" data-x=\"" + svg::data_num(m.x) + "\" data-y=\"" + svg::data_num(m.y) + "\"><path d=\"M" +
           svg::num(x) + " " + svg::num(y - 6) + " L" + svg::num(x + 6) + " " + svg::num(y) + " L" + svg::num(x) + " " +
           svg::num(y + 6) + " L" + svg::num(x - 6) + " " + svg::num(y) + " Z\" fill=\"" + svg::color(m.color) +
           "\" stroke=\"#222\" stroke-width=\"1\"><title>" + svg::escape(m.label) + "</title></path>" +
           svg::text(x, ly, m.short_label, "marker-text", "middle") + "</g>";
  }
  return out;
}

}  // namespace

std::string svg_line_chart(const LineChart& c) {
  Frame f = make_frame(c);
  std::vector<svg::LegendItem> items;
  for (const auto& s : c.series)
    if (s.in_legend) items.push_back({s.label, s.color, s.dashed, false});
  auto [legend, legend_h] = svg::legend(items, kLeft, f.bottom + 62, kWidth - kLeft - kRight);
  double height = f.bottom + 56 + legend_h + 6;
  std::string out = svg::open(c.id, kWidth, height, c.title, c.description);
  out += axes(c, f) + guides(c, f);
  for (const auto& s : c.series) out += series_markup(c, s, f);
  out += markers(c, f) + legend + "</svg>";
  return out;
}

}  // namespace llmux::report
