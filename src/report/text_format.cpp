#include "report/text_format.hpp"

#include <cmath>
#include <map>

#include "plan/format.hpp"

namespace llmux::report {

std::string compact(double v) {
  double a = std::fabs(v);
  auto scaled = [&](double div, const char* suffix) { return plan::fmt("%.3g", v / div) + suffix; };
  if (a >= 1e9) return scaled(1e9, "B");
  if (a >= 1e6) return scaled(1e6, "M");
  if (a >= 1e3) return scaled(1e3, "k");
  return plan::fmt(a >= 10 || a == 0 ? "%.0f" : "%.2g", v);  // 950, 12, 0.5
}

std::string ms_text(double ms) {
  if (!std::isfinite(ms)) return "-";
  if (ms >= 10000) return plan::fmt("%.1f s", ms / 1000);
  if (ms >= 1000) return plan::fmt("%.2f s", ms / 1000);
  if (ms >= 10) return plan::fmt("%.0f ms", ms);
  return plan::fmt("%.1f ms", ms);
}

std::string rate_text(double v) {
  if (!std::isfinite(v)) return "-";
  return plan::fmt(v >= 100 ? "%.0f" : "%.1f", v);
}

std::string percent(double f) { return plan::fmt("%.0f%%", 100 * f); }

std::string class_text(const std::string& c) {
  static const std::map<std::string, std::string> kNames = {
      {"credit_card", "card numbers"},      {"us_ssn", "US social security numbers"},
      {"iban", "bank account numbers (IBAN)"}, {"email", "email addresses"},
      {"phone", "phone numbers"},           {"ip_address", "IP addresses"},
      {"secret", "secrets (API keys, tokens)"}};
  auto it = kNames.find(c);
  return it == kNames.end() ? c + " data" : it->second;
}

std::string classes_text(const std::vector<std::string>& classes) {
  std::vector<std::string> names;
  for (const auto& c : classes) names.push_back(class_text(c));
  if (names.size() <= 1) return join(names, "");
  std::string last = names.back();
  names.pop_back();
  return join(names, ", ") + " and " + last;
}

}  // namespace llmux::report
