#include "plan/sim_timing.hpp"

#include "catalog/quant_scheme.hpp"
#include "catalog/try.hpp"
#include "plan/configuration.hpp"
#include "plan/efficiency_fit.hpp"
#include "plan/plan.hpp"

namespace llmux::plan {

namespace {

Result<ConfigInputs> inputs_for(const catalog::Catalog& c, const SimTimingRequest& req, const EfficiencyTable& table) {
  ConfigInputs in;
  LLMUX_TRY_ASSIGN(in.model, c.model(req.model));
  LLMUX_TRY_ASSIGN(in.device, c.device(req.gpu));
  LLMUX_TRY_ASSIGN(in.quant, catalog::find_quant(req.quant));
  LLMUX_TRY_ASSIGN(in.engine, parse_engine(req.engine));
  LLMUX_TRY_VOID(engine_supports(in.engine, *in.device));
  if (req.gpus < 1) return fail(ErrorCode::usage, "gpus must be at least 1");
  if (req.ctx < 1 || req.ctx > in.model->max_context)
    return fail(ErrorCode::usage, "ctx must be between 1 and " + std::to_string(in.model->max_context) + " for " + in.model->id);
  // Layers that do not fit run on the CPU the plan would pair with this GPU, at its speed.
  LLMUX_TRY_ASSIGN(in.host, c.device(default_host_id(*in.device)));
  in.host_ram_gib = in.host->memory_gib;
  in.gpus = req.gpus;
  in.ctx = req.ctx;
  in.flash_attention = in.engine != Engine::ollama;
  in.kv = *parse_kv_cache_type(in.engine == Engine::vllm ? "auto" : "f16", in.engine);
  in.accel = table.lookup(std::string(calibration_engine(in.engine)), in.device->backend, in.device->id);
  in.cpu = table.lookup("llama.cpp", "cpu");
  return in;
}

// Largest slot count whose KV cache still fits (llama.cpp sizes it up front).
int max_slots(ConfigInputs in) {
  int lo = 1, hi = 1;
  auto fits = [&](int slots) {
    in.slots = slots;
    auto c = configure(in);
    return c && c->memory.fits && !c->memory.offloaded;
  };
  if (!fits(1)) return 1;
  while (hi < 4096 && fits(hi * 2)) hi *= 2;
  lo = hi, hi = std::min(hi * 2, 4096);
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

}  // namespace

Result<SimTiming> sim_timing(const catalog::Catalog& c, const SimTimingRequest& req) {
  FitResult fit;
  LLMUX_TRY_ASSIGN(fit, fit_efficiencies(c));
  ConfigInputs in;
  LLMUX_TRY_ASSIGN(in, inputs_for(c, req, fit.table));
  Configuration cfg;
  LLMUX_TRY_ASSIGN(cfg, configure(in));
  SimTiming t;
  t.setup = cfg.speed;
  t.fits = cfg.memory.fits;
  t.offloaded = cfg.memory.offloaded;
  t.max_batch = in.engine == Engine::vllm ? std::max(1, static_cast<int>(cfg.memory.kv_tokens / req.ctx)) : max_slots(in);
  t.band_decode = decode_band(cfg.speed);
  t.band_prefill = prefill_band(cfg.speed);
  t.description = in.model->id + " " + in.quant.name + " on " + std::to_string(in.gpus) + " x " + in.device->id + " (" +
                  std::string(to_string(in.engine)) + ")" +
                  (t.offloaded ? ", not fitting in GPU memory: some layers run on the " + in.host->name : "");
  return t;
}

}  // namespace llmux::plan
