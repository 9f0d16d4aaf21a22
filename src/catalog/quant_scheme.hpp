#pragma once
// Weight formats a model is served in. GGUF file types (Q4_K_M, Q8_0, ...) are
// llama.cpp's: each tensor's type follows llama.cpp's own per-tensor rules
// (llama-quant.cpp), so sizes come out as the real files do. Safetensors
// formats (BF16, FP8, AWQ, ...) are what vLLM serves.
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model_spec.hpp"
#include "catalog/tensor_layout.hpp"
#include "core/error.hpp"

namespace llmux::catalog {

enum class WeightFormat { gguf, safetensors };

struct QuantScheme {
  std::string name;         // "Q4_K_M", "BF16", "AWQ"
  WeightFormat format = WeightFormat::gguf;
  int ftype = -1;           // llama.cpp LLAMA_FTYPE value for GGUF types
  std::string base_type;    // GGML type of most tensors ("Q4_K"); format name for safetensors
  std::string description;
  bool usual = false;       // shown in the table when no --quant is given
  bool quantized() const { return base_type != "F16" && base_type != "BF16" && base_type != "F32"; }
};

const std::vector<QuantScheme>& gguf_quants();
const std::vector<QuantScheme>& safetensors_quants();
// Case-insensitive; searches GGUF types first, then safetensors formats.
Result<QuantScheme> find_quant(std::string_view name);
// The scheme a GGUF general.file_type value stands for; nullptr if unknown.
const QuantScheme* gguf_quant_by_ftype(int ftype);

// Storage of every tensor of `m` in scheme `q`.
std::vector<WeightTensor> quantize(const ModelSpec& m, const std::vector<TensorDesc>& tensors, const QuantScheme& q);
inline std::vector<WeightTensor> quantize(const ModelSpec& m, const QuantScheme& q) {
  return quantize(m, model_tensors(m), q);
}

}  // namespace llmux::catalog
