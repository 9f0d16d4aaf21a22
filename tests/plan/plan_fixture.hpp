#pragma once
// Shared setup for plan tests: the bundled catalog, the fitted efficiency
// table, and a request builder with the flags' defaults.
#include <stdexcept>
#include <string>

#include "catalog/catalog.hpp"
#include "catalog/quant_scheme.hpp"
#include "plan/efficiency_fit.hpp"
#include "plan/plan.hpp"

namespace llmux::plan::test {

inline const catalog::Catalog& cat() {
  static const catalog::Catalog c = [] {
    auto r = catalog::load_catalog({std::string(LLMUX_SOURCE_DIR) + "/data"});
    if (!r) throw std::runtime_error(r.error().describe());
    return *r;
  }();
  return c;
}

inline const FitResult& fit() {
  static const FitResult f = [] {
    auto r = fit_efficiencies(cat());
    if (!r) throw std::runtime_error(r.error().describe());
    return *r;
  }();
  return f;
}

inline PlanRequest request(const std::string& model, const std::string& quant, const std::string& gpu, int gpus = 1,
                           int ctx = 4096, int concurrency = 1, Engine engine = Engine::llama_cpp) {
  PlanRequest r;
  r.model = catalog::LoadedModel{**cat().model(model), {}, "", "catalog", {}};
  if (quant.empty()) r.quants = usual_quants(engine, r.model.spec);
  else r.quants = {*catalog::find_quant(quant)};
  r.quant_given = !quant.empty();
  r.engine = engine;
  r.device = *cat().device(gpu);
  r.gpus = gpus;
  r.host = *cat().device(r.device->kind == catalog::DeviceKind::gpu ? "desktop-ddr5" : gpu);
  r.host_ram_gib = r.host->memory_gib;
  r.ctx = ctx;
  r.concurrency = concurrency;
  r.kv = *parse_kv_cache_type(engine == Engine::vllm ? "auto" : "f16", engine);
  r.efficiency = fit().table;
  return r;
}

}  // namespace llmux::plan::test
