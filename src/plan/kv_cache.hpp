#pragma once
// KV cache sizing. Per token and layer the cache holds keys and values for
// every KV head: 2 x kv_heads x head_dim x bytes (GQA). MLA models (DeepSeek)
// cache one compressed latent of kv_lora_rank + rope dims instead. Sliding-
// window layers keep only the last `window` tokens per sequence.
#include <string>
#include <string_view>

#include "catalog/model_spec.hpp"
#include "core/error.hpp"
#include "plan/engine.hpp"

namespace llmux::plan {

struct KvCacheType {
  std::string name;  // f16, q8_0, q4_0, fp8 ...
  double bytes_per_element = 2;
  bool needs_flash_attention = false;  // llama.cpp quantizes V only with flash attention
};

// llama.cpp/Ollama: f16, bf16, f32, q8_0, q5_1, q5_0, q4_1, q4_0, iq4_nl; vLLM: auto, fp8.
Result<KvCacheType> parse_kv_cache_type(std::string_view s, Engine e);

// Bytes one token occupies in layer `layer`'s cache.
double kv_bytes_per_token_layer(const catalog::ModelSpec& m, int layer, const KvCacheType& t);
// Bytes per token summed over all layers (full-attention view).
double kv_bytes_per_token(const catalog::ModelSpec& m, const KvCacheType& t);

// Tokens layer `layer` caches when `seqs` sequences of up to `ctx_per_seq`
// tokens share the cache; `ubatch` is llama.cpp's extra room on SWA layers.
double cached_tokens(const catalog::ModelSpec& m, int layer, double ctx_per_seq, int seqs, Engine e, int ubatch);

}  // namespace llmux::plan
