#pragma once
// Mapping data values to pixels on a linear or logarithmic axis, with "nice"
// tick positions (1, 2, 2.5, 5 × 10^k; decades on log axes). Private to report.
#include <vector>

#include "report/chart.hpp"

namespace llmux::report {

class Scale {
 public:
  // Covers [min, max] with nice bounds (or the explicit ticks' range) and maps it onto [px0, px1].
  Scale(double min, double max, const Axis& axis, double px0, double px1);
  double map(double v) const;
  const std::vector<double>& ticks() const { return ticks_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }

 private:
  double pos(double v) const;  // 0..1
  double lo_ = 0, hi_ = 1, px0_ = 0, px1_ = 1;
  bool log_ = false;
  std::vector<double> ticks_;
};

}  // namespace llmux::report
