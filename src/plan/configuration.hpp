#pragma once
// One concrete local setup — a model in one weight format on N devices of one
// kind under one engine — carried through the weight, memory and speed models.
// The plan builds one per quantization it shows; the calibration fit builds one
// per published measurement; the simulator's timing comes from one.
#include <optional>
#include <string>
#include <vector>

#include "catalog/device_spec.hpp"
#include "catalog/model_spec.hpp"
#include "catalog/quant_scheme.hpp"
#include "catalog/tensor_layout.hpp"
#include "core/error.hpp"
#include "plan/efficiency.hpp"
#include "plan/engine.hpp"
#include "plan/kv_cache.hpp"
#include "plan/memory_model.hpp"
#include "plan/model_weights.hpp"
#include "plan/speed_model.hpp"

namespace llmux::plan {

struct ConfigInputs {
  const catalog::ModelSpec* model = nullptr;
  const std::vector<catalog::WeightTensor>* file_tensors = nullptr;  // exact sizes from a file; else from quant
  catalog::QuantScheme quant;
  Engine engine = Engine::llama_cpp;
  const catalog::DeviceSpec* device = nullptr;
  int gpus = 1;
  const catalog::DeviceSpec* host = nullptr;  // CPU used for offloaded layers
  double host_ram_gib = 64;
  double memory_gib = 0;
  double reserve_gib = -1;
  int ctx = 4096;
  int slots = 1;
  KvCacheType kv{"f16", 2, false};
  bool flash_attention = true;
  int gpu_layers = -1;
  double tokens_per_request = 0;
  Efficiency accel;
  Efficiency cpu;
};

struct Configuration {
  catalog::QuantScheme quant;
  WeightSummary weights;
  MemoryPlan memory;
  SpeedSetup speed;
};

Result<Configuration> configure(const ConfigInputs& in);

}  // namespace llmux::plan
