#include "cli/compare_plan.hpp"

#include "catalog/try.hpp"
#include "cli/model_input.hpp"
#include "plan/efficiency_fit.hpp"
#include "plan/hardware_detect.hpp"

namespace llmux::cli {

namespace {

Result<void> resolve_hardware(const catalog::Catalog& cat, const ComparePlanSpec& s, plan::PlanRequest& req) {
  if (s.gpu == "auto") {
    plan::Detection d;
    LLMUX_TRY_ASSIGN(d, plan::detect_hardware(cat));
    req.device = d.device;
    req.gpus = s.gpus > 0 ? s.gpus : d.count;
    req.memory_gib = d.memory_gib;
    req.reserve_gib = d.reserve_gib;
    req.detected = d.summary;
    req.cpu_compute_share = d.compute_share;
  } else {
    LLMUX_TRY_ASSIGN(req.device, cat.device(s.gpu));
    req.gpus = s.gpus > 0 ? s.gpus : 1;
  }
  LLMUX_TRY_ASSIGN(req.host, cat.device(plan::default_host_id(*req.device)));
  req.host_ram_gib = req.host->memory_gib;
  return {};
}

Result<void> resolve_model(const catalog::Catalog& cat, const ComparePlanSpec& s, plan::PlanRequest& req) {
  if (s.loaded) req.model = *s.loaded;
  else LLMUX_TRY_ASSIGN(req.model, load_model(ModelSource{s.model, "", ""}, cat));
  LLMUX_TRY_ASSIGN(req.engine, plan::parse_engine(s.engine));
  LLMUX_TRY_ASSIGN(req.kv, plan::parse_kv_cache_type(req.engine == plan::Engine::vllm ? "auto" : "f16", req.engine));
  LLMUX_TRY_ASSIGN(req.quants, pick_quants(req.model, req.engine, s.quant));
  req.quant_given = !s.quant.empty() || req.model.quant_fixed;
  return {};
}

}  // namespace

Result<plan::PlanResult> run_compare_plan(const catalog::Catalog& cat, const ComparePlanSpec& s) {
  plan::PlanRequest req;
  LLMUX_TRY_VOID(resolve_model(cat, s, req));
  LLMUX_TRY_VOID(resolve_hardware(cat, s, req));
  req.concurrency = s.concurrency;
  req.workload = s.workload;
  req.privacy = s.privacy;
  for (const auto& id : s.price_ids) {
    const catalog::CloudPrice* p = nullptr;
    LLMUX_TRY_ASSIGN(p, cat.price(id));
    req.compare.push_back(p);
  }
  if (!s.calibrate_json.empty()) {
    plan::BenchResult b;
    LLMUX_TRY_ASSIGN(b, plan::parse_bench_result(s.calibrate_json, s.calibrate_path));
    req.bench = b;
    req.bench_path = s.calibrate_path;
  }
  plan::FitResult fit;
  LLMUX_TRY_ASSIGN(fit, plan::fit_efficiencies(cat));
  req.efficiency = std::move(fit.table);
  return plan::make_plan(req);
}

}  // namespace llmux::cli
