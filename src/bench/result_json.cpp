#include <cmath>
#include <nlohmann/json.hpp>

#include "bench/metrics.hpp"
#include "bench/result.hpp"

namespace llmux::bench {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

ordered_json summary_json(const Summary& s) {
  ordered_json o;
  o["count"] = s.count;
  o["mean"] = num(s.mean);
  o["min"] = num(s.min);
  o["max"] = num(s.max);
  o["stddev"] = num(s.stddev);
  o["p50"] = num(s.p50);
  o["p90"] = num(s.p90);
  o["p95"] = num(s.p95);
  o["p99"] = num(s.p99);
  o["p99_9"] = num(s.p999);
  return o;
}

ordered_json level_json(const LevelSummary& l) {
  ordered_json s;
  s["requests_measured"] = l.measured;
  s["requests_completed"] = l.completed;
  s["requests_failed"] = l.failed;
  s["errors"] = l.errors;
  s["error_samples"] = l.error_samples;
  s["wall_s"] = l.wall_s;
  s["request_throughput_per_s"] = l.request_throughput;
  s["output_tokens_per_s"] = l.output_throughput;
  s["input_tokens_per_s"] = l.input_throughput;
  s["goodput_per_s"] = l.goodput;
  s["good_requests"] = l.good_requests;
  s["ttft_ms"] = summary_json(l.ttft_ms);
  s["ttft_from_scheduled_ms"] = summary_json(l.ttft_sched_ms);
  s["ttfc_ms"] = summary_json(l.ttfc_ms);
  s["tpot_ms"] = summary_json(l.tpot_ms);
  s["itl_ms"] = summary_json(l.itl_ms);
  s["inter_chunk_ms"] = summary_json(l.chunk_gap_ms);
  s["e2e_ms"] = summary_json(l.e2e_ms);
  s["send_lag_ms"] = summary_json(l.send_lag_ms);
  s["input_tokens"] = summary_json(l.input_tokens);
  s["output_tokens"] = summary_json(l.output_tokens);
  if (l.timing_error_ms.count) s["timing_error_ms"] = summary_json(l.timing_error_ms);
  if (l.server_total_ms.count)
    s["server_timing"] = {{"load_ms", summary_json(l.server_load_ms)},
                          {"prompt_eval_ms", summary_json(l.server_prompt_eval_ms)},
                          {"eval_ms", summary_json(l.server_eval_ms)},
                          {"total_ms", summary_json(l.server_total_ms)},
                          {"eval_tokens_per_s", summary_json(l.server_eval_tokens_per_s)}};
  s["output_tokens_source"] = l.tokens_from_server ? "server" : "estimated";
  s["input_tokens_source"] = l.input_from_server ? "server" : "estimated";
  s["itl_apportioned"] = l.itl_apportioned;
  s["output_length_match"] = l.output_match;
  ordered_json slos = ordered_json::array();
  for (const auto& c : l.slos)
    slos.push_back({{"slo", c.slo.text}, {"metric", c.slo.metric}, {"percentile", c.slo.percentile},
                    {"threshold_ms", c.slo.threshold_ms}, {"value_ms", num(c.value)}, {"met", c.met}});
  s["slos"] = slos;
  s["slos_met"] = l.slos_met;
  ordered_json out;
  out["load"] = {{"mode", l.level.mode == LoadLevel::Mode::concurrency ? "concurrency" : "rate"},
                 {"value", l.level.value},
                 {"label", l.level.label()}};
  out["summary"] = s;
  return out;
}

ordered_json request_json(const RequestRecord& r, Nanos origin) {
  RequestMetrics m = compute_metrics(r);
  auto rel = [&](Nanos t) { return t ? json(to_ms(t - origin)) : json(nullptr); };
  ordered_json o;
  o["index"] = r.index;
  o["warmup"] = r.warmup;
  o["ok"] = r.ok();
  o["error"] = r.ok() ? json(nullptr) : json(std::string(to_string(r.error)));
  if (!r.ok()) o["error_message"] = r.error_message;
  o["http_status"] = r.http_status;
  o["scheduled_ms"] = rel(r.scheduled);
  o["sent_ms"] = rel(r.sent);
  o["headers_ms"] = rel(r.headers);
  o["first_token_ms"] = rel(r.first_token);
  o["first_content_ms"] = rel(r.first_content);
  o["last_token_ms"] = rel(r.last_token);
  o["done_ms"] = rel(r.done);
  o["ttft_ms"] = num(m.ttft_ms);
  o["tpot_ms"] = num(m.tpot_ms);
  o["e2e_ms"] = num(m.e2e_ms);
  o["input_tokens_planned"] = r.input_tokens_planned;
  o["output_tokens_planned"] = r.output_tokens_planned;
  o["prompt_tokens"] = r.usage.present() ? json(r.usage.prompt_tokens) : json(nullptr);
  o["completion_tokens"] = std::llround(m.output_tokens);  // a count: an integer in the JSON
  o["reasoning_tokens"] = r.usage.reasoning_tokens;
  o["tokens_source"] = m.tokens_from_server ? "server" : "estimated";
  o["finish_reason"] = std::string(api::to_string(r.finish));
  if (const auto& t = r.usage.timing; t.present())
    o["server_timing"] = {{"load_ms", t.load_ns / 1e6}, {"prompt_eval_ms", t.prompt_eval_ns / 1e6},
                          {"eval_ms", t.eval_ns / 1e6}, {"total_ms", t.total_ns / 1e6}};
  o["events"] = r.events.size();
  return o;
}

}  // namespace

