#include "plan/kv_cache.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"

namespace llmux::plan {

Result<KvCacheType> parse_kv_cache_type(std::string_view s, Engine e) {
  std::string l = to_lower(s);
  if (e == Engine::vllm) {
    if (l == "auto" || l == "f16" || l == "bf16" || l == "fp16") return KvCacheType{"auto", 2, false};
    if (l == "fp8" || l == "fp8_e4m3" || l == "fp8_e5m2") return KvCacheType{"fp8", 1, false};
    return fail(ErrorCode::usage, "vLLM KV cache type '" + std::string(s) + "' is not one of auto, fp8",
                "use --kv-cache auto or --kv-cache fp8");
  }
  static const struct { const char* name; double bytes; bool fa; } kTypes[] = {
      {"f16", 2, false},          {"bf16", 2, false},          {"f32", 4, false},
      {"q8_0", 34.0 / 32, true},  {"q5_1", 24.0 / 32, true},   {"q5_0", 22.0 / 32, true},
      {"q4_1", 20.0 / 32, true},  {"q4_0", 18.0 / 32, true},   {"iq4_nl", 18.0 / 32, true},
  };
  for (const auto& t : kTypes)
    if (l == t.name) return KvCacheType{t.name, t.bytes, t.fa};
  return fail(ErrorCode::usage, "KV cache type '" + std::string(s) + "' is not one llama.cpp knows",
              "use --kv-cache f16, q8_0 or q4_0");
}

double kv_bytes_per_token_layer(const catalog::ModelSpec& m, int /*layer*/, const KvCacheType& t) {
  if (m.is_mla()) return static_cast<double>(m.kv_lora_rank + m.qk_rope_head_dim) * t.bytes_per_element;
  double k = static_cast<double>(m.kv_heads) * m.head_dim;
  double v = static_cast<double>(m.kv_heads) * m.value_head_dim();
  return (k + v) * t.bytes_per_element;
}

double kv_bytes_per_token(const catalog::ModelSpec& m, const KvCacheType& t) {
  double sum = 0;
  for (int i = 0; i < m.layers; ++i) sum += kv_bytes_per_token_layer(m, i, t);
  return sum;
}

double cached_tokens(const catalog::ModelSpec& m, int layer, double ctx_per_seq, int seqs, Engine e, int ubatch) {
  double total = ctx_per_seq * seqs;
  if (!m.layer_slides(layer)) return total;
  double window = static_cast<double>(m.sliding_window);
  if (e == Engine::vllm) return std::min(ctx_per_seq, window) * seqs;
  // llama.cpp: n_swa * n_seq + n_ubatch, padded to 256, at most the full cache.
  double swa = window * seqs + ubatch;
  swa = std::ceil(swa / 256.0) * 256.0;
  return std::min(total, swa);
}

}  // namespace llmux::plan
