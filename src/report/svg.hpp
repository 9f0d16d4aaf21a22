#pragma once
// Small SVG writing helpers shared by the chart drawers (private to report).
#include <string>
#include <string_view>
#include <vector>

#include "report/chart.hpp"

namespace llmux::report::svg {

std::string escape(std::string_view text);            // & < > " '
std::string num(double v);                           // coordinates: "%.1f"
std::string data_num(double v);                      // values in data attributes: "%.6g"
const char* color(int index);                        // colour-blind-safe palette
std::string tick_text(double v, TickFormat f);
std::string axis_title(const Axis& a);               // "TTFT p50 (ms)"

std::string text(double x, double y, std::string_view s, std::string_view cls, std::string_view anchor = "start");
std::string line(double x1, double y1, double x2, double y2, std::string_view cls);

struct LegendItem {
  std::string label;
  int color = 0;
  bool dashed = false;
  bool swatch = false;  // a filled box instead of a line
};
// Legend rows starting at y, wrapped to `width`; returns the markup and the height used.
std::pair<std::string, double> legend(const std::vector<LegendItem>& items, double x, double y, double width);

// <svg ...> opening with title and description for screen readers; close with "</svg>".
std::string open(const std::string& id, double width, double height, const std::string& title, const std::string& description);

}  // namespace llmux::report::svg
