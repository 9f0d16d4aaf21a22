#pragma once
// Reads a Hugging Face config.json into a ModelSpec; when safetensors files
// sit beside it, their headers give the exact bytes of every tensor.
#include <string>

#include "catalog/model_source.hpp"
#include "catalog/safetensors_reader.hpp"

namespace llmux::catalog {

// `text` is the config.json content; `path` names it in errors.
Result<LoadedModel> model_from_hf_config(const std::string& text, const std::string& path);
// Reads `path` (a config.json or the directory holding it) and any *.safetensors beside it.
Result<LoadedModel> load_hf_model(const std::string& path);
// WeightTensors from safetensors headers (HF tensor names mapped to layers and experts).
std::vector<WeightTensor> weights_from_safetensors(const std::vector<SafetensorsHeader>& headers);

}  // namespace llmux::catalog
