#pragma once
// Distribution summaries: percentiles (linear interpolation between closest
// ranks, as numpy's default), mean, min, max, sample standard deviation.
#include <cstddef>
#include <vector>

namespace llmux::bench {

struct Summary {
  std::size_t count = 0;
  double mean = 0, min = 0, max = 0, stddev = 0;
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0;

  // Value of a percentile this summary carries (50, 90, 95, 99, 99.9); NaN otherwise.
  double percentile(double p) const;
};

// Sorts `values` in place.
Summary summarize(std::vector<double>& values);
// Percentile p (0..100) of sorted values.
double percentile_sorted(const std::vector<double>& sorted, double p);

}  // namespace llmux::bench
