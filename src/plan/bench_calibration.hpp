#pragma once
// `llmux plan --calibrate RESULT.json`: rescales the speed model with the
// user's own `llmux bench` results for the hardware they were measured on.
// Each run (closed-loop concurrency B) gives a decode step time (mean TPOT)
// at batch B and, at the lowest concurrency, a prefill time (p50 TTFT for the
// mean prompt). The modelled times are multiplied by the geometric mean of
// observed / modelled, and the band becomes the spread of those ratios.
#include <string>
#include <vector>

#include "core/error.hpp"
#include "plan/speed_model.hpp"

namespace llmux::plan {

struct BenchRun {
  int concurrency = 1;
  double tpot_ms = 0;         // mean time per output token
  double ttft_ms = 0;         // p50 time to first token
  double input_tokens = 0;    // mean prompt tokens
  double output_tokens = 0;   // mean output tokens
  double output_tokens_per_s = 0;
  int completed = 0;
};

struct BenchResult {
  std::string endpoint_model;
  std::string endpoint_url;
  bool simulated = false;
  std::string quant;  // weights the endpoint served, when its model name says (set by the caller); else empty
  std::vector<BenchRun> runs;
};

// Reads the JSON `llmux bench` writes (schema_version 1).
Result<BenchResult> parse_bench_result(const std::string& json_text, const std::string& path);

struct BenchCalibration {
  double decode_scale = 1;    // observed / modelled decode step time
  double prefill_scale = 1;   // observed / modelled prefill time
  double decode_band = 0;     // spread of the per-run ratios
  double prefill_band = 0;
  int decode_runs = 0;
  int prefill_runs = 0;
  std::string source;
  std::vector<std::string> notes;
};

// Compares each run with the model in `setup` (efficiency already applied).
Result<BenchCalibration> calibrate_from_bench(const BenchResult& bench, const SpeedSetup& setup, const std::string& path);

}  // namespace llmux::plan
