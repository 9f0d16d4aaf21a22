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

std::string correction_class(const std::string& backend, const std::string& segment) {
  if (backend != "cuda") return backend;
  return segment == "consumer" ? "GeForce" : "workstation and data-centre";
}

Efficiency EfficiencyTable::lookup(const std::string& engine, const std::string& backend,
                                   const std::string& device) const {
  Efficiency e = lookup(engine, backend);
  bool own = false;
  for (const auto& d : devices) {
    if (d.engine != engine || d.device != device) continue;
    e.decode_scale *= d.decode;
    e.prefill_scale *= d.prefill;
    own = d.decode_points > 0 || d.prefill_points > 0;
    char buf[160];
    std::snprintf(buf, sizeof buf, "; corrected for %s by its own %d decode and %d prefill measurements",
                  device.c_str(), d.decode_points, d.prefill_points);
    e.basis += buf;
  }
  if (own) return e;
  auto cls = std::find_if(device_classes.begin(), device_classes.end(), [&](const auto& p) { return p.first == device; });
  if (cls == device_classes.end()) return e;
  for (const auto& c : classes) {
    if (c.engine != engine || c.backend != backend || c.device_class != cls->second || c.devices == 0) continue;
    e.decode_scale *= c.decode;
    e.prefill_scale *= c.prefill;
    // The class's spread is what an unmeasured device's own correction could be: at least that wide a band.
    e.band_decode = std::max(e.band_decode, c.decode_spread);
    e.band_prefill = std::max(e.band_prefill, c.prefill_spread);
    char buf[200];
    std::snprintf(buf, sizeof buf, "; no measurements of %s: corrected like the %d measured %s cards", device.c_str(),
                  c.devices, c.device_class.c_str());
    e.basis += buf;
  }
  return e;
}

}  // namespace llmux::plan
