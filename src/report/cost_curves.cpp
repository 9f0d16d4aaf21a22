// Monthly cost against daily volume: the local setup (one machine up to its
// capacity, then more identical machines) and each cloud price, with the
// break-even points the plan found. And the memory each quantization needs on
// the fullest device. Costs come from plan's cost model (plan/cost_model.hpp).
#include <algorithm>
#include <cmath>

#include "report/build_steps.hpp"

namespace llmux::report::detail {

namespace {

constexpr double kDaysPerMonth = 30.4375;
constexpr int kSamples = 61;

// Decades around every volume of interest.
std::pair<double, double> volume_range(const PlanInput& p, double capacity_tpd) {
  double tpr = p.workload.tokens_per_request();
  double lo = p.workload.requests_per_day * tpr, hi = lo;
  for (const auto& c : p.cloud)
    if (c.break_even.exists) {
      lo = std::min(lo, c.break_even.tokens_per_month / kDaysPerMonth);
      hi = std::max(hi, c.break_even.tokens_per_month / kDaysPerMonth);
    }
  if (capacity_tpd > 0) hi = std::max(hi, capacity_tpd);
  lo = std::pow(10.0, std::floor(std::log10(std::max(lo / 3, 1e3))));
  hi = std::pow(10.0, std::ceil(std::log10(std::max(hi * 3, lo * 100))));
  return {lo, hi};
}

std::vector<double> log_samples(double lo, double hi) {
  std::vector<double> xs;
  for (int i = 0; i < kSamples; ++i) xs.push_back(lo * std::pow(hi / lo, static_cast<double>(i) / (kSamples - 1)));
  return xs;
}

// n machines sharing the volume evenly, each at its own utilization.
double scaled_monthly(const plan::LocalCost& c, double requests_per_day) {
  double cap = std::max(1e-9, c.capacity_requests_per_day);
  double machines = std::max(1.0, std::ceil(requests_per_day / cap));
  return machines * plan::local_monthly_at(c, requests_per_day / machines);
}

CostSeries local_series(const PlanInput& p, const std::vector<double>& xs) {
  const auto& c = p.chosen().cost;
  double tpr = p.workload.tokens_per_request();
  double cap_tpd = c.capacity_requests_per_day * tpr;
  CostSeries s;
  s.label = "local (" + p.chosen().quant + " on " + std::to_string(p.gpus) + " x " + p.device.id + ")";
  s.local = true;
  for (double x : xs) {
    if (x <= cap_tpd) s.points.push_back({x, plan::local_monthly_at(c, x / tpr)});
    else s.scaled_out.push_back({x, scaled_monthly(c, x / tpr)});
  }
  if (!s.scaled_out.empty() && !s.points.empty()) {
    s.points.push_back({cap_tpd, plan::local_monthly_at(c, c.capacity_requests_per_day)});
    s.scaled_out.insert(s.scaled_out.begin(), {cap_tpd, scaled_monthly(c, c.capacity_requests_per_day)});
  }
  return s;
}

std::vector<VolumeCosts> at_volumes(const PlanInput& p, const CostCurves& k) {
  std::vector<double> volumes;
  for (double f : {0.1, 1.0, 10.0}) volumes.push_back(k.workload_tokens_per_day * f);
  for (const auto& b : k.break_even) volumes.push_back(b.tokens_per_day);
  std::sort(volumes.begin(), volumes.end());
  double tpr = p.workload.tokens_per_request();
  std::vector<VolumeCosts> out;
  for (double v : volumes) {
    VolumeCosts row{v, {}};
    std::size_t cloud = 0;
    for (const auto& s : k.series)
      row.monthly_usd.push_back(s.local ? scaled_monthly(p.chosen().cost, v / tpr)
                                        : p.cloud[cloud++].cost.per_request * (v / tpr) * kDaysPerMonth);
    out.push_back(std::move(row));
  }
  return out;
}

CostSeries cloud_series(const PlanCloud& c, double tpr, const std::vector<double>& xs) {
  CostSeries s;
  s.label = c.cost.id + (c.qualifies ? "" : " (excluded: local-only)");
  for (double x : xs) s.points.push_back({x, c.cost.per_request * (x / tpr) * kDaysPerMonth});
  return s;
}

}  // namespace

std::optional<CostCurves> cost_curves(const PlanInput& p) {
  double tpr = p.workload.tokens_per_request();
  if (tpr <= 0) return std::nullopt;
  CostCurves out;
  const auto& o = p.chosen();
  out.capacity_tokens_per_day = o.fits ? o.cost.capacity_requests_per_day * tpr : 0;
  out.workload_tokens_per_day = p.workload.requests_per_day * tpr;
  auto [lo, hi] = volume_range(p, out.capacity_tokens_per_day);
  auto xs = log_samples(lo, hi);
  if (o.fits && o.cost.capacity_requests_per_day > 0) out.series.push_back(local_series(p, xs));
  for (const auto& c : p.cloud) out.series.push_back(cloud_series(c, tpr, xs));
  for (const auto& c : p.cloud) {
    if (!c.break_even.exists) continue;
    const auto& b = c.break_even;
    out.break_even.push_back({c.cost.id, b.tokens_per_month / kDaysPerMonth, b.requests_per_day,
                              c.cost.per_request * b.requests_per_day * kDaysPerMonth, b.within_capacity});
  }
  out.at_volumes = at_volumes(p, out);
  return out;
}

std::optional<MemoryView> memory_view(const PlanInput& p) {
  MemoryView v;
  v.device = std::to_string(p.gpus) + " x " + p.device.name;
  for (const auto& o : p.options) {
    const MemoryUse* fullest = nullptr;
    for (const auto& d : o.devices)
      if (!d.host && (!fullest || d.used / std::max(1.0, d.free) > fullest->used / std::max(1.0, fullest->free))) fullest = &d;
    if (!fullest) continue;
    v.capacity_bytes = std::max(v.capacity_bytes, fullest->capacity);
    v.free_bytes = std::max(v.free_bytes, fullest->free);
    v.bars.push_back({o.quant, o.verdict, o.chosen, fullest->weights, fullest->kv, fullest->compute, fullest->overhead});
  }
  if (v.bars.empty()) return std::nullopt;
  return v;
}

}  // namespace llmux::report::detail
