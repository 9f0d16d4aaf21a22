#pragma once
// A load level's results: every metric's distribution over the measured
// (non-warm-up) requests, throughput over the level's wall time, errors by kind,
// and the SLO verdicts with goodput.
#include <map>
#include <string>
#include <vector>

#include "bench/runner.hpp"
#include "bench/slo.hpp"
#include "bench/stats.hpp"

namespace llmux::bench {

struct SloCheck {
  Slo slo;
  double value = 0;  // the level's percentile of the metric
  bool met = false;
};

struct LevelSummary {
  LoadLevel level;
  std::int64_t measured = 0, completed = 0, failed = 0;
  std::map<std::string, std::int64_t> errors;  // kind -> count
  std::vector<std::string> error_samples;      // first messages of each kind
  Summary ttft_ms, ttft_sched_ms, ttfc_ms, tpot_ms, itl_ms, chunk_gap_ms, e2e_ms, send_lag_ms;
  Summary input_tokens, output_tokens, timing_error_ms;
  // The server's own timing where it reports it (Ollama's durations, llama.cpp's timings),
  // beside the client's figures: model load, prefill, decode, whole request, decode rate.
  Summary server_load_ms, server_prompt_eval_ms, server_eval_ms, server_total_ms, server_eval_tokens_per_s;
  double wall_s = 0;
  double request_throughput = 0;   // completed / wall
  double output_throughput = 0;    // output tokens / wall
  double input_throughput = 0;
  double goodput = 0;              // requests meeting every SLO / wall
  std::int64_t good_requests = 0;
  bool tokens_from_server = true;  // every completed request's output count came from the server
  bool input_from_server = true;
  bool itl_apportioned = false;    // some per-event counts were apportioned by text length
  double output_match = 0;         // share of completed requests that got exactly max_tokens
  std::vector<SloCheck> slos;
  bool slos_met = true;
};

LevelSummary summarize_level(const LevelRun& run, const std::vector<Slo>& slos);

}  // namespace llmux::bench