std::string to_json(const BenchResult& r, bool per_request) {
  ordered_json o;
  o["schema_version"] = kSchemaVersion;
  o["tool"] = "llmux bench";
  o["tool_version"] = r.tool_version;
  o["started_at"] = r.started_at;
  o["command"] = r.command;
  o["endpoint"] = {{"url", r.endpoint.url},
                   {"model", r.endpoint.model},
                   {"dialect", r.endpoint.dialect},
                   {"api_key_env", r.endpoint.api_key_env},
                   {"simulated", r.endpoint.simulated},
                   {"simulated_profile", r.endpoint.simulated_profile}};
  o["workload"] = {{"description", r.workload},
                   {"tokens_per_word", r.tokens_per_word},
                   {"input_calibrated", r.input_calibrated}};
  o["options"] = {{"requests_per_level", r.run.requests},
                  {"duration_s", to_seconds(r.run.duration)},
                  {"warmup_requests", r.run.warmup},
                  {"arrivals", r.run.poisson ? "poisson" : "constant"},
                  {"max_inflight", r.run.max_inflight},
                  {"threads", r.run.threads},
                  {"stream", r.run.stream},
                  {"ignore_eos", r.run.ignore_eos},
                  {"request_timeout_s", to_seconds(r.run.client.total_timeout)}};
  ordered_json slos = ordered_json::array();
  for (const auto& s : r.slos) slos.push_back(s.text);
  o["slos"] = slos;
  ordered_json runs = ordered_json::array();
  for (std::size_t i = 0; i < r.levels.size(); ++i) {
    ordered_json level = level_json(r.levels[i]);
    if (per_request && i < r.runs.size()) {
      ordered_json reqs = ordered_json::array();
      for (const auto& rec : r.runs[i].records) reqs.push_back(request_json(rec, r.runs[i].started));
      level["requests"] = reqs;
    }
    runs.push_back(level);
  }
  o["runs"] = runs;
  if (r.search) {
    ordered_json probes = ordered_json::array();
    for (auto& [load, met] : r.search->probes) probes.push_back({{"load", load}, {"met", met}});
    o["search"] = {{"mode", r.search->mode}, {"found", r.search->found}, {"best", r.search->best}, {"probes", probes}};
    if (r.search->capped_at > 0) o["search"]["capped_at"] = r.search->capped_at;
  }
  o["notes"] = r.notes;
  return o.dump(2) + "\n";
}

}  // namespace llmux::bench
