#include "report/scale.hpp"

#include <algorithm>
#include <cmath>

namespace llmux::report {

namespace {

double nice_step(double range, int target_ticks) {
  double raw = range / std::max(1, target_ticks);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

std::vector<double> decade_ticks(double lo, double hi) {
  int first = static_cast<int>(std::lround(std::log10(lo))), last = static_cast<int>(std::lround(std::log10(hi)));
  int every = last - first > 6 ? 2 : 1;
  std::vector<double> out;
  for (int e = first; e <= last; e += every) out.push_back(std::pow(10.0, e));
  return out;
}

}  // namespace

Scale::Scale(double min, double max, const Axis& axis, double px0, double px1) : px0_(px0), px1_(px1), log_(axis.log) {
  if (!std::isfinite(min) || !std::isfinite(max)) min = 0, max = 1;
  if (!axis.ticks.empty()) {
    min = std::min(min, *std::min_element(axis.ticks.begin(), axis.ticks.end()));
    max = std::max(max, *std::max_element(axis.ticks.begin(), axis.ticks.end()));
  }
  if (log_) {
    min = std::max(min, 1e-12);
    max = std::max(max, min * 10);
    lo_ = axis.ticks.empty() ? std::pow(10.0, std::floor(std::log10(min))) : min;
    hi_ = axis.ticks.empty() ? std::pow(10.0, std::ceil(std::log10(max))) : max;
    ticks_ = axis.ticks.empty() ? decade_ticks(lo_, hi_) : axis.ticks;
    return;
  }
  if (axis.from_zero) min = std::min(min, 0.0);
  if (max <= min) max = min + 1;
  double step = nice_step(max - min, 5);
  lo_ = axis.ticks.empty() ? std::floor(min / step) * step : min;
  hi_ = axis.ticks.empty() ? std::ceil(max / step) * step : max;
  if (!axis.ticks.empty()) {
    ticks_ = axis.ticks;
    return;
  }
  for (double t = lo_; t <= hi_ + step * 1e-6; t += step) ticks_.push_back(std::fabs(t) < step * 1e-9 ? 0 : t);
}

double Scale::pos(double v) const {
  if (log_) return (std::log10(std::max(v, 1e-12)) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_));
  return (v - lo_) / (hi_ - lo_);
}

double Scale::map(double v) const { return px0_ + (px1_ - px0_) * pos(v); }

}  // namespace llmux::report
