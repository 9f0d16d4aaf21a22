// The report in Markdown: the same sections and tables as the HTML, with the
// charts given as their numbers.
#include "plan/format.hpp"
#include "report/render.hpp"
#include "report/sections.hpp"
#include "report/tables.hpp"
#include "report/text_format.hpp"

namespace llmux::report {

namespace {

std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string table_md(const Table& t) {
  if (t.rows.empty()) return "";
  std::string out = "|";
  for (const auto& h : t.header) out += " " + cell(h) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < t.header.size(); ++i) out += i == 0 ? "---|" : "---|";
  out += "\n";
  for (const auto& row : t.rows) {
    out += "|";
    for (std::size_t i = 0; i < row.size(); ++i) out += " " + (i == 0 && t.first_column_is_header ? "**" + cell(row[i].text) + "**" : cell(row[i].text)) + " |";
    out += "\n";
  }
  return out + "\n";
}

std::string bullets(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += "- " + i + "\n";
  return out;
}

std::string answer_md(const Report& r) {
  std::string out = "## The answer: " + headline(r) + "\n\n";
  if (r.answer.choice != headline(r)) out += "Recommendation: `" + r.answer.choice + "`\n\n";
  out += bullets(r.answer.reasons) + "\n";
  if (!r.answer.privacy.empty()) out += "**Privacy**\n\n" + bullets(r.answer.privacy) + "\n";
  if (!r.answer.changes.empty()) out += "**What would change it**\n\n" + bullets(r.answer.changes) + "\n";
  return out;
}

std::string costs_md(const Report& r) {
  if (!r.costs) return "";
  std::string out = "## Cost against volume\n\nMonthly cost of the same traffic at other volumes (USD/month):\n\n" + table_md(cost_volume_table(r));
  for (const auto& b : r.costs->break_even)
    out += "- break-even with " + b.cloud + " at " + compact(b.tokens_per_day) + " tokens/day (" + compact(b.requests_per_day) +
           " requests/day)" + (b.within_capacity ? "" : ", more than one local machine serves") + "\n";
  return out + "\n";
}

std::string memory_md(const Report& r) {
  if (!r.memory) return "";
  const auto& m = *r.memory;
  return "## Memory per quantization on " + m.device + "\n\nOn the fullest device; usable " + plan::gib_text(m.free_bytes) + " of " +
         plan::gib_text(m.capacity_bytes) + ".\n\n" + table_md(memory_table(r));
}

std::string methodology_md(const Report& r) {
  const auto& m = r.methodology;
  std::string out = "## Methodology\n\n**Metrics**\n\n";
  for (const auto& [name, def] : m.metrics) out += "- **" + name + "**: " + def + "\n";
  out += "\n**Tool**: llmux " + m.tool_version + "\n\n**Hardware**: " + (m.hardware.empty() ? "not recorded" : m.hardware) + "\n\n";
  if (!m.prices.empty()) out += "**Prices**\n\n" + bullets(m.prices) + "\n";
  if (!m.catalog.empty()) out += "**Catalog entries**\n\n" + bullets(m.catalog) + "\n";
  std::vector<std::string> sources;
  for (const auto& s : m.sources)
    sources.push_back("`" + s.path + "`: " + s.tool + (s.started_at.empty() ? "" : ", " + s.started_at) + (s.detail.empty() ? "" : ", " + s.detail));
  out += "**Drawn from**\n\n" + bullets(sources) + "\n";
  if (!m.commands.empty()) out += "**Reproduce**\n\n```sh\n" + join(m.commands, "\n") + "\n```\n\n";
  if (!m.assumptions.empty()) out += "**Assumptions**\n\n" + bullets(m.assumptions) + "\n";
  return out;
}

}  // namespace

std::string render_markdown(const Report& r) {
  std::string out = "# " + r.title + "\n\n";
  if (r.simulated) out += "> **" + r.simulated_note + "**\n\n";
  out += "- **Workload**: " + workload_line(r) + "\n- **Privacy**: " + privacy_line(r) + "\n- **SLOs**: " + slo_line(r) + "\n";
  if (!r.generated_at.empty()) out += "- **Generated**: " + r.generated_at + "\n";
  out += "\n" + answer_md(r);
  out += "## Side by side\n\n" + table_md(side_by_side_table(r));
  if (auto t = levels_table(r); !t.rows.empty()) out += "## Every load level\n\n" + table_md(t);
  out += costs_md(r) + memory_md(r) + methodology_md(r);
  if (!r.notes.empty()) out += "## Notes\n\n" + bullets(r.notes) + "\n";
  if (r.simulated) out += "> **" + r.simulated_note + "**\n";
  return out;
}

}  // namespace llmux::report
