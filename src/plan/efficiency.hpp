#pragma once
// Efficiency factors of the speed model for one (engine, backend) group:
// what fraction of spec bandwidth and FLOPs an engine reaches, and its fixed
// per-layer cost. They are data: priors in data/calibration.toml, fitted to
// the published measurements there (efficiency_fit.cpp), and rescaled by the
// user's own bench results (`llmux plan --calibrate`).
#include <string>
#include <vector>

#include "catalog/calibration_spec.hpp"

namespace llmux::plan {

struct Efficiency {
  std::string engine;
  std::string backend;
  double eta_mem = 0.8;
  double layer_overhead_s = 50e-6;
  double eta_prefill = 0.5;
  double quant_prefill = 0.8;
  double eta_decode_compute = 0.5;
  double band_decode = 0.3;   // relative error band (one side), from the fit's residuals
  double band_prefill = 0.3;
  int decode_points = 0;      // measurements the factors were fitted to
  int prefill_points = 0;
  double decode_scale = 1;    // user calibration: multiply modelled decode times
  double prefill_scale = 1;
  std::string basis;          // one line: where the numbers come from
};

Efficiency efficiency_from_prior(const catalog::EfficiencyPrior& p);

// A device's own published measurements, as multipliers on the group's
// modelled times (shrunk toward 1 when there are few: factor^(n/(n+0.5))).
struct DeviceCorrection {
  std::string engine;
  std::string device;
  double decode = 1, prefill = 1;
  int decode_points = 0, prefill_points = 0;
};

// What the measured devices of one class need, for the devices of that class that
// have no measurements: the median of their corrections. The classes part devices
// whose catalog FLOPs mean different things: GeForce cards list the half-rate
// FP32-accumulate figure, workstation and data-centre cards the full rate, and
// llama.cpp's prefill reaches a very different share of each.
struct ClassCorrection {
  std::string engine, backend, device_class;
  double decode = 1, prefill = 1;
  double decode_spread = 0, prefill_spread = 0;  // largest relative distance of a device's own from the median
  int devices = 0;
};

// A device's class for ClassCorrection: "GeForce" or "workstation and data-centre"
// for CUDA devices, the backend otherwise.
std::string correction_class(const std::string& backend, const std::string& segment);

// The groups in use, fitted once from the catalog.
class EfficiencyTable {
 public:
  std::vector<Efficiency> groups;
  std::vector<DeviceCorrection> devices;
  std::vector<ClassCorrection> classes;
  std::vector<std::pair<std::string, std::string>> device_classes;  // device id, class (every catalog device)
  // The group for (engine, backend); a generic prior when none matches.
  Efficiency lookup(const std::string& engine, const std::string& backend) const;
  // The same, with the device's own correction folded into the time scales.
  Efficiency lookup(const std::string& engine, const std::string& backend, const std::string& device) const;
};

}  // namespace llmux::plan
