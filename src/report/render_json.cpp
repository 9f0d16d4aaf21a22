// The report as one JSON object (schema_version 1, docs/report.md): every
// figure the HTML and Markdown show, with the values exactly as the bench and
// plan results gave them.
#include <cmath>
#include <nlohmann/json.hpp>

#include "report/render.hpp"

namespace llmux::report {

namespace {

using json = nlohmann::ordered_json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json level_json(const LevelRow& l) {
  return {{"label", l.label}, {"mode", l.mode}, {"load", l.load}, {"ttft_p50_ms", num(l.ttft_p50_ms)},
          {"ttft_p99_ms", num(l.ttft_p99_ms)}, {"tpot_p50_ms", num(l.tpot_p50_ms)},
          {"tokens_per_s_per_user", num(l.user_tokens_per_s)}, {"output_tokens_per_s", num(l.output_tokens_per_s)},
          {"requests_per_s", num(l.requests_per_s)}, {"requests_completed", l.completed}, {"requests_failed", l.failed},
          {"errors", l.errors}, {"slos_met", l.has_slos ? json(l.slos_met) : json(nullptr)}};
}

json cost_json(const std::optional<TargetCost>& c) {
  if (!c) return nullptr;
  return {{"monthly_usd", c->monthly_usd}, {"per_million_tokens_usd", c->per_million_usd},
          {"per_request_usd", c->per_request_usd}, {"keeps_up", c->keeps_up}, {"basis", c->basis}};
}

json target_json(const Target& t) {
  json levels = json::array();
  for (const auto& l : t.levels) levels.push_back(level_json(l));
  return {{"name", t.name}, {"kind", std::string(to_string(t.kind))}, {"status", std::string(to_string(t.status))},
          {"status_text", t.status_text}, {"simulated", t.simulated}, {"url", t.url}, {"model", t.model},
          {"provider", t.provider}, {"price_id", t.price_id}, {"source", t.source}, {"levels", levels},
          {"max_load_meeting_slos", t.best ? json{{"label", t.best->label}, {"load", t.best->load}} : json(nullptr)},
          {"requests_failed", t.requests_failed}, {"errors", t.errors}, {"error_samples", t.error_samples},
          {"cost", cost_json(t.cost)}, {"data_location", t.data_location}, {"runs_on", t.runs_on},
          {"may_carry_local_only_data", t.may_carry_private}};
}

json points_json(const std::vector<CurvePoint>& pts) {
  json out = json::array();
  for (const auto& p : pts) out.push_back({p.x, p.y});
  return out;
}

json costs_json(const std::optional<CostCurves>& k) {
  if (!k) return nullptr;
  json series = json::array(), be = json::array(), table = json::array();
  for (const auto& s : k->series)
    series.push_back({{"label", s.label}, {"local", s.local}, {"points", points_json(s.points)}, {"scaled_out", points_json(s.scaled_out)}});
  for (const auto& b : k->break_even)
    be.push_back({{"cloud", b.cloud}, {"tokens_per_day", b.tokens_per_day}, {"requests_per_day", b.requests_per_day},
                  {"monthly_usd", b.monthly_usd}, {"within_capacity", b.within_capacity}});
  for (const auto& v : k->at_volumes) table.push_back({{"tokens_per_day", v.tokens_per_day}, {"monthly_usd", v.monthly_usd}});
  return {{"x", "tokens_per_day"}, {"y", "usd_per_month"}, {"workload_tokens_per_day", k->workload_tokens_per_day},
          {"capacity_tokens_per_day", k->capacity_tokens_per_day}, {"series", series}, {"break_even", be}, {"at_volumes", table}};
}

json memory_json(const std::optional<MemoryView>& m) {
  if (!m) return nullptr;
  json bars = json::array();
  for (const auto& b : m->bars)
    bars.push_back({{"quant", b.quant}, {"chosen", b.chosen}, {"verdict", b.verdict}, {"weights_bytes", b.weights},
                    {"kv_cache_bytes", b.kv}, {"compute_bytes", b.compute}, {"overhead_bytes", b.overhead}, {"total_bytes", b.total()}});
  return {{"device", m->device}, {"capacity_bytes", m->capacity_bytes}, {"free_bytes", m->free_bytes}, {"options", bars}};
}

json methodology_json(const Methodology& m) {
  json metrics = json::array(), sources = json::array();
  for (const auto& [name, def] : m.metrics) metrics.push_back({{"name", name}, {"definition", def}});
  for (const auto& s : m.sources) sources.push_back({{"file", s.path}, {"tool", s.tool}, {"started_at", s.started_at}, {"detail", s.detail}});
  return {{"tool_version", m.tool_version}, {"hardware", m.hardware}, {"metrics", metrics}, {"prices", m.prices},
          {"catalog", m.catalog}, {"commands", m.commands}, {"sources", sources}, {"assumptions", m.assumptions}};
}

json workload_json(const Report& r) {
  if (!r.workload) return {{"measured", r.measured_workload}};
  const auto& w = *r.workload;
  return {{"input_tokens", w.input_tokens}, {"output_tokens", w.output_tokens}, {"requests_per_day", w.requests_per_day},
          {"cached_fraction", w.cached_fraction}, {"tokens_per_day", w.tokens_per_request() * w.requests_per_day},
          {"tokens_per_month", w.tokens_per_month()}, {"measured", r.measured_workload}};
}

}  // namespace

std::string render_json(const Report& r) {
  json targets = json::array();
  for (const auto& t : r.targets) targets.push_back(target_json(t));
  json j;
  j["schema_version"] = kReportSchemaVersion;
  j["tool"] = "llmux report";
  j["tool_version"] = r.methodology.tool_version;
  j["generated_at"] = r.generated_at;
  j["simulated"] = r.simulated;
  j["simulated_note"] = r.simulated ? json(r.simulated_note) : json(nullptr);
  j["workload"] = workload_json(r);
  j["privacy"] = {{"mode", r.privacy}, {"local_only_classes", r.local_only_classes}};
  j["slos"] = r.slos;
  j["answer"] = {{"choice", r.answer.choice}, {"target", r.answer.target}, {"local", r.answer.local},
                 {"reasons", r.answer.reasons}, {"what_would_change_it", r.answer.changes}, {"privacy", r.answer.privacy}};
  j["targets"] = targets;
  j["costs"] = costs_json(r.costs);
  j["memory"] = memory_json(r.memory);
  j["methodology"] = methodology_json(r.methodology);
  j["notes"] = r.notes;
  return j.dump(2) + "\n";
}

}  // namespace llmux::report
