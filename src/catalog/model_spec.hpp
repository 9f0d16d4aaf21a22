#pragma once
// An open-weights model's architecture: the fields the memory and speed models
// need, as published in the model's Hugging Face config.json (or read from a
// GGUF header). Counts are plain numbers; parameters are counts, not billions.
#include <string>
#include <vector>

namespace llmux::catalog {

struct ModelSpec {
  std::string id;        // catalog id, e.g. "llama-3.1-70b"
  std::string name;      // display name
  std::string family;    // "llama", "qwen", ...
  std::string arch;      // GGUF architecture: llama, qwen2, qwen3, qwen3moe, gemma2, gemma3, phi3, deepseek2, gpt-oss
  double params_total = 0;   // published parameter count (all experts)
  double params_active = 0;  // per token (MoE: shared + active experts); = total for dense models
  double params_extra = 0;   // in params_total but outside the text decoder (e.g. a vision encoder)
  int layers = 0;
  int hidden_size = 0;
  int attention_heads = 0;
  int kv_heads = 0;
  int head_dim = 0;          // per attention head (keys; MLA: nope + rope)
  int v_head_dim = 0;        // per head for values; 0 = head_dim
  int vocab_size = 0;
  int intermediate_size = 0;      // dense FFN width
  int moe_intermediate_size = 0;  // width of one expert
  int experts_total = 0;
  int experts_active = 0;
  int shared_experts = 0;
  int dense_layers = 0;      // leading dense layers of an MoE model (DeepSeek first_k_dense_replace)
  int max_context = 0;
  int sliding_window = 0;          // tokens; 0 = none
  int sliding_window_pattern = 0;  // every Nth layer is global (Gemma 2: 2, Gemma 3: 6); 0 = all layers slide
  int kv_lora_rank = 0;      // MLA (DeepSeek V2/V3): compressed KV width
  int q_lora_rank = 0;
  int qk_rope_head_dim = 0;
  bool tie_embeddings = false;
  bool attention_bias = false;  // q/k/v biases (Qwen2, gpt-oss)
  std::string hf_repo;
  std::string license;
  std::string source;  // where the figures come from (URL)
  std::string date;    // when they were taken (YYYY-MM-DD)
  std::vector<std::string> aliases;

  bool is_moe() const { return experts_total > 1; }
  bool is_mla() const { return kv_lora_rank > 0; }
  int value_head_dim() const { return v_head_dim > 0 ? v_head_dim : head_dim; }
  // True when layer `i` uses the sliding-window cache.
  bool layer_slides(int i) const {
    if (sliding_window <= 0) return false;
    if (sliding_window_pattern <= 1) return true;
    return (i + 1) % sliding_window_pattern != 0;
  }
  bool layer_is_moe(int i) const { return is_moe() && i >= dense_layers; }
};

}  // namespace llmux::catalog
