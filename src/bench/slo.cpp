#include "bench/slo.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "bench/stats.hpp"
#include "core/text.hpp"

namespace llmux::bench {

Result<std::vector<Slo>> parse_slos(std::string_view text) {
  std::vector<Slo> out;
  auto bad = [&](std::string_view item, const std::string& why) {
    return fail(ErrorCode::usage, "SLO '" + std::string(item) + "': " + why,
                "--slo expects metric:pNN<value, e.g. --slo 'ttft:p90<500ms,itl:p99<50ms' (metrics: ttft ttfc tpot itl e2e)");
  };
  for (auto raw : split(text, ',')) {
    auto item = trim(raw);
    if (item.empty()) continue;
    auto colon = item.find(':');
    auto lt = item.find('<');
    if (colon == std::string_view::npos || lt == std::string_view::npos || lt < colon) return bad(item, "wrong form");
    Slo s;
    s.text = std::string(item);
    s.metric = to_lower(trim(item.substr(0, colon)));
    if (s.metric != "ttft" && s.metric != "ttfc" && s.metric != "tpot" && s.metric != "itl" && s.metric != "e2e")
      return bad(item, "unknown metric '" + s.metric + "'");
    auto pct = trim(item.substr(colon + 1, lt - colon - 1));
    if (pct.empty() || (pct[0] != 'p' && pct[0] != 'P')) return bad(item, "percentile must look like p90");
    auto p = parse_double(pct.substr(1));
    if (!p || *p <= 0 || *p > 100) return bad(item, "percentile must be in (0, 100]");
    s.percentile = *p == 999 ? 99.9 : *p;
    auto value = trim(item.substr(lt + 1));
    if (value.empty() || !std::isalpha(static_cast<unsigned char>(value.back())))
      return bad(item, "the threshold needs a unit: " + std::string(value) + "ms or " + std::string(value) + "s?");
    auto ns = parse_duration_ns(value, "ms");
    if (!ns) return bad(item, ns.error().message);
    s.threshold_ms = static_cast<double>(*ns) / 1e6;
    out.push_back(std::move(s));
  }
  if (out.empty()) return fail(ErrorCode::usage, "--slo is empty", "e.g. --slo 'ttft:p90<500ms'");
  return out;
}

double request_value(const RequestMetrics& m, const Slo& slo) {
  if (slo.metric == "ttft") return m.ttft_ms;
  if (slo.metric == "ttfc") return m.ttfc_ms;
  if (slo.metric == "tpot") return m.tpot_ms;
  if (slo.metric == "e2e") return m.e2e_ms;
  if (m.itl_ms.empty()) return std::nan("");
  std::vector<double> v = m.itl_ms;
  std::sort(v.begin(), v.end());
  return percentile_sorted(v, slo.percentile);
}

bool request_meets(const RequestMetrics& m, const std::vector<Slo>& slos) {
  if (!m.ok) return false;
  for (const auto& s : slos) {
    double v = request_value(m, s);
    if (std::isnan(v)) {
      if (s.metric == "ttft" || s.metric == "e2e") return false;  // must exist
      continue;  // e.g. tpot of a one-token answer: nothing to violate
    }
    if (!(v < s.threshold_ms)) return false;
  }
  return true;
}

}  // namespace llmux::bench
