#pragma once
// Charts as inline SVG: a line chart (series of points over linear or log axes,
// with point markers, guide lines and labelled markers such as a break-even
// point) and a horizontal stacked bar chart (memory per quantization against a
// device's memory). Axes carry ticks and units; a legend names every series.
// Every plotted point carries its values as data-x/data-y attributes and a
// <title> tooltip, so the values can be read back from the page.
#include <string>
#include <vector>

namespace llmux::report {

enum class TickFormat { number, compact, money, gib };

struct Axis {
  std::string title;                 // "TTFT p50"
  std::string unit;                  // "ms"
  bool log = false;
  bool from_zero = true;             // linear axes start at 0
  TickFormat format = TickFormat::number;
  std::vector<double> ticks;         // explicit ticks (e.g. the measured loads); empty: automatic
};

struct Point {
  double x = 0, y = 0;
  std::string tip;                   // tooltip; empty: "label: x, y"
};

struct Series {
  std::string label;
  std::vector<Point> points;
  int color = 0;                     // palette index
  bool dashed = false;
  bool markers = true;               // a dot per point
  bool in_legend = true;
};

struct LabelledMarker {
  double x = 0, y = 0;
  std::string label;                 // tooltip
  int color = 0;
  std::string short_label;           // drawn above the marker
};

struct Guide {
  double x = 0;
  std::string label;
};

struct LineChart {
  std::string id, title, description;
  Axis x, y;
  std::vector<Series> series;
  std::vector<LabelledMarker> markers;
  std::vector<Guide> guides;         // vertical lines
};

struct StackedBar {
  std::string label;
  std::vector<double> values;        // one per segment
  bool highlight = false;
  std::string note;                  // right of the bar
};

struct BarChart {
  std::string id, title, description;
  Axis x;
  std::vector<std::string> segments; // legend, in stacking order
  std::vector<StackedBar> bars;
  std::vector<Guide> guides;
};

std::string svg_line_chart(const LineChart& c);
std::string svg_bar_chart(const BarChart& c);

}  // namespace llmux::report
