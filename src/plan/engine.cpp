#include "plan/engine.hpp"

#include <vector>

#include "core/text.hpp"

namespace llmux::plan {

std::string_view to_string(Engine e) {
  switch (e) {
    case Engine::llama_cpp: return "llama.cpp";
    case Engine::ollama: return "ollama";
    case Engine::vllm: return "vllm";
  }
  return "llama.cpp";
}

Result<Engine> parse_engine(std::string_view s) {
  std::string l = to_lower(s);
  if (l == "llama.cpp" || l == "llamacpp" || l == "llama-cpp" || l == "llama-server") return Engine::llama_cpp;
  if (l == "ollama") return Engine::ollama;
  if (l == "vllm") return Engine::vllm;
  return fail(ErrorCode::usage, "unknown engine '" + std::string(s) + "'", "use --engine llama.cpp, ollama or vllm");
}

std::string_view calibration_engine(Engine e) { return e == Engine::vllm ? "vllm" : "llama.cpp"; }

Result<void> engine_supports(Engine e, const catalog::DeviceSpec& d) {
  if (e == Engine::vllm && d.backend != "cuda" && d.backend != "rocm")
    return fail(ErrorCode::usage, "vLLM runs on NVIDIA (CUDA) or AMD (ROCm) GPUs, not on " + d.name,
                "use --engine llama.cpp or --engine ollama for this device");
  return {};
}

// vLLM shards the attention heads over the GPUs; KV heads are sharded too, or
// replicated when there are fewer KV heads than GPUs (then the GPUs must be a
// multiple of them).
bool tensor_parallel_ok(const catalog::ModelSpec& m, int gpus) {
  if (m.attention_heads % gpus != 0) return false;
  int kv = m.is_mla() || m.kv_heads <= 0 ? m.attention_heads : m.kv_heads;
  return gpus <= kv ? kv % gpus == 0 : gpus % kv == 0;
}

// The GPU counts (up to 64) that split `m`: "1, 2 or 4".
std::string tensor_parallel_sizes(const catalog::ModelSpec& m) {
  std::vector<std::string> ok;
  for (int g = 1; g <= 64; ++g)
    if (tensor_parallel_ok(m, g)) ok.push_back(std::to_string(g));
  std::string out;
  for (std::size_t i = 0; i < ok.size(); ++i) out += (i == 0 ? "" : i + 1 == ok.size() ? " or " : ", ") + ok[i];
  return out;
}

double runtime_overhead_bytes(Engine e, const catalog::DeviceSpec& d) {
  constexpr double MiB = 1024.0 * 1024.0;
  if (d.kind == catalog::DeviceKind::cpu) return 0;
  if (d.backend == "metal") return 0;  // Metal maps the weights; no separate context to speak of
  if (e == Engine::vllm) return 1024 * MiB;  // CUDA context, NCCL, CUDA graphs
  if (d.backend == "cuda") return 400 * MiB;  // CUDA context + cuBLAS workspace
  if (d.backend == "rocm") return 500 * MiB;
  return 300 * MiB;
}

}  // namespace llmux::plan
