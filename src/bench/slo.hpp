#pragma once
// Service-level objectives: "ttft:p90<500ms,itl:p99<50ms,e2e:p99<10s". A level
// meets an SLO when that percentile over its completed requests is under the
// threshold; a request meets it when its own value is (for itl, the request's own
// percentile of its per-token gaps). Goodput counts requests that meet all of them.
#include <string>
#include <vector>

#include "bench/metrics.hpp"
#include "core/error.hpp"

namespace llmux::bench {

struct Slo {
  std::string metric;        // ttft, ttfc, tpot, itl, e2e
  double percentile = 50;    // 50, 90, 95, 99, 99.9 (any value in (0, 100])
  double threshold_ms = 0;
  std::string text;          // as the user wrote it
};

Result<std::vector<Slo>> parse_slos(std::string_view text);

// Value of the SLO's metric for one request (NaN when it has none).
double request_value(const RequestMetrics& m, const Slo& slo);
bool request_meets(const RequestMetrics& m, const std::vector<Slo>& slos);

}  // namespace llmux::bench
