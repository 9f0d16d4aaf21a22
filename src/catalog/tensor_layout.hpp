#pragma once
// The decoder's tensors as llama.cpp names them in a GGUF file (token_embd,
// blk.N.attn_q, blk.N.ffn_down_exps, output, ...), with their shapes, derived
// from a ModelSpec. With a quantization scheme (quant_scheme.hpp) this gives
// the exact bytes of each tensor without the file; with a GGUF file the reader
// gives the same list read from its tensor table.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "catalog/model_spec.hpp"

namespace llmux::catalog {

struct TensorDesc {
  std::string name;                 // GGUF name, e.g. "blk.3.attn_v.weight"
  std::array<std::uint64_t, 4> ne{1, 1, 1, 1};  // GGML order: ne[0] is the row length
  int n_dims = 1;
  int layer = -1;                   // -1 for token_embd, output, output_norm
  bool expert = false;              // routed-expert tensor (*_exps)

  std::uint64_t elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
};

// A tensor with its storage: what the memory and speed models work on.
struct WeightTensor {
  std::string name;
  int layer = -1;
  bool expert = false;
  std::uint64_t elements = 0;
  double bytes = 0;
  std::string dtype;  // GGML type name, or BF16/FP8/AWQ... for safetensors formats
};

std::vector<TensorDesc> model_tensors(const ModelSpec& m);
// Parameters of the text decoder implied by the architecture fields.
double architecture_params(const ModelSpec& m);
// Sets params_active of an MoE model from params_total: the routed experts count at
// experts_active / experts_total. Dense models keep params_active = params_total.
void set_active_params(ModelSpec& m);
// Layer index from a GGUF tensor name ("blk.12.ffn_up.weight" -> 12), -1 otherwise.
int layer_of(const std::string& name);

}  // namespace llmux::catalog
