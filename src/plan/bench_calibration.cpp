#include "plan/bench_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace llmux::plan {

namespace {

using json = nlohmann::json;

double number_at(const json& j, std::initializer_list<const char*> path, double fallback = 0) {
  const json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object()) return fallback;
    auto it = cur->find(k);
    if (it == cur->end()) return fallback;
    cur = &*it;
  }
  return cur->is_number() ? cur->get<double>() : fallback;
}

Result<BenchRun> parse_run(const json& r, std::size_t i, const std::string& path) {
  BenchRun run;
  const json& load = r.value("load", json::object());
  std::string mode = load.value("mode", std::string("concurrency"));
  if (mode != "concurrency")
    return fail(ErrorCode::parse, "run " + std::to_string(i) + " used load mode '" + mode +
                                      "'; calibration needs closed-loop runs (bench --concurrency N)", path);
  run.concurrency = static_cast<int>(number_at(load, {"value"}, 1));
  const json& s = r.value("summary", json::object());
  run.tpot_ms = number_at(s, {"tpot_ms", "mean"}, number_at(s, {"tpot_ms", "p50"}));
  run.ttft_ms = number_at(s, {"ttft_ms", "p50"}, number_at(s, {"ttft_ms", "mean"}));
  run.input_tokens = number_at(s, {"input_tokens", "mean"});
  run.output_tokens = number_at(s, {"output_tokens", "mean"});
  run.output_tokens_per_s = number_at(s, {"output_tokens_per_s"});
  run.completed = static_cast<int>(number_at(s, {"requests_completed"}));
  if (run.concurrency < 1 || run.tpot_ms <= 0 || run.ttft_ms <= 0 || run.input_tokens <= 0)
    return fail(ErrorCode::parse, "run " + std::to_string(i) + " lacks load.value, summary.tpot_ms, summary.ttft_ms or summary.input_tokens.mean", path);
  return run;
}

double geomean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += std::log(x);
  return std::exp(s / static_cast<double>(v.size()));
}

double spread(const std::vector<double>& ratios, double center) {
  double worst = 0;
  for (double r : ratios) worst = std::max(worst, std::fabs(r / center - 1));
  return std::max(0.05, worst);
}

}  // namespace

Result<BenchResult> parse_bench_result(const std::string& text, const std::string& path) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(ErrorCode::parse, "not a JSON object", path);
  if (j.value("tool", std::string()) != "llmux bench")
    return fail(ErrorCode::parse, "not an `llmux bench` result (tool is not \"llmux bench\")", path);
  if (number_at(j, {"schema_version"}) != 1)
    return fail(ErrorCode::parse, "unsupported bench result schema_version (expected 1)", path);
  BenchResult b;
  const json& ep = j.value("endpoint", json::object());
  b.endpoint_model = ep.value("model", std::string());
  b.endpoint_url = ep.value("url", std::string());
  b.simulated = ep.value("simulated", false);
  const json& runs = j.value("runs", json::array());
  if (!runs.is_array() || runs.empty()) return fail(ErrorCode::parse, "the result has no runs", path);
  for (std::size_t i = 0; i < runs.size() && i < 1000; ++i) {
    auto run = parse_run(runs[i], i, path);
    if (!run) return tl::unexpected(run.error());
    if (run->completed > 0 || run->output_tokens_per_s > 0) b.runs.push_back(*run);
  }
  if (b.runs.empty()) return fail(ErrorCode::parse, "no run completed any request", path);
  return b;
}

Result<BenchCalibration> calibrate_from_bench(const BenchResult& bench, const SpeedSetup& setup, const std::string& path) {
  BenchCalibration c;
  c.source = path;
  std::vector<double> dec;
  const BenchRun* lowest = &bench.runs.front();
  for (const auto& r : bench.runs) {
    double ctx = r.input_tokens + r.output_tokens / 2;
    double modelled = decode_step_seconds(setup, r.concurrency, ctx) * 1000.0;
    dec.push_back(r.tpot_ms / modelled);
    if (r.concurrency < lowest->concurrency) lowest = &r;
  }
  c.decode_scale = geomean(dec);
  c.decode_band = spread(dec, c.decode_scale);
  c.decode_runs = static_cast<int>(dec.size());
  double modelled_ttft = prefill_seconds(setup, static_cast<int>(std::lround(lowest->input_tokens))) * 1000.0;
  c.prefill_scale = lowest->ttft_ms / modelled_ttft;
  c.prefill_band = 0.15;  // one prefill observation; TTFT also holds network and queueing time
  c.prefill_runs = 1;
  if (lowest->concurrency > 1) c.notes.push_back("no concurrency-1 run: prefill calibrated from a loaded run (TTFT includes queueing)");
  if (bench.simulated) c.notes.push_back("the bench result comes from a simulated endpoint: calibrating against it reproduces the simulator's own model");
  if (c.decode_scale > 3 || c.decode_scale < 0.33)
    c.notes.push_back("measured decode differs from the model by more than 3x: check that --model/--quant/--gpu match what was benchmarked");
  return c;
}

}  // namespace llmux::plan
