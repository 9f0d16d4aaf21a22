#pragma once
// The model a plan is for, from the flags `llmux plan` and `llmux compare` share:
// a catalog id (--model), a GGUF file's header (--gguf) or a Hugging Face
// config.json (--hf-config), and which quantizations to size for it.
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/model_source.hpp"
#include "catalog/quant_scheme.hpp"
#include "plan/engine.hpp"

namespace llmux::cli {

struct ModelSource {
  std::string model, gguf, hf_config;
  bool any() const { return !model.empty() || !gguf.empty() || !hf_config.empty(); }
};

// Exactly one source must be given.
Result<catalog::LoadedModel> load_model(const ModelSource& s, const catalog::Catalog& c);

// The weights to size: the model's own when they are fixed (a GGUF file, a runtime's
// loaded model; the one exact file vLLM loads), else --quant, else the engine's usual ones.
Result<std::vector<catalog::QuantScheme>> pick_quants(const catalog::LoadedModel& m, plan::Engine engine,
                                                      const std::string& quant);

}  // namespace llmux::cli
