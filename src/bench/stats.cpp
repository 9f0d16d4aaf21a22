#include "bench/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace llmux::bench {

double percentile_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (sorted.size() == 1) return sorted.front();
  double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(rank));
  auto hi = std::min(lo + 1, sorted.size() - 1);
  double frac = rank - static_cast<double>(lo);
  if (frac == 0 || sorted[hi] == sorted[lo]) return sorted[lo];
  if (std::isinf(sorted[hi])) return sorted[hi];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

Summary summarize(std::vector<double>& values) {
  Summary s;
  s.count = values.size();
  if (values.empty()) {
    double nan = std::numeric_limits<double>::quiet_NaN();
    s.mean = s.min = s.max = s.stddev = s.p50 = s.p90 = s.p95 = s.p99 = s.p999 = nan;
    return s;
  }
  std::sort(values.begin(), values.end());
  s.min = values.front();
  s.max = values.back();
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double ss = 0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.stddev = values.size() > 1 ? std::sqrt(ss / static_cast<double>(values.size() - 1)) : 0.0;
  s.p50 = percentile_sorted(values, 50);
  s.p90 = percentile_sorted(values, 90);
  s.p95 = percentile_sorted(values, 95);
  s.p99 = percentile_sorted(values, 99);
  s.p999 = percentile_sorted(values, 99.9);
  return s;
}

double Summary::percentile(double p) const {
  if (p == 50) return p50;
  if (p == 90) return p90;
  if (p == 95) return p95;
  if (p == 99) return p99;
  if (std::fabs(p - 99.9) < 1e-9) return p999;
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace llmux::bench
