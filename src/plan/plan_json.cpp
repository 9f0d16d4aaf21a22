// `llmux plan --format json`: one object, schema in docs/plan.md.
#include <nlohmann/json.hpp>

#include "plan/plan_render.hpp"

namespace llmux::plan {

namespace {

using json = nlohmann::ordered_json;

json model_json(const PlanResult& p) {
  const auto& m = p.model;
  return {{"id", m.id}, {"name", m.name}, {"arch", m.arch}, {"origin", p.model_origin.empty() ? "catalog" : p.model_origin},
          {"params_total", m.params_total}, {"params_active", m.params_active}, {"layers", m.layers},
          {"hidden_size", m.hidden_size}, {"attention_heads", m.attention_heads}, {"kv_heads", m.kv_heads},
          {"head_dim", m.head_dim}, {"experts_total", m.experts_total}, {"experts_active", m.experts_active},
          {"max_context", m.max_context}, {"sliding_window", m.sliding_window}, {"kv_lora_rank", m.kv_lora_rank},
          {"source", m.source}, {"date", m.date}};
}

json hardware_json(const PlanResult& p) {
  const auto& d = *p.device;
  json dev = {{"id", d.id}, {"name", d.name}, {"kind", std::string(catalog::to_string(d.kind))}, {"backend", d.backend},
              {"memory_gib", d.memory_gib}, {"bandwidth_gbs", d.bandwidth_gbs}, {"fp16_tflops", d.fp16_tflops},
              {"power_watts", d.power_watts}, {"price_usd", d.price_usd}, {"source", d.source}, {"date", d.date}};
  return {{"device", dev}, {"gpus", p.gpus}, {"host", p.host ? p.host->id : ""}, {"engine", std::string(to_string(p.engine))},
          {"detected", p.detected.empty() ? json(nullptr) : json(p.detected)}};
}

json device_usage_json(const DeviceUsage& d) {
  return {{"label", d.label}, {"host", d.host}, {"layers", d.layers}, {"weights_bytes", d.weights}, {"kv_cache_bytes", d.kv},
          {"compute_bytes", d.compute}, {"overhead_bytes", d.overhead}, {"used_bytes", d.used()},
          {"free_bytes", d.free}, {"capacity_bytes", d.capacity}, {"fits", d.fits()}};
}

json memory_json(const MemoryPlan& m) {
  json devices = json::array();
  for (const auto& d : m.devices) devices.push_back(device_usage_json(d));
  return {{"fits", m.fits}, {"offloaded", m.offloaded}, {"gpu_layers", m.gpu_layers}, {"layers", m.layers},
          {"headroom_bytes", m.headroom}, {"gpu_shortfall_bytes", m.gpu_shortfall}, {"kv_bytes_per_token", m.kv_bytes_per_token},
          {"kv_tokens", m.kv_tokens}, {"max_sequences", m.max_sequences}, {"devices", devices}};
}

json speed_json(const SpeedEstimate& s) {
  return {{"ttft_s", s.ttft_s}, {"ttft_range_s", {s.ttft_lo, s.ttft_hi}}, {"prefill_tokens_per_s", s.prefill_tps},
          {"decode_tokens_per_s_per_user", s.user_tps}, {"decode_per_user_range", {s.user_lo, s.user_hi}},
          {"output_tokens_per_s_total", s.total_tps}, {"output_total_range", {s.total_lo, s.total_hi}},
          {"single_user_tokens_per_s", s.single_tps}, {"decode_step_s", s.step_s},
          {"capacity_requests_per_day", s.capacity_rps * 86400}, {"error_band", {{"decode", s.band_decode}, {"prefill", s.band_prefill}}}};
}

json input_json(const CostInput& c) { return {{"value", c.value}, {"basis", c.basis}}; }

json cost_json(const LocalCost& c) {
  return {{"inputs", {{"hardware_price_usd", input_json(c.hardware_price)}, {"amortize_months", input_json(c.amortize_months)},
                      {"power_watts", input_json(c.power_watts)}, {"kwh_price_usd", input_json(c.kwh_price)},
                      {"pue", input_json(c.pue)}, {"utilization", input_json(c.utilization)},
                      {"ops_per_month_usd", input_json(c.ops_per_month)}, {"idle_fraction", c.idle_fraction}}},
          {"monthly_hardware_usd", c.monthly_hardware}, {"monthly_energy_usd", c.monthly_energy},
          {"monthly_ops_usd", c.monthly_ops}, {"monthly_total_usd", c.monthly_total}, {"tokens_per_month", c.tokens_per_month},
          {"per_million_tokens_usd", c.per_million}, {"capacity_requests_per_day", c.capacity_requests_per_day},
          {"keeps_up", c.keeps_up}, {"energy_per_request_usd", c.energy_per_request}};
}

json options_json(const PlanResult& p) {
  json out = json::array();
  for (std::size_t i = 0; i < p.options.size(); ++i) {
    const auto& o = p.options[i];
    out.push_back({{"quant", o.config.quant.name}, {"chosen", i == p.primary}, {"verdict", o.verdict},
                   {"weights_bytes", o.config.weights.file_bytes()}, {"bits_per_weight", o.config.weights.bits_per_weight()},
                   {"dtype_mix", o.config.weights.dtype_mix}, {"memory", memory_json(o.config.memory)},
                   {"speed", speed_json(o.speed)}, {"cost", cost_json(o.cost)}});
    if (!o.config.memory.fits) {  // nothing runs: no speed, and no price per token to quote
      out.back()["speed"] = nullptr;
      out.back()["cost"]["per_million_tokens_usd"] = nullptr;
      out.back()["cost"]["energy_per_request_usd"] = nullptr;
    }
  }
  return out;
}

json cloud_json(const PlanResult& p) {
  json out = json::array();
  for (std::size_t i = 0; i < p.cloud.size(); ++i) {
    const auto& c = p.cloud[i];
    const auto& b = p.break_even[i];
    out.push_back({{"id", c.id}, {"name", c.name}, {"provider", c.provider}, {"price_date", c.date}, {"price_source", c.source},
                   {"per_request_usd", c.per_request}, {"monthly_usd", c.monthly}, {"per_million_tokens_usd", c.per_million},
                   {"context_ok", c.context_ok}, {"qualifies", p.privacy != Privacy::local_only && c.context_ok},
                   {"break_even", {{"exists", b.exists}, {"requests_per_day", b.requests_per_day},
                                   {"tokens_per_month", b.tokens_per_month}, {"within_capacity", b.within_capacity}, {"applies", b.applies},
                                   {"never_reason", b.exists ? json(nullptr) : json(b.never)},
                                   {"local_per_request_at_capacity_usd", b.local_per_request_at_capacity}}}});
  }
  return out;
}

json efficiency_json(const Efficiency& e) {
  return {{"engine", e.engine}, {"backend", e.backend}, {"eta_mem", e.eta_mem}, {"layer_overhead_us", e.layer_overhead_s * 1e6},
          {"eta_prefill", e.eta_prefill}, {"quant_prefill", e.quant_prefill}, {"eta_decode_compute", e.eta_decode_compute},
          {"decode_scale", e.decode_scale}, {"prefill_scale", e.prefill_scale}, {"basis", e.basis}};
}

json calibration_json(const PlanResult& p) {
  if (!p.calibration) return nullptr;
  const auto& c = *p.calibration;
  return {{"source", c.source}, {"decode_scale", c.decode_scale}, {"prefill_scale", c.prefill_scale},
          {"decode_band", c.decode_band}, {"prefill_band", c.prefill_band}, {"runs", c.decode_runs}, {"notes", c.notes}};
}

json advice_json(const PlanResult& p) {
  json alts = json::array();
  for (const auto& a : p.alternatives) alts.push_back({{"kind", a.kind}, {"text", a.text}});
  return {{"alternatives", alts},
          {"recommendation", {{"choice", p.recommendation.choice}, {"local", p.recommendation.local},
                              {"reasons", p.recommendation.reasons}}}};
}

}  // namespace

std::string render_json(const PlanResult& p) {
  json j;
  j["schema_version"] = kPlanSchemaVersion;
  j["tool"] = "llmux plan";
  j["model"] = model_json(p);
  j["hardware"] = hardware_json(p);
  j["settings"] = {{"ctx", p.ctx}, {"concurrency", p.concurrency}, {"kv_cache", p.kv.name},
                   {"flash_attention", p.flash_attention}, {"privacy", p.privacy == Privacy::local_only ? "local-only" : "any"}};
  j["workload"] = {{"input_tokens", p.workload.input_tokens}, {"output_tokens", p.workload.output_tokens},
                   {"requests_per_day", p.workload.requests_per_day}, {"cached_fraction", p.workload.cached_fraction},
                   {"given", p.workload.given}, {"tokens_per_month", p.workload.tokens_per_month()}};
  j["options"] = options_json(p);
  j["primary"] = p.chosen().config.quant.name;
  j["primary_reason"] = p.primary_reason;
  j["engine_command"] = p.chosen().config.memory.fits ? json(engine_command(p)) : json(nullptr);
  j["efficiency"] = efficiency_json(p.efficiency);
  j["calibration"] = calibration_json(p);
  j["cloud"] = cloud_json(p);
  json advice = advice_json(p);
  j["alternatives"] = advice["alternatives"];
  j["recommendation"] = advice["recommendation"];
  j["assumptions"] = p.assumptions;
  j["notes"] = p.notes;
  j["warnings"] = p.warnings;
  return j.dump(2) + "\n";
}

}  // namespace llmux::plan
