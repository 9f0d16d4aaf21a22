#include "bench/summary.hpp"

#include <algorithm>
#include <cmath>

#include "bench/metrics.hpp"

namespace llmux::bench {

namespace {

struct Samples {
  std::vector<double> ttft, ttft_sched, ttfc, tpot, itl, gaps, e2e, lag, in, out, terr;
  std::vector<double> load, prompt_eval, eval, total, eval_rate;  // server-reported timing
};

void collect_server_timing(const api::ServerTiming& t, std::int64_t completion_tokens, Samples& s) {
  if (!t.present()) return;
  s.load.push_back(static_cast<double>(t.load_ns) / 1e6);
  s.prompt_eval.push_back(static_cast<double>(t.prompt_eval_ns) / 1e6);
  s.eval.push_back(static_cast<double>(t.eval_ns) / 1e6);
  s.total.push_back(static_cast<double>(t.total_ns) / 1e6);
  if (t.eval_ns > 0) s.eval_rate.push_back(static_cast<double>(completion_tokens) * 1e9 / static_cast<double>(t.eval_ns));
}

void push_finite(std::vector<double>& v, double x) {
  if (std::isfinite(x)) v.push_back(x);
}

void collect(const RequestRecord& r, const RequestMetrics& m, Samples& s, LevelSummary& out) {
  push_finite(s.lag, m.send_lag_ms);
  if (!m.ok) return;
  push_finite(s.ttft, m.ttft_ms);
  push_finite(s.ttft_sched, m.ttft_sched_ms);
  push_finite(s.ttfc, m.ttfc_ms);
  push_finite(s.tpot, m.tpot_ms);
  push_finite(s.e2e, m.e2e_ms);
  s.itl.insert(s.itl.end(), m.itl_ms.begin(), m.itl_ms.end());
  s.gaps.insert(s.gaps.end(), m.chunk_gap_ms.begin(), m.chunk_gap_ms.end());
  s.terr.insert(s.terr.end(), m.timing_error_ms.begin(), m.timing_error_ms.end());
  s.out.push_back(m.output_tokens);
  collect_server_timing(r.usage.timing, r.usage.completion_tokens, s);
  bool server_input = r.usage.present() && r.usage.prompt_tokens > 0;
  s.in.push_back(static_cast<double>(server_input ? r.usage.prompt_tokens : r.input_tokens_planned));
  out.input_from_server &= server_input;
  out.tokens_from_server &= m.tokens_from_server;
  out.itl_apportioned |= m.itl_apportioned;
}

}  // namespace

LevelSummary summarize_level(const LevelRun& run, const std::vector<Slo>& slos) {
  LevelSummary out;
  out.level = run.level;
  Samples s;
  Nanos first_sent = 0, last_done = 0;
  bool any = false;
  std::int64_t matched = 0;
  std::vector<RequestMetrics> ok_metrics;
  for (const auto& r : run.records) {
    if (r.warmup) continue;
    ++out.measured;
    if (!any || r.sent < first_sent) first_sent = r.sent;
    any = true;
    last_done = std::max(last_done, r.done);
    RequestMetrics m = compute_metrics(r);
    collect(r, m, s, out);
    if (!r.ok()) {
      ++out.failed;
      std::string kind(to_string(r.error));
      if (out.errors[kind]++ == 0 && out.error_samples.size() < 8) out.error_samples.push_back(kind + ": " + r.error_message);
      continue;
    }
    ++out.completed;
    if (std::llround(m.output_tokens) == r.output_tokens_planned) ++matched;
    if (request_meets(m, slos)) ++out.good_requests;
    ok_metrics.push_back(std::move(m));
  }
  if (out.completed == 0) out.tokens_from_server = out.input_from_server = false;
  out.output_match = out.completed ? static_cast<double>(matched) / static_cast<double>(out.completed) : 0;
  out.wall_s = last_done > first_sent ? to_seconds(last_done - first_sent) : 0;
  double out_sum = 0, in_sum = 0;
  for (double v : s.out) out_sum += v;
  for (double v : s.in) in_sum += v;
  if (out.wall_s > 0) {
    out.request_throughput = static_cast<double>(out.completed) / out.wall_s;
    out.output_throughput = out_sum / out.wall_s;
    out.input_throughput = in_sum / out.wall_s;
    out.goodput = static_cast<double>(slos.empty() ? out.completed : out.good_requests) / out.wall_s;
  }
  if (slos.empty()) out.good_requests = out.completed;
  // Level verdicts use the same pooled samples the summaries show.
  for (const auto& slo : slos) {
    std::vector<double>* v = slo.metric == "ttft"   ? &s.ttft
                             : slo.metric == "ttfc" ? &s.ttfc
                             : slo.metric == "tpot" ? &s.tpot
                             : slo.metric == "itl"  ? &s.itl
                                                    : &s.e2e;
    std::vector<double> sorted = *v;
    // A failed request never met a latency target: it counts as infinitely slow.
    if (slo.metric != "itl") sorted.insert(sorted.end(), static_cast<std::size_t>(out.failed), INFINITY);
    std::sort(sorted.begin(), sorted.end());
    SloCheck c{slo, percentile_sorted(sorted, slo.percentile), false};
    c.met = out.completed > 0 && c.value < slo.threshold_ms;
    out.slos_met &= c.met;
    out.slos.push_back(c);
  }
  out.ttft_ms = summarize(s.ttft);
  out.ttft_sched_ms = summarize(s.ttft_sched);
  out.ttfc_ms = summarize(s.ttfc);
  out.tpot_ms = summarize(s.tpot);
  out.itl_ms = summarize(s.itl);
  out.chunk_gap_ms = summarize(s.gaps);
  out.e2e_ms = summarize(s.e2e);
  out.send_lag_ms = summarize(s.lag);
  out.input_tokens = summarize(s.in);
  out.output_tokens = summarize(s.out);
  out.timing_error_ms = summarize(s.terr);
  out.server_load_ms = summarize(s.load);
  out.server_prompt_eval_ms = summarize(s.prompt_eval);
  out.server_eval_ms = summarize(s.eval);
  out.server_total_ms = summarize(s.total);
  out.server_eval_tokens_per_s = summarize(s.eval_rate);
  return out;
}

}  // namespace llmux::bench
