#pragma once
// The serving engines the plan models: llama.cpp (llama-server), Ollama (llama.cpp
// underneath, with its own defaults) and vLLM (paged KV cache, tensor parallel).
#include <string>
#include <string_view>

#include "catalog/device_spec.hpp"
#include "catalog/model_spec.hpp"
#include "core/error.hpp"

namespace llmux::plan {

enum class Engine { llama_cpp, ollama, vllm };

std::string_view to_string(Engine e);
Result<Engine> parse_engine(std::string_view s);
// The calibration group an engine uses ("ollama" runs llama.cpp kernels).
std::string_view calibration_engine(Engine e);
// True when the engine stores weights as GGUF (llama.cpp, Ollama).
inline bool uses_gguf(Engine e) { return e != Engine::vllm; }
// An error saying why the engine cannot run on this device, or nothing.
Result<void> engine_supports(Engine e, const catalog::DeviceSpec& d);

// Whether vLLM tensor parallelism can split `m` over `gpus` GPUs: the GPUs
// divide the attention heads, and divide the KV heads or are a multiple of them.
bool tensor_parallel_ok(const catalog::ModelSpec& m, int gpus);
// The GPU counts up to 64 that can, for a message: "1, 2 or 4".
std::string tensor_parallel_sizes(const catalog::ModelSpec& m);

// Memory the runtime itself takes on each GPU before any model tensor:
// CUDA context and cuBLAS workspace, ROCm/Vulkan equivalents. Bytes.
double runtime_overhead_bytes(Engine e, const catalog::DeviceSpec& d);

}  // namespace llmux::plan
