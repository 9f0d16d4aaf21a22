#pragma once
// Roofline speed model. A token passes through the devices that hold the
// model's layers in turn (llama.cpp layer split and CPU offload) or through all
// tensor-parallel GPUs at once (vLLM). For each such stage, one decode step of
// B sequences at context c takes
//   t = max((weights read + B·c·kv_bytes) / (bandwidth·η_mem),
//           2·params_active·B + attention FLOPs) / (FLOPs·η_compute))
//       + layers·τ
// (MoE: the experts B tokens touch, E·(1-(1-k/E)^B), are read; k are computed
// per token). Prefill of n tokens is compute-bound: 2·params_active·n plus
// causal attention, at η_prefill (× a factor for quantized weights), but never
// faster than reading the weights once per ubatch. Efficiency factors are data
// (efficiency.hpp).
#include <string>
#include <vector>

#include "catalog/device_spec.hpp"
#include "catalog/model_spec.hpp"
#include "plan/efficiency.hpp"
#include "plan/engine.hpp"
#include "plan/memory_model.hpp"
#include "plan/model_weights.hpp"

namespace llmux::plan {

struct Stage {
  std::string label;
  bool cpu = false;                 // llama.cpp layers offloaded to the CPU
  double bandwidth = 0;             // bytes/s
  double flops = 0;                 // FLOP/s, dense 16-bit
  int layers = 0;
  double weight_bytes = 0;          // read every step (non-expert, + output when here)
  double expert_bytes = 0;          // routed experts held here (read as far as touched)
  double active_params = 0;         // multiplied per token (non-expert + output)
  double expert_params = 0;         // routed-expert parameters held here
  double kv_full = 0;               // KV bytes per cached token, full-attention layers
  double kv_swa = 0;                // KV bytes per cached token, sliding-window layers
  double attn_full = 0;             // attention FLOPs per cached token, full-attention layers
  double attn_swa = 0;
  Efficiency eff;
};

struct SpeedSetup {
  std::vector<Stage> stages;
  Engine engine = Engine::llama_cpp;
  int experts_total = 0;
  int experts_active = 0;
  int window = 0;
  bool quantized = false;
  int ubatch = 512;                 // tokens per prefill step
  int tensor_parallel = 1;
  double comm_latency_s = 0;        // per all-reduce (tensor parallel)
  double comm_bandwidth = 0;        // bytes/s between GPUs
  double pcie_bandwidth = 25e9;     // host to GPU, for offloaded layers during prefill
  double hidden = 0;
  double decode_scale = 1;
  double prefill_scale = 1;
};

struct SpeedInputs {
  const catalog::ModelSpec* model = nullptr;
  const WeightSummary* weights = nullptr;
  const MemoryPlan* memory = nullptr;
  Engine engine = Engine::llama_cpp;
  const catalog::DeviceSpec* device = nullptr;
  const catalog::DeviceSpec* host = nullptr;  // CPU for offloaded layers
  int gpus = 1;
  bool quantized = false;
  KvCacheType kv{"f16", 2, false};
  Efficiency accel;  // the device's group
  Efficiency cpu;    // the CPU group, for offloaded layers
};

SpeedSetup build_speed_setup(const SpeedInputs& in);

// Seconds for one decode step of `batch` sequences with `context` tokens cached each.
double decode_step_seconds(const SpeedSetup& s, int batch, double context);
// Seconds to prefill one prompt of `tokens` tokens.
double prefill_seconds(const SpeedSetup& s, int tokens);

// Terms of the decode and prefill times at efficiency 1, for fitting.
struct DecodeTerms {
  double mem_s = 0;   // bytes / bandwidth
  double layers = 0;  // per-layer fixed costs
};
DecodeTerms decode_terms(const SpeedSetup& s, int batch, double context);
struct PrefillTerms {
  double compute_s = 0;       // FLOPs / spec FLOPs
  double layer_steps = 0;     // layers x ubatches
};
PrefillTerms prefill_terms(const SpeedSetup& s, int tokens);

// The relative error band (one side) of decode and prefill estimates.
double decode_band(const SpeedSetup& s);
double prefill_band(const SpeedSetup& s);

}  // namespace llmux::plan
