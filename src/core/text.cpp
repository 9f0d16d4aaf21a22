#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace llmux {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool equals_icase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equals_icase(s.substr(0, prefix.size()), prefix);
}

Result<double> parse_double(std::string_view text) {
  auto t = trim(text);
  double v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || t.empty() || !std::isfinite(v))
    return fail(ErrorCode::usage, "'" + std::string(text) + "' is not a number");
  return v;
}

Result<std::int64_t> parse_int(std::string_view text) {
  auto t = trim(text);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || t.empty())
    return fail(ErrorCode::usage, "'" + std::string(text) + "' is not an integer");
  return v;
}

namespace {
// Splits "12.5ms" into {12.5, "ms"}.
Result<std::pair<double, std::string>> number_and_unit(std::string_view text) {
  auto t = trim(text);
  std::size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.' || t[i] == '-' ||
                          t[i] == '+' || t[i] == 'e' || t[i] == 'E')) {
    // 'e' only as an exponent: stop if followed by a letter that makes a unit.
    if ((t[i] == 'e' || t[i] == 'E') && (i + 1 >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i + 1])))) break;
    ++i;
  }
  auto num = parse_double(t.substr(0, i));
  if (!num) return fail(ErrorCode::usage, "'" + std::string(text) + "' does not start with a number");
  return std::pair<double, std::string>{*num, to_lower(trim(t.substr(i)))};
}
}  // namespace

Result<std::int64_t> parse_duration_ns(std::string_view text, std::string_view default_unit) {
  auto nu = number_and_unit(text);
  if (!nu) return tl::unexpected(nu.error());
  auto [value, unit] = *nu;
  if (unit.empty()) unit = std::string(default_unit);
  double scale = 0;
  if (unit == "ns") scale = 1;
  else if (unit == "us" || unit == "µs") scale = 1e3;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "s" || unit == "sec") scale = 1e9;
  else if (unit == "m" || unit == "min") scale = 60e9;
  else if (unit == "h") scale = 3600e9;
  else if (unit == "d") scale = 86400e9;
  else
    return fail(ErrorCode::usage, "unknown time unit '" + unit + "' in '" + std::string(text) + "'",
                "use ns, us, ms, s, m, h or d");
  if (value < 0) return fail(ErrorCode::usage, "duration '" + std::string(text) + "' is negative");
  return static_cast<std::int64_t>(std::llround(value * scale));
}

Result<std::uint64_t> parse_bytes(std::string_view text) {
  auto nu = number_and_unit(text);
  if (!nu) return tl::unexpected(nu.error());
  auto [value, unit] = *nu;
  double scale = 0;
  if (unit.empty() || unit == "b") scale = 1;
  else if (unit == "kb" || unit == "k") scale = 1e3;
  else if (unit == "mb" || unit == "m") scale = 1e6;
  else if (unit == "gb" || unit == "g") scale = 1e9;
  else if (unit == "kib") scale = 1024.0;
  else if (unit == "mib") scale = 1024.0 * 1024;
  else if (unit == "gib") scale = 1024.0 * 1024 * 1024;
  else return fail(ErrorCode::usage, "unknown size unit '" + unit + "' in '" + std::string(text) + "'");
  if (value < 0) return fail(ErrorCode::usage, "size '" + std::string(text) + "' is negative");
  return static_cast<std::uint64_t>(value * scale);
}

Result<std::vector<double>> parse_number_list(std::string_view text) {
  std::vector<double> out;
  for (auto item : split(text, ',')) {
    auto v = parse_double(item);
    if (!v) return fail(ErrorCode::usage, "'" + std::string(text) + "' is not a comma-separated list of numbers");
    out.push_back(*v);
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (std::tolower(static_cast<unsigned char>(a[i - 1])) !=
                                       std::tolower(static_cast<unsigned char>(b[j - 1])));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {
// No name this long is a typo, and the distances would cost length x candidates: a
// client's 8 MB model name must not hold its I/O thread for seconds.
constexpr std::size_t kMaxSuggestedName = 256;
}  // namespace

std::vector<std::string> nearest_names(std::string_view wanted, const std::vector<std::string>& candidates,
                                       std::size_t max) {
  if (wanted.size() > kMaxSuggestedName) return {};
  std::string w = to_lower(wanted);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : candidates) {
    if (c.size() > kMaxSuggestedName) continue;
    std::string lc = to_lower(c);
    std::size_t d = edit_distance(w, lc);
    if (!w.empty() && lc.find(w) != std::string::npos) d = d / 4;  // substring: strong hint
    std::size_t budget = std::max<std::size_t>(3, w.size() / 2);
    if (d <= budget) scored.emplace_back(d, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& [d, c] : scored) {
    if (out.size() >= max) break;
    out.push_back(c);
  }
  return out;
}

std::string did_you_mean(std::string_view wanted, const std::vector<std::string>& candidates) {
  auto near = nearest_names(wanted, candidates);
  if (near.empty()) return {};
  std::string s = "; did you mean: ";
  for (std::size_t i = 0; i < near.size(); ++i) {
    if (i) s += ", ";
    s += near[i];
  }
  return s + "?";
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (std::fabs(bytes) >= 1024.0 && u < 4) {
    bytes /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.2f %s", bytes, units[u]);
  return buf;
}

std::string format_duration_ms(double ms) {
  // Three significant digits at every size, so that a column of them reads alike; the
  // size is judged after rounding (0.9996 is "1.00 ms", not "1.000 ms").
  auto decimals = [](double v) { return v >= 100.0 ? 0 : v >= 10.0 ? 1 : v >= 1.0 ? 2 : 3; };
  int d = decimals(ms);
  double scale = std::pow(10.0, d);
  double rounded = std::round(ms * scale) / scale;
  char buf[32];
  if (rounded >= 1000.0) std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000.0);
  else std::snprintf(buf, sizeof buf, "%.*f ms", decimals(rounded), ms);
  return buf;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string shell_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                   "-_./:=,+@%") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::string shortest_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

std::string csv_field(std::string_view text) {
  std::string t;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) t = "'";
  t += text;
  if (t.find_first_of(",\"\r\n") == std::string::npos) return t;
  std::string out = "\"";
  for (char c : t) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else out += c;
  }
  return out;
}

}  // namespace llmux
