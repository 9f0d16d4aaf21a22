#pragma once
// Which catalog model (and quantization) a local runtime serves, guessed from
// the name it lists: "llama3.1:8b" (Ollama), "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"
// (llama.cpp), "meta-llama/Llama-3.1-8B-Instruct" (vLLM). Pure: catalog in, guess out.
#include <optional>
#include <string>

#include "catalog/catalog.hpp"

namespace llmux::cli {

struct ModelGuess {
  std::string model_id;  // catalog id
  std::string quant;     // GGUF/safetensors type found in the name; empty when none
};

// The catalog model whose id or alias (letters and digits only) is the longest
// part of the served name; nullopt when none is.
std::optional<ModelGuess> guess_model(const catalog::Catalog& cat, const std::string& served_name);

// A name reduced to its letters and digits, lower-cased, as the matching compares them.
std::string squash(const std::string& s);

}  // namespace llmux::cli
