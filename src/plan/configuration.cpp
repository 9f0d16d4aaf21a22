#include "plan/configuration.hpp"

#include "catalog/try.hpp"

namespace llmux::plan {

Result<Configuration> configure(const ConfigInputs& in) {
  if (!in.model || !in.device) return fail(ErrorCode::internal, "configure: missing model or device");
  Configuration c;
  c.quant = in.quant;
  // Weights: exact from the file when one was given, else llama.cpp's / vLLM's per-tensor rules.
  c.weights = in.file_tensors && !in.file_tensors->empty() ? summarize_weights(*in.model, *in.file_tensors)
                                                          : summarize_weights(*in.model, catalog::quantize(*in.model, in.quant));
  MemoryInputs mi;
  mi.model = in.model;
  mi.weights = &c.weights;
  mi.engine = in.engine;
  mi.device = in.device;
  mi.gpus = in.gpus;
  mi.memory_gib = in.memory_gib;
  mi.reserve_gib = in.reserve_gib;
  mi.host_ram_gib = in.host_ram_gib;
  mi.ctx = in.ctx;
  mi.slots = in.slots;
  mi.kv = in.kv;
  mi.flash_attention = in.flash_attention;
  mi.gpu_layers = in.gpu_layers;
  mi.tokens_per_request = in.tokens_per_request;
  LLMUX_TRY_ASSIGN(c.memory, plan_memory(mi));
  SpeedInputs si;
  si.model = in.model;
  si.weights = &c.weights;
  si.memory = &c.memory;
  si.engine = in.engine;
  si.device = in.device;
  si.host = in.host ? in.host : in.device;
  si.gpus = in.gpus;
  si.quantized = in.quant.quantized();
  si.kv = in.kv;
  si.accel = in.accel;
  si.cpu = in.cpu;
  c.speed = build_speed_setup(si);
  return c;
}

}  // namespace llmux::plan
