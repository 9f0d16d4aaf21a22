#pragma once
// Timing for `llmux sim --model M --quant Q --gpu G`: the plan's speed model,
// reduced to what a simulated server needs at each scheduling step. Pure: it
// reads only the catalog.
//
// How to call:
//   auto cat = catalog::load_catalog({cli::data_dir()});          // once
//   plan::SimTimingRequest req;
//   req.model = "llama-3.1-8b"; req.quant = "Q4_K_M"; req.gpu = "rtx-4090";
//   auto t = plan::sim_timing(*cat, req);                        // Result<SimTiming>
//   t->prefill_seconds(n)                 // prefill n prompt tokens (sum the prompts
//                                         //   admitted together into one call)
//   t->decode_step_seconds(batch, ctx)    // one decode step for `batch` running
//                                         //   sequences holding `ctx` tokens each
//   t->max_batch                          // sequences of req.ctx tokens whose KV
//                                         //   cache fits next to the weights
// Times are the model's central estimate; `band` is its relative error.
#include <string>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "plan/speed_model.hpp"

namespace llmux::plan {

struct SimTimingRequest {
  std::string model;               // catalog id
  std::string quant = "Q4_K_M";    // GGUF type for llama.cpp/ollama, BF16/FP8/AWQ for vllm
  std::string gpu;                 // catalog device id
  int gpus = 1;
  std::string engine = "llama.cpp";
  int ctx = 4096;                  // tokens per sequence the cache is sized for
};

struct SimTiming {
  SpeedSetup setup;
  int max_batch = 1;
  bool fits = false;       // the weights fit the device (offload counts as fitting)
  bool offloaded = false;
  double band_decode = 0;
  double band_prefill = 0;
  std::string description;  // "llama-3.1-8b Q4_K_M on 1 x rtx-4090 (llama.cpp)"

  double prefill_seconds(int tokens) const { return plan::prefill_seconds(setup, tokens); }
  double decode_step_seconds(int batch, double context) const { return plan::decode_step_seconds(setup, batch, context); }
};

Result<SimTiming> sim_timing(const catalog::Catalog& c, const SimTimingRequest& req);

}  // namespace llmux::plan
