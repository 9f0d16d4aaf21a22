#include "plan/workload.hpp"

#include <cmath>
#include <cstdio>
#include <set>

#include "core/text.hpp"
#include "plan/format.hpp"

namespace llmux::plan {

namespace {

constexpr double kMaxRequestsPerDay = 1e9;

// The field a key sets, so a key given twice (or under two names) is caught.
std::string canonical_key(std::string_view key) {
  std::string k = to_lower(key);
  if (k == "input") return "in";
  if (k == "output") return "out";
  if (k == "rpd" || k == "requests_per_day") return "requests-per-day";
  return k;
}

Result<void> set_field(Workload& w, std::string_view key, std::string_view value, std::string_view text) {
  auto bad = [&](const std::string& why) {
    return fail(ErrorCode::usage, "--workload '" + std::string(text) + "': " + why,
                "e.g. --workload in=2000,out=400,requests-per-day=20000");
  };
  auto num = parse_double(value);
  if (!num || !std::isfinite(*num) || *num < 0) return bad("'" + std::string(key) + "' needs a number >= 0");
  std::string k = to_lower(key);
  bool whole = *num == std::floor(*num);
  if (k == "in" || k == "input") {
    if (*num < 1 || *num > 1e8 || !whole) return bad("in must be a whole number of tokens from 1 to 100,000,000");
    w.input_tokens = static_cast<int>(*num);
  } else if (k == "out" || k == "output") {
    if (*num < 1 || *num > 1e7 || !whole) return bad("out must be a whole number of tokens from 1 to 10,000,000");
    w.output_tokens = static_cast<int>(*num);
  } else if (k == "requests-per-day" || k == "rpd" || k == "requests_per_day") {
    if (*num > kMaxRequestsPerDay) return bad("requests-per-day must be at most 1,000,000,000 (about 11,600 a second)");
    w.requests_per_day = *num;
  } else if (k == "cached") {
    if (*num > 1) return bad("cached is a fraction between 0 and 1");
    w.cached_fraction = *num;
  } else {
    return bad("unknown key '" + std::string(key) + "' (use in, out, requests-per-day, cached)");
  }
  return {};
}

}  // namespace

Result<Workload> parse_workload(std::string_view text) {
  Workload w;
  w.given = true;
  std::set<std::string> seen;
  for (auto part : split(text, ',')) {
    auto item = trim(part);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return fail(ErrorCode::usage, "--workload '" + std::string(text) + "': '" + std::string(item) + "' is not key=value",
                  "e.g. --workload in=2000,out=400,requests-per-day=20000");
    auto key = trim(item.substr(0, eq));
    if (!seen.insert(canonical_key(key)).second)
      return fail(ErrorCode::usage, "--workload '" + std::string(text) + "': '" + canonical_key(key) + "' is given twice",
                  "give each of in, out, requests-per-day and cached once");
    auto r = set_field(w, key, trim(item.substr(eq + 1)), text);
    if (!r) return tl::unexpected(r.error());
  }
  return w;
}

std::string describe(const Workload& w) {
  return thousands(w.input_tokens) + " tokens in, " + thousands(w.output_tokens) + " out, " + thousands(w.requests_per_day) +
         " requests/day" + (w.given ? "" : " (default workload; set --workload)");
}

}  // namespace llmux::plan
