#pragma once
// A simulated server whose timing comes from the plan's speed model: the sim's
// continuous-batching profile (step = decode_base + decode_per_seq x running +
// prefill_per_token x admitted prompt tokens) fitted to plan::sim_timing for a
// catalog model at a quantization on catalog GPUs. Used by `llmux compare` on a
// machine with no runtime, and meant for `llmux sim --model --quant --gpu`.
#include <string>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "sim/options.hpp"

namespace llmux::cli {

struct PlanSimTuning {
  std::string engine = "llama.cpp";
  int ctx = 4096;            // tokens per sequence the KV cache is sized for
  int prompt_tokens = 0;     // prompt length the prefill rate is taken at (0: ctx / 2)
  int max_batch_cap = 256;   // upper bound on the batch the sim admits
};

Result<sim::SimOptions> sim_options_from_plan(const catalog::Catalog& cat, const std::string& model, const std::string& quant,
                                              const std::string& gpu, int gpus, const PlanSimTuning& tuning = {});

}  // namespace llmux::cli
