#include "report/tables.hpp"

#include <cmath>

#include "plan/format.hpp"
#include "report/text_format.hpp"

namespace llmux::report {

namespace {

std::string status_tone(const Target& t) {
  switch (t.status) {
    case TargetStatus::measured: return t.simulated ? "warn" : "good";
    case TargetStatus::not_measured: return "muted";
    case TargetStatus::failed: return "bad";
  }
  return "";
}

std::string errors_text(const Target& t) {
  if (t.status == TargetStatus::not_measured) return "-";
  std::vector<std::string> kinds;
  for (const auto& [kind, n] : t.errors) kinds.push_back(kind + " " + std::to_string(n));
  return std::to_string(t.requests_failed) + (kinds.empty() ? "" : " (" + join(kinds, ", ") + ")");
}

std::string first_level(const Target& t, const std::string& what) {
  if (t.levels.empty()) return "not measured";
  const auto& l = t.levels.front();
  if (l.completed == 0) return "-";
  if (what == "ttft") return ms_text(l.ttft_p50_ms) + " / " + ms_text(l.ttft_p99_ms) + " at " + l.label;
  return rate_text(l.user_tokens_per_s) + " at " + l.label;
}

std::string throughput_text(const Target& t) {
  if (t.levels.empty()) return "not measured";
  std::vector<std::string> parts;
  for (const auto& l : t.levels) parts.push_back(l.label + ": " + (l.completed ? rate_text(l.output_tokens_per_s) : "-"));
  return join(parts, ", ");
}

std::string best_text(const Target& t, const Report& r) {
  if (t.levels.empty()) return "-";
  if (r.slos.empty() && !t.levels.front().has_slos) return "no SLOs set";
  return t.best ? t.best->label : "none of the measured loads";
}

std::vector<Cell> metric_row(const Report& r, const std::string& name, std::string (*cell)(const Target&, const Report&)) {
  std::vector<Cell> row{{name, ""}};
  for (const auto& t : r.targets) row.push_back({cell(t, r), ""});
  return row;
}

}  // namespace

Table side_by_side_table(const Report& r) {
  Table tab{"side-by-side", {"metric"}, {}, true};
  for (const auto& t : r.targets) tab.header.push_back(t.name);
  std::vector<Cell> status{{"status", ""}};
  for (const auto& t : r.targets)
    status.push_back({t.status_text + (t.simulated && t.status == TargetStatus::measured ? " (simulated)" : ""), status_tone(t)});
  tab.rows.push_back(status);
  tab.rows.push_back(metric_row(r, "TTFT p50 / p99", [](const Target& t, const Report&) { return first_level(t, "ttft"); }));
  tab.rows.push_back(metric_row(r, "tokens/s per user", [](const Target& t, const Report&) { return first_level(t, "user"); }));
  tab.rows.push_back(metric_row(r, "throughput at each load (tokens/s)", [](const Target& t, const Report&) { return throughput_text(t); }));
  tab.rows.push_back(metric_row(r, "max load meeting the SLOs", best_text));
  tab.rows.push_back(metric_row(r, "failed requests", [](const Target& t, const Report&) { return errors_text(t); }));
  tab.rows.push_back(metric_row(r, "cost per 1M tokens", [](const Target& t, const Report&) {
    return t.cost ? plan::money(t.cost->per_million_usd) : std::string("unknown");
  }));
  tab.rows.push_back(metric_row(r, "cost per month at the workload", [](const Target& t, const Report&) {
    return t.cost ? plan::money(t.cost->monthly_usd) + (t.cost->keeps_up ? "" : " (at capacity: does not keep up)") : std::string("unknown");
  }));
  tab.rows.push_back(metric_row(r, "where the data goes", [](const Target& t, const Report&) { return t.data_location; }));
  tab.rows.push_back(metric_row(r, "what it takes to run", [](const Target& t, const Report&) { return t.runs_on; }));
  for (std::size_t i = 1; i < tab.rows[5].size(); ++i)
    if (r.targets[i - 1].requests_failed > 0) tab.rows[5][i].tone = "bad";
  return tab;
}

Table levels_table(const Report& r) {
  Table tab{"levels", {"target", "load", "TTFT p50", "TTFT p99", "TPOT p50", "tokens/s per user", "throughput (tokens/s)", "requests/s", "completed", "failed", "SLOs"}, {}, false};
  for (const auto& t : r.targets)
    for (const auto& l : t.levels) {
      std::string slo = !l.has_slos ? "-" : l.slos_met ? "met" : "missed";
      bool first = &l == &t.levels.front();
      tab.rows.push_back({{first ? t.name : "", ""}, {l.label, ""}, {ms_text(l.ttft_p50_ms), ""}, {ms_text(l.ttft_p99_ms), ""},
                          {ms_text(l.tpot_p50_ms), ""}, {rate_text(l.user_tokens_per_s), ""}, {rate_text(l.output_tokens_per_s), ""},
                          {plan::fmt("%.2f", l.requests_per_s), ""}, {std::to_string(l.completed), ""},
                          {std::to_string(l.failed), l.failed ? "bad" : ""}, {slo, slo == "met" ? "good" : slo == "missed" ? "bad" : ""}});
    }
  return tab;
}

Table cost_volume_table(const Report& r) {
  Table tab{"cost-volume", {"tokens/day"}, {}, false};
  if (!r.costs) return tab;
  const auto& k = *r.costs;
  for (const auto& s : k.series) tab.header.push_back(s.label);
  for (const auto& v : k.at_volumes) {
    bool workload = std::fabs(v.tokens_per_day - k.workload_tokens_per_day) <= 1e-9 * v.tokens_per_day;
    std::vector<Cell> row{{compact(v.tokens_per_day) + (workload ? " (your workload)" : ""), ""}};
    for (double m : v.monthly_usd) row.push_back({plan::money(m), ""});
    tab.rows.push_back(row);
  }
  return tab;
}

Table memory_table(const Report& r) {
  Table tab{"memory", {"quantization", "weights", "KV cache", "compute", "overhead", "total", "verdict"}, {}, false};
  if (!r.memory) return tab;
  for (const auto& b : r.memory->bars)
    tab.rows.push_back({{b.quant + (b.chosen ? " (chosen)" : ""), ""}, {plan::gib_text(b.weights), ""}, {plan::gib_text(b.kv), ""},
                        {plan::gib_text(b.compute), ""}, {plan::gib_text(b.overhead), ""}, {plan::gib_text(b.total()), ""},
                        {b.verdict, b.verdict == "fits" ? "good" : b.verdict == "does not fit" ? "bad" : "warn"}});
  return tab;
}

}  // namespace llmux::report
