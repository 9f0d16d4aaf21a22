#pragma once
// Ollama's POST /api/show: the loaded model's GGUF metadata ("model_info", the same
// keys a GGUF header has, without the tensor table) and "details" (family,
// parameter_size, quantization_level). Read it into a model to plan for when the
// name a runtime serves is not in the catalog; write it for a catalog model, so that
// llmux sim imitating Ollama answers the same question the same way.
#include <string>
#include <string_view>

#include "catalog/model_source.hpp"
#include "core/error.hpp"

namespace llmux::catalog {

constexpr std::size_t kMaxShowBytes = 8u << 20;  // a non-verbose answer is a few KB

// The architecture from model_info (general.architecture, <arch>.block_count, ...),
// the parameter count from general.parameter_count, the weights' quantization from
// details.quantization_level (fixed: the runtime has those weights loaded).
// `where` names the source in errors and in the model's origin.
Result<LoadedModel> model_from_ollama_show(std::string_view body, const std::string& where);

// A non-verbose /api/show answer for `m` stored as `quant`.
std::string ollama_show_body(const ModelSpec& m, std::string_view quant);

}  // namespace llmux::catalog
