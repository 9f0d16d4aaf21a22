#include "plan/efficiency.hpp"

#include <algorithm>
#include <cstdio>

namespace llmux::plan {

Efficiency efficiency_from_prior(const catalog::EfficiencyPrior& p) {
  Efficiency e;
  e.engine = p.engine;
  e.backend = p.backend;
  e.eta_mem = p.eta_mem;
  e.layer_overhead_s = p.layer_overhead_us * 1e-6;
  e.eta_prefill = p.eta_prefill;
  e.quant_prefill = p.quant_prefill;
  e.eta_decode_compute = p.eta_decode_compute;
  e.band_decode = p.band;
  e.band_prefill = p.band;
  e.basis = "prior from data/calibration.toml (no measurements for " + p.engine + " on " + p.backend + ")";
  return e;
}

Efficiency EfficiencyTable::lookup(const std::string& engine, const std::string& backend) const {
  for (const auto& g : groups)
    if (g.engine == engine && g.backend == backend) return g;
  for (const auto& g : groups)
    if (g.engine == engine && g.backend == "cuda") {
      Efficiency e = g;
      e.backend = backend;
      e.band_decode = std::max(e.band_decode, 0.4);
      e.band_prefill = std::max(e.band_prefill, 0.4);
      e.basis = "no calibration for " + engine + " on " + backend + "; using the CUDA factors with a wider band";
      return e;
    }
  Efficiency e;
  e.engine = engine;
  e.backend = backend;
  e.band_decode = e.band_prefill = 0.5;
  e.basis = "no calibration data at all; generic defaults with a wide band";
  return e;
}

}  // namespace llmux::plan

namespace llmux::plan {

Efficiency EfficiencyTable::lookup(const std::string& engine, const std::string& backend,
                                   const std::string& device) const {
  Efficiency e = lookup(engine, backend);
  for (const auto& d : devices) {
    if (d.engine != engine || d.device != device) continue;
    e.decode_scale *= d.decode;
    e.prefill_scale *= d.prefill;
    char buf[160];
    std::snprintf(buf, sizeof buf, "; corrected for %s by its own %d decode and %d prefill measurements",
                  device.c_str(), d.decode_points, d.prefill_points);
    e.basis += buf;
  }
  return e;
}

}  // namespace llmux::plan
