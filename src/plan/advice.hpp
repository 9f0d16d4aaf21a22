#pragma once
// What to do with a plan: alternatives when the model does not fit (the best
// GPU/CPU split, smaller quantizations, shorter contexts, a quantized KV
// cache, fewer slots, more GPUs) and a recommendation with its reasons that
// respects the privacy rule (local-only: cloud options never qualify).
#include <vector>

#include "plan/plan.hpp"

namespace llmux::plan {

// Builds a configuration like the plan's primary one with some inputs changed.
struct Variant {
  catalog::QuantScheme quant;
  int ctx = 0;
  int slots = 1;
  int gpus = 1;
  KvCacheType kv;
  int gpu_layers = -1;
};

std::vector<Alternative> find_alternatives(const PlanRequest& req, const PlanResult& plan);
Recommendation recommend(const PlanRequest& req, const PlanResult& plan);

// Configuration for `v` under the request's other inputs (used by the driver too).
Result<Configuration> configure_variant(const PlanRequest& req, const PlanResult& plan, const Variant& v);

}  // namespace llmux::plan
