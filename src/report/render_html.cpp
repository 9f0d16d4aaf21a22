// The report as one self-contained HTML page: inline CSS and SVG, no scripts,
// no external resources (a Content-Security-Policy forbids them), so it opens
// offline, prints cleanly and reads on a phone.
#include "report/html_style.hpp"
#include "report/render.hpp"
#include "report/report_charts.hpp"
#include "report/sections.hpp"
#include "report/svg.hpp"
#include "report/tables.hpp"

namespace llmux::report {

namespace {

using svg::escape;

std::string list_html(const std::vector<std::string>& items, const char* cls = "") {
  std::string out = std::string("<ul") + (*cls ? std::string(" class=\"") + cls + "\"" : "") + ">";
  for (const auto& i : items) out += "<li>" + escape(i) + "</li>";
  return out + "</ul>";
}

std::string table_html(const Table& t) {
  if (t.rows.empty()) return "";
  std::string out = "<div class=\"table-wrap\"><table id=\"table-" + t.id + "\"><thead><tr>";
  for (const auto& h : t.header) out += "<th scope=\"col\">" + escape(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      bool th = i == 0 && t.first_column_is_header;
      std::string cls = row[i].tone.empty() ? "" : " class=\"" + row[i].tone + "\"";
      out += (th ? "<th scope=\"row\"" : "<td") + cls + ">" + escape(row[i].text) + (th ? "</th>" : "</td>");
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>";
}

std::string header_html(const Report& r) {
  std::string out = "<header><h1>" + escape(r.title) + "</h1><ul class=\"meta\">";
  out += "<li><b>Workload</b> " + escape(workload_line(r)) + "</li>";
  out += "<li><b>Privacy</b> " + escape(privacy_line(r)) + "</li>";
  out += "<li><b>SLOs</b> " + escape(slo_line(r)) + "</li>";
  if (!r.generated_at.empty()) out += "<li><b>Generated</b> " + escape(r.generated_at) + "</li>";
  return out + "</ul></header>";
}

std::string answer_html(const Report& r) {
  const auto& a = r.answer;
  std::string out = "<section class=\"answer\" id=\"answer\"><h2>The answer</h2><p class=\"choice\">" + escape(headline(r)) + "</p>";
  out += "<p class=\"choice-id\">recommendation: " + escape(a.choice) + "</p>";
  if (!a.privacy.empty()) out += list_html(a.privacy, "privacy");
  out += "<div class=\"cols\"><div><h3>Why</h3>" + list_html(a.reasons) + "</div>";
  out += "<div><h3>What would change it</h3>" + list_html(a.changes) + "</div></div></section>";
  return out;
}

std::string figure(const std::string& svg_markup, const std::string& caption, const std::string& explain) {
  return "<figure>" + std::string("<figcaption>") + escape(caption) + "<span>" + escape(explain) + "</span></figcaption>" + svg_markup + "</figure>";
}

std::string charts_html(const Report& r) {
  std::string figs;
  if (auto c = latency_chart(r)) figs += figure(svg_line_chart(*c), c->title, c->description);
  if (auto c = throughput_chart(r)) figs += figure(svg_line_chart(*c), c->title, c->description);
  if (auto c = cost_chart(r)) figs += figure(svg_line_chart(*c), c->title, c->description);
  if (auto c = memory_chart(r)) figs += figure(svg_bar_chart(*c), c->title, c->description);
  if (figs.empty()) return "";
  return "<section id=\"charts\"><h2>Charts</h2><div class=\"charts\">" + figs + "</div></section>";
}

std::string costs_html(const Report& r) {
  if (!r.costs) return "";
  std::vector<std::string> lines;
  for (const auto& b : r.costs->break_even)
    lines.push_back("break-even with " + b.cloud + " at " + svg::tick_text(b.tokens_per_day, TickFormat::compact) + " tokens/day" +
                    (b.within_capacity ? "" : " (more than one local machine serves)"));
  return "<section id=\"costs\"><h2>Cost against volume</h2>" + table_html(cost_volume_table(r)) + list_html(lines) + "</section>";
}

std::string methodology_html(const Report& r) {
  const auto& m = r.methodology;
  std::string out = "<section id=\"methodology\" class=\"method\"><h2>Methodology</h2><div class=\"cols\"><div><h3>Metrics</h3><dl>";
  for (const auto& [name, def] : m.metrics) out += "<dt>" + escape(name) + "</dt><dd>" + escape(def) + "</dd>";
  out += "</dl></div><div><h3>Tool and hardware</h3>" + list_html({"llmux " + m.tool_version, m.hardware.empty() ? "hardware not recorded" : m.hardware});
  if (!m.prices.empty()) out += "<h3>Prices</h3>" + list_html(m.prices);
  if (!m.catalog.empty()) out += "<h3>Catalog entries</h3>" + list_html(m.catalog);
  std::vector<std::string> sources;
  for (const auto& s : m.sources) sources.push_back(s.path + ": " + s.tool + (s.started_at.empty() ? "" : ", " + s.started_at) + (s.detail.empty() ? "" : ", " + s.detail));
  out += "<h3>Drawn from</h3>" + list_html(sources) + "</div></div>";
  if (!m.commands.empty()) {
    std::string cmds;
    for (const auto& c : m.commands) cmds += escape(c) + "\n";
    out += "<h3>Reproduce</h3><pre>" + cmds + "</pre>";
  }
  if (!m.assumptions.empty()) out += "<h3>Assumptions</h3>" + list_html(m.assumptions);
  return out + "</section>";
}

std::string body_html(const Report& r) {
  std::string out = header_html(r) + answer_html(r);
  out += "<section id=\"side-by-side\"><h2>Side by side</h2>" + table_html(side_by_side_table(r)) + "</section>";
  out += charts_html(r);
  if (auto t = levels_table(r); !t.rows.empty()) out += "<section id=\"levels\"><h2>Every load level</h2>" + table_html(t) + "</section>";
  out += costs_html(r);
  if (r.memory) out += "<section id=\"memory\"><h2>Memory per quantization on " + escape(r.memory->device) + "</h2>" + table_html(memory_table(r)) + "</section>";
  out += methodology_html(r);
  if (!r.notes.empty()) out += "<section id=\"notes\"><h2>Notes</h2>" + list_html(r.notes) + "</section>";
  return out;
}

// In print, the simulated note heads every page (a page margin box, so it never covers content).
std::string print_banner_css(const Report& r) {
  if (!r.simulated) return "";
  std::string text;
  for (char c : r.simulated_note) {
    if (c == '"' || c == '\\') text += '\\';
    if (c == '<') text += "\\3C ";
    else if (c == '\n') text += ' ';
    else text += c;
  }
  return "@page { @top-center { content: \"" + text + "\"; color: #5c3d00; font: 600 8pt sans-serif; } }";
}

}  // namespace

std::string render_html(const Report& r) {
  std::string banner = r.simulated ? "<div class=\"sim-banner\" role=\"note\">" + escape(r.simulated_note) + "</div>" : "";
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
         "<meta name=\"generator\" content=\"llmux " + escape(r.methodology.tool_version) + "\">"
         "<title>" + escape(r.title + " | llmux report") + "</title><style>" + std::string(report_css()) + print_banner_css(r) + "</style></head><body>" +
         banner + "<div class=\"page\">" + body_html(r) + "<footer>llmux " + escape(r.methodology.tool_version) +
         (r.generated_at.empty() ? "" : " · " + escape(r.generated_at)) + (r.simulated ? " · " + escape(r.simulated_note) : "") +
         "</footer></div></body></html>\n";
}

}  // namespace llmux::report
