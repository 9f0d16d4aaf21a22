#pragma once
// Where a model's bytes go, per device, and whether they fit in the memory that
// is free (not the total): weights, KV cache, compute buffers and runtime
// overhead on each GPU, plus host RAM for what llama.cpp keeps on the CPU
// (token embeddings, offloaded layers). llama.cpp/Ollama split layers across
// GPUs and, when short, offload the first layers to the CPU; vLLM shards every
// layer across GPUs (tensor parallel), reserves 90% of each GPU up front and
// fills what the weights leave with KV cache.
#include <string>
#include <vector>

#include "catalog/device_spec.hpp"
#include "catalog/model_spec.hpp"
#include "core/error.hpp"
#include "plan/engine.hpp"
#include "plan/kv_cache.hpp"
#include "plan/model_weights.hpp"

namespace llmux::plan {

struct MemoryInputs {
  const catalog::ModelSpec* model = nullptr;
  const WeightSummary* weights = nullptr;
  Engine engine = Engine::llama_cpp;
  const catalog::DeviceSpec* device = nullptr;
  int gpus = 1;
  double memory_gib = 0;       // per-device override; 0 = the catalog's figure
  double reserve_gib = -1;     // per-GPU memory not available to the model; <0 = default
  double host_ram_gib = 64;    // for llama.cpp CPU offload
  int ctx = 4096;              // tokens per sequence
  int slots = 1;               // sequences served at once (llama.cpp -np, Ollama NUM_PARALLEL)
  KvCacheType kv;
  bool flash_attention = true;
  int ubatch = 512;            // llama.cpp physical batch; vLLM max_num_batched_tokens is 8192
  int gpu_layers = -1;         // llama.cpp -ngl; -1 = as many as fit
  double tokens_per_request = 0;  // vLLM: sizes the concurrency the KV pool allows
  double gpu_memory_utilization = 0.9;
};

struct DeviceUsage {
  std::string label;
  bool host = false;       // host RAM (llama.cpp CPU side)
  int first_layer = 0;     // layers [first_layer, first_layer + layers) are here
  int layers = 0;          // layers placed here
  bool output = false;     // holds the output matrix
  double weights = 0;
  double kv = 0;
  double compute = 0;      // compute buffers / activations
  double overhead = 0;     // runtime (CUDA context, graphs)
  double capacity = 0;     // total memory
  double free = 0;         // what the model may use

  double used() const { return weights + kv + compute + overhead; }
  bool fits() const { return used() <= free; }
};

struct MemoryPlan {
  std::vector<DeviceUsage> devices;  // accelerators first, then host RAM when it holds model data
  bool fits = false;
  bool offloaded = false;  // some layers run on the CPU
  bool layers_given = false;  // --gpu-layers chose the split, not the fit
  int gpu_layers = 0;      // layers on the accelerators
  int layers = 0;
  double kv_tokens = 0;    // tokens the KV cache holds, all sequences together
  int max_sequences = 0;   // concurrent sequences the cache holds (vLLM: of the workload's length)
  double kv_bytes_per_token = 0;  // all layers, full attention
  double headroom = 0;     // smallest free - used over the accelerators (negative: short by)
  double gpu_shortfall = 0;  // bytes the all-on-GPU placement lacks on its fullest device (0 when it fits)
  std::string command;     // how to start the engine with this plan
  std::vector<std::string> notes;
};

Result<MemoryPlan> plan_memory(const MemoryInputs& in);

// Free memory of one device of this kind under these inputs (reserve, working-set limit).
double device_free_bytes(const MemoryInputs& in);

}  // namespace llmux::plan
