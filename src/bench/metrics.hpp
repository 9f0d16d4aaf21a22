#pragma once
// Per-request metrics exactly as DESIGN.md defines them (TTFT, TTFC, TPOT, ITL,
// inter-chunk latency, E2E), including how output tokens were counted and
// whether per-event token counts had to be apportioned.
#include <vector>

#include "bench/record.hpp"

namespace llmux::bench {

struct RequestMetrics {
  bool ok = false;
  // The latencies are NaN for a failed request, and where noted.
  double ttft_ms = 0;            // first_token - sent
  double ttft_sched_ms = 0;      // first_token - scheduled (open loop: includes client queueing)
  double ttfc_ms = 0;            // first_content - sent; NaN when no content arrived
  double e2e_ms = 0;             // done - sent
  double tpot_ms = 0;            // (last_token - first_token) / (tokens - 1); NaN: < 2 tokens, unstreamed
  double send_lag_ms = 0;        // sent - scheduled
  double output_tokens = 0;
  bool tokens_from_server = false;
  bool itl_apportioned = false;  // per-event counts were estimated from text length
  std::vector<double> itl_ms;    // per-token gaps
  std::vector<double> chunk_gap_ms;  // raw gaps between token-carrying events
  std::vector<double> timing_error_ms;  // arrival - server write time, when the server annotates
};

RequestMetrics compute_metrics(const RequestRecord& r);

}  // namespace llmux::bench
