#include "plan/format.hpp"

#include <cmath>
#include <cstdio>

namespace llmux::plan {

std::string fmt(const char* printf_format, double v) {
  char buf[128];
  std::snprintf(buf, sizeof buf, printf_format, v);
  return std::string(buf);
}

std::string thousands(double v) {
  char digits[64];
  std::snprintf(digits, sizeof digits, "%.0f", std::fabs(v) < 1e18 ? v : 0.0);
  std::string in(digits), out;
  std::size_t start = in[0] == '-' ? 1 : 0;
  if (start) out.push_back('-');
  std::size_t n = in.size() - start;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(in[start + i]);
  }
  return out;
}

std::string money(double usd) {
  std::string out(1, '$');
  if (usd >= 1000) out.append(thousands(usd));
  else if (usd >= 100) out.append(fmt("%.0f", usd));
  else if (usd >= 1) out.append(fmt("%.2f", usd));
  else out.append(fmt("%.4f", usd));
  return out;
}

std::string gib_text(double bytes) { return fmt("%.2f GiB", bytes / (1024.0 * 1024 * 1024)); }
std::string tps_text(double v) { return v >= 100 ? fmt("%.0f tok/s", v) : fmt("%.1f tok/s", v); }
std::string seconds_text(double s) {
  return s >= 10 ? fmt("%.1f s", s) : s >= 1 ? fmt("%.2f s", s) : fmt("%.0f ms", s * 1000);
}

}  // namespace llmux::plan
