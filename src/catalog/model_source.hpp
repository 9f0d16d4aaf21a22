#pragma once
// A model to plan for, from whichever source the user named: a catalog id, a
// GGUF file (exact tensor bytes), or a Hugging Face config.json (architecture;
// exact bytes too when safetensors files sit beside it).
#include <string>
#include <vector>

#include "catalog/gguf_reader.hpp"
#include "catalog/model_spec.hpp"
#include "catalog/tensor_layout.hpp"
#include "core/error.hpp"

namespace llmux::catalog {

struct LoadedModel {
  ModelSpec spec;
  std::vector<WeightTensor> tensors;  // empty: derive from spec + quant
  std::string quant;                  // the file's own quantization, when read from a file
  std::string origin;                 // "catalog", "gguf FILE", "config.json FILE"
  std::vector<std::string> notes;     // what was assumed while reading
  std::vector<std::string> warnings;  // what makes the plan's figures unreliable (shown at its top)
  // The weights exist in `quant` only (a GGUF file, a runtime's loaded model): the plan
  // sizes that one instead of offering others.
  bool quant_fixed = false;
};

// Rejects architecture values no real model has (they would make the planner
// allocate per-layer tables of absurd size): layers up to 4096, widths up to
// 2^20, heads up to 2^16, vocabulary up to 2^24, context up to 2^28.
Result<void> check_model_limits(const ModelSpec& m, const std::string& where);

// Architecture and exact tensor sizes from a GGUF header.
Result<LoadedModel> model_from_gguf(const GgufFile& f, const std::string& path);
Result<LoadedModel> load_gguf_model(const std::string& path);
// Architecture from GGUF metadata without a tensor table (what Ollama's /api/show
// reports): tensors are derived from the architecture, the parameter count is
// `params` when positive (else derived), a missing vocabulary size is estimated from it.
Result<LoadedModel> model_from_gguf_metadata(const GgufFile& f, double params, const std::string& where);

}  // namespace llmux::catalog
