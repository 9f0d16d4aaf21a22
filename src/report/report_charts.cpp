#include "report/report_charts.hpp"

#include <algorithm>
#include <set>

#include "plan/format.hpp"
#include "report/text_format.hpp"

namespace llmux::report {

namespace {

bool any_measured(const Report& r) {
  return std::any_of(r.targets.begin(), r.targets.end(), [](const Target& t) { return !t.levels.empty(); });
}

// Load axis: the measured loads as ticks, logarithmic when they span a factor of 8 or more.
Axis load_axis(const Report& r) {
  std::set<double> loads;
  bool rate = false;
  for (const auto& t : r.targets)
    for (const auto& l : t.levels) loads.insert(l.load), rate = rate || l.mode == "rate";
  Axis a{"load", rate ? "requests/s" : "concurrent users", false, true, TickFormat::number, {loads.begin(), loads.end()}};
  a.log = !loads.empty() && *loads.begin() > 0 && *loads.rbegin() / *loads.begin() >= 8;
  a.from_zero = !a.log;
  return a;
}

std::string short_name(const Target& t) {
  return t.simulated && t.name.find("simulated") == std::string::npos ? t.name + " (simulated)" : t.name;
}

Series level_series(const Target& t, int color, const std::string& what, double LevelRow::*field, bool dashed) {
  Series s{short_name(t) + (what.empty() ? "" : " " + what), {}, color, dashed, true, true};
  for (const auto& l : t.levels) {
    if (l.completed == 0) continue;
    std::string tip = t.name + " at " + l.label + ": " + (what.empty() ? "" : what + " ");
    s.points.push_back({l.load, l.*field, tip});
  }
  return s;
}

int target_color(const Report& r, const std::string& price_id_or_local) {
  for (std::size_t i = 0; i < r.targets.size(); ++i) {
    const auto& t = r.targets[i];
    if ((price_id_or_local == "local" && t.kind == TargetKind::local) || (!t.price_id.empty() && t.price_id == price_id_or_local))
      return static_cast<int>(i);
  }
  return static_cast<int>(r.targets.size());
}

}  // namespace

std::optional<LineChart> latency_chart(const Report& r) {
  if (!any_measured(r)) return std::nullopt;
  LineChart c{"chart-latency", "Time to first token against load",
              "TTFT p50 (solid) and p99 (dashed) for each measured target at each load level", load_axis(r),
              Axis{"time to first token", "ms", false, true, TickFormat::number, {}}, {}, {}, {}};
  for (std::size_t i = 0; i < r.targets.size(); ++i) {
    const auto& t = r.targets[i];
    if (t.levels.empty()) continue;
    auto p50 = level_series(t, static_cast<int>(i), "p50", &LevelRow::ttft_p50_ms, false);
    auto p99 = level_series(t, static_cast<int>(i), "p99", &LevelRow::ttft_p99_ms, true);
    for (auto& p : p50.points) p.tip += ms_text(p.y);
    for (auto& p : p99.points) p.tip += ms_text(p.y);
    c.series.push_back(std::move(p50));
    c.series.push_back(std::move(p99));
  }
  return c;
}

std::optional<LineChart> throughput_chart(const Report& r) {
  if (!any_measured(r)) return std::nullopt;
  LineChart c{"chart-throughput", "Output throughput against load",
              "Output tokens per second, all users together, for each measured target at each load level", load_axis(r),
              Axis{"output throughput", "tokens/s", false, true, TickFormat::number, {}}, {}, {}, {}};
  for (std::size_t i = 0; i < r.targets.size(); ++i) {
    const auto& t = r.targets[i];
    if (t.levels.empty()) continue;
    auto s = level_series(t, static_cast<int>(i), "", &LevelRow::output_tokens_per_s, false);
    for (auto& p : s.points) p.tip += rate_text(p.y) + " tokens/s";
    c.series.push_back(std::move(s));
  }
  return c;
}

std::optional<LineChart> cost_chart(const Report& r) {
  if (!r.costs || r.costs->series.empty()) return std::nullopt;
  const auto& k = *r.costs;
  LineChart c{"chart-cost", "Monthly cost against volume",
              "Monthly bill for the same traffic locally and on each cloud model; diamonds mark break-even volumes",
              Axis{"volume", "tokens/day", true, false, TickFormat::compact, {}},
              Axis{"cost", "USD/month", true, false, TickFormat::money, {}}, {}, {}, {}};
  for (const auto& s : k.series) {
    int color = target_color(r, s.local ? "local" : s.label.substr(0, s.label.find(' ')));
    Series line{s.label, {}, color, false, false, true};
    for (const auto& p : s.points) line.points.push_back({p.x, p.y, ""});
    c.series.push_back(std::move(line));
    if (s.scaled_out.empty()) continue;
    Series more{"local, more machines beyond one's capacity", {}, color, true, false, true};
    for (const auto& p : s.scaled_out) more.points.push_back({p.x, p.y, ""});
    c.series.push_back(std::move(more));
  }
  for (const auto& b : k.break_even)
    c.markers.push_back({b.tokens_per_day, b.monthly_usd, "break-even vs " + b.cloud + ": " + compact(b.tokens_per_day) + " tokens/day",
                         target_color(r, b.cloud), compact(b.tokens_per_day)});
  c.guides.push_back({k.workload_tokens_per_day, "your workload: " + compact(k.workload_tokens_per_day) + "/day"});
  if (k.capacity_tokens_per_day > 0) c.guides.push_back({k.capacity_tokens_per_day, "one machine's capacity"});
  return c;
}

std::optional<BarChart> memory_chart(const Report& r) {
  if (!r.memory) return std::nullopt;
  const auto& m = *r.memory;
  BarChart c{"chart-memory", "Memory per quantization on " + m.device,
             "Weights, KV cache, compute buffers and runtime overhead on the fullest device, against its usable and total memory",
             Axis{"memory on the fullest device", "GiB", false, true, TickFormat::number, {}},
             {"weights", "KV cache", "compute buffers", "runtime overhead"}, {}, {}};
  constexpr double kGiB = 1024.0 * 1024 * 1024;
  for (const auto& b : m.bars)
    c.bars.push_back({b.quant, {b.weights / kGiB, b.kv / kGiB, b.compute / kGiB, b.overhead / kGiB}, b.chosen,
                      b.verdict + (b.chosen ? " (chosen)" : "")});
  c.guides.push_back({m.free_bytes / kGiB, "usable " + plan::fmt("%.1f GiB", m.free_bytes / kGiB)});
  c.guides.push_back({m.capacity_bytes / kGiB, "total " + plan::fmt("%.1f GiB", m.capacity_bytes / kGiB)});
  return c;
}

}  // namespace llmux::report
