#pragma once
// A model's tensors summed the way the memory and speed models need them:
// bytes and parameters per layer (routed experts apart), and the embedding and
// output matrices that live outside the layers.
#include <string>
#include <vector>

#include "catalog/model_spec.hpp"
#include "catalog/tensor_layout.hpp"

namespace llmux::plan {

struct LayerWeights {
  double bytes = 0;          // everything in the layer
  double expert_bytes = 0;   // of which routed experts
  double params = 0;
  double expert_params = 0;
};

struct WeightSummary {
  std::vector<LayerWeights> layers;
  double token_embd_bytes = 0;
  double output_bytes = 0;   // the output matrix (for tied embeddings: a copy of token_embd)
  double other_bytes = 0;    // output_norm and anything outside the layers
  double output_params = 0;
  double token_embd_params = 0;
  bool tied = false;
  int experts_total = 0;
  int experts_active = 0;
  std::string dtype_mix;     // "Q4_K 72%, Q6_K 27%, F32 1%"

  // Bytes of the model as stored (a tied output matrix counted once).
  double file_bytes() const;
  double layer_bytes(int from, int to) const;  // layers [from, to)
  // Parameters a token multiplies through (routed experts: the active share).
  double active_params() const;
  double bits_per_weight() const;
};

WeightSummary summarize_weights(const catalog::ModelSpec& m, const std::vector<catalog::WeightTensor>& tensors);

}  // namespace llmux::plan
