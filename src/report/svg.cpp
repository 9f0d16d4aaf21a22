#include "report/svg.hpp"

#include <cmath>
#include <cstdio>

#include "report/text_format.hpp"

namespace llmux::report::svg {

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string data_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

const char* color(int index) {
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print.
  static const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#7F7F7F"};
  return kPalette[static_cast<unsigned>(index) % 7];
}

std::string tick_text(double v, TickFormat f) {
  switch (f) {
    case TickFormat::compact: return compact(v);
    case TickFormat::money: return "$" + compact(v);
    case TickFormat::gib: return compact(v / (1024.0 * 1024 * 1024));
    case TickFormat::number: break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 100 || v == std::floor(v) ? "%.0f" : "%.3g", v);
  return buf;
}

std::string axis_title(const Axis& a) { return a.unit.empty() ? a.title : a.title + " (" + a.unit + ")"; }

std::string text(double x, double y, std::string_view s, std::string_view cls, std::string_view anchor) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" class=\"" + std::string(cls) + "\" text-anchor=\"" +
         std::string(anchor) + "\">" + escape(s) + "</text>";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view cls) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" class=\"" +
         std::string(cls) + "\"/>";
}

std::pair<std::string, double> legend(const std::vector<LegendItem>& items, double x, double y, double width) {
  std::string out = "<g class=\"legend\">";
  double cx = x, row = 0;
  for (const auto& it : items) {
    double w = 30 + 6.6 * static_cast<double>(it.label.size()) + 18;
    if (cx + w > x + width && cx > x) cx = x, ++row;
    double ly = y + row * 18;
    std::string c = color(it.color);
    if (it.swatch)
      out += "<rect x=\"" + num(cx) + "\" y=\"" + num(ly - 9) + "\" width=\"22\" height=\"10\" fill=\"" + c + "\"/>";
    else
      out += "<line x1=\"" + num(cx) + "\" y1=\"" + num(ly - 4) + "\" x2=\"" + num(cx + 22) + "\" y2=\"" + num(ly - 4) +
             "\" stroke=\"" + c + "\" stroke-width=\"2.5\"" + (it.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>";
    out += text(cx + 28, ly, it.label, "legend-text");
    cx += w;
  }
  out += "</g>";
  return {out, items.empty() ? 0 : (row + 1) * 18};
}

std::string open(const std::string& id, double width, double height, const std::string& title, const std::string& description) {
  return "<svg id=\"" + escape(id) + "\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(width) + " " +
         num(height) + "\" role=\"img\" aria-labelledby=\"" + escape(id) + "-title " + escape(id) + "-desc\"><title id=\"" +
         escape(id) + "-title\">" + escape(title) + "</title><desc id=\"" + escape(id) + "-desc\">" + escape(description) +
         "</desc>";
}

}  // namespace llmux::report::svg
