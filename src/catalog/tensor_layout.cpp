#include "catalog/tensor_layout.hpp"

#include <charconv>

namespace llmux::catalog {

namespace {

using U = std::uint64_t;

class Builder {
 public:
  explicit Builder(std::vector<TensorDesc>& out) : out_(out) {}
  void add(std::string name, std::initializer_list<U> dims, int layer = -1, bool expert = false) {
    TensorDesc t;
    t.name = std::move(name);
    int i = 0;
    for (U d : dims) t.ne[static_cast<std::size_t>(i++)] = d;
    t.n_dims = i;
    t.layer = layer;
    t.expert = expert;
    out_.push_back(std::move(t));
  }
  void layer(int i, const std::string& suffix, std::initializer_list<U> dims, bool expert = false) {
    add("blk." + std::to_string(i) + "." + suffix, dims, i, expert);
  }

 private:
  std::vector<TensorDesc>& out_;
};

void add_mla_attention(Builder& b, const ModelSpec& m, int i) {
  U h = static_cast<U>(m.hidden_size), heads = static_cast<U>(m.attention_heads);
  U rope = static_cast<U>(m.qk_rope_head_dim), qk = static_cast<U>(m.head_dim);
  U nope = qk - rope, v = static_cast<U>(m.value_head_dim()), kvr = static_cast<U>(m.kv_lora_rank);
  if (m.q_lora_rank > 0) {
    U qr = static_cast<U>(m.q_lora_rank);
    b.layer(i, "attn_q_a.weight", {h, qr});
    b.layer(i, "attn_q_a_norm.weight", {qr});
    b.layer(i, "attn_q_b.weight", {qr, heads * qk});
  } else {
    b.layer(i, "attn_q.weight", {h, heads * qk});
  }
  b.layer(i, "attn_kv_a_mqa.weight", {h, kvr + rope});
  b.layer(i, "attn_kv_a_norm.weight", {kvr});
  b.layer(i, "attn_kv_b.weight", {kvr, heads * (nope + v)});
  b.layer(i, "attn_output.weight", {heads * v, h});
}

void add_attention(Builder& b, const ModelSpec& m, int i) {
  if (m.is_mla()) return add_mla_attention(b, m, i);
  U h = static_cast<U>(m.hidden_size), hd = static_cast<U>(m.head_dim), vd = static_cast<U>(m.value_head_dim());
  U q = static_cast<U>(m.attention_heads) * hd, kv = static_cast<U>(m.kv_heads) * hd;
  U vv = static_cast<U>(m.kv_heads) * vd, o = static_cast<U>(m.attention_heads) * vd;
  if (m.arch == "phi3") {
    b.layer(i, "attn_qkv.weight", {h, q + kv + vv});
  } else {
    b.layer(i, "attn_q.weight", {h, q});
    b.layer(i, "attn_k.weight", {h, kv});
    b.layer(i, "attn_v.weight", {h, vv});
  }
  b.layer(i, "attn_output.weight", {o, h});
  if (m.attention_bias) {
    b.layer(i, "attn_q.bias", {q});
    b.layer(i, "attn_k.bias", {kv});
    b.layer(i, "attn_v.bias", {vv});
  }
  if (m.arch == "gpt-oss") {
    b.layer(i, "attn_output.bias", {h});
    b.layer(i, "attn_sinks.weight", {static_cast<U>(m.attention_heads)});
  }
  if (m.arch == "qwen3" || m.arch == "qwen3moe" || m.arch == "gemma3") {
    b.layer(i, "attn_q_norm.weight", {hd});
    b.layer(i, "attn_k_norm.weight", {hd});
  }
}

void add_dense_ffn(Builder& b, const ModelSpec& m, int i) {
  U h = static_cast<U>(m.hidden_size), ff = static_cast<U>(m.intermediate_size);
  if (m.arch == "phi3") {
    b.layer(i, "ffn_up.weight", {h, 2 * ff});  // gate and up fused
  } else {
    b.layer(i, "ffn_gate.weight", {h, ff});
    b.layer(i, "ffn_up.weight", {h, ff});
  }
  b.layer(i, "ffn_down.weight", {ff, h});
}

void add_moe_ffn(Builder& b, const ModelSpec& m, int i) {
  U h = static_cast<U>(m.hidden_size), ff = static_cast<U>(m.moe_intermediate_size);
  U e = static_cast<U>(m.experts_total);
  b.layer(i, "ffn_gate_inp.weight", {h, e});
  b.layer(i, "ffn_gate_exps.weight", {h, ff, e}, true);
  b.layer(i, "ffn_up_exps.weight", {h, ff, e}, true);
  b.layer(i, "ffn_down_exps.weight", {ff, h, e}, true);
  if (m.shared_experts > 0) {
    U sff = ff * static_cast<U>(m.shared_experts);
    b.layer(i, "ffn_gate_shexp.weight", {h, sff});
    b.layer(i, "ffn_up_shexp.weight", {h, sff});
    b.layer(i, "ffn_down_shexp.weight", {sff, h});
  }
  if (m.arch == "deepseek2" && m.experts_total >= 256) b.layer(i, "exp_probs_b.bias", {e});
  if (m.arch == "gpt-oss") {
    b.layer(i, "ffn_gate_inp.bias", {e});
    b.layer(i, "ffn_gate_exps.bias", {ff, e}, true);
    b.layer(i, "ffn_up_exps.bias", {ff, e}, true);
    b.layer(i, "ffn_down_exps.bias", {h, e}, true);
  }
}

void add_norms(Builder& b, const ModelSpec& m, int i) {
  U h = static_cast<U>(m.hidden_size);
  b.layer(i, "attn_norm.weight", {h});
  if (m.arch == "gpt-oss") {
    b.layer(i, "post_attention_norm.weight", {h});
    return;
  }
  b.layer(i, "ffn_norm.weight", {h});
  if (m.arch == "gemma2" || m.arch == "gemma3") {
    b.layer(i, "post_attention_norm.weight", {h});
    b.layer(i, "post_ffw_norm.weight", {h});
  }
}

}  // namespace

std::vector<TensorDesc> model_tensors(const ModelSpec& m) {
  std::vector<TensorDesc> out;
  Builder b(out);
  U h = static_cast<U>(m.hidden_size), v = static_cast<U>(m.vocab_size);
  b.add("token_embd.weight", {h, v});
  for (int i = 0; i < m.layers; ++i) {
    add_norms(b, m, i);
    add_attention(b, m, i);
    if (m.layer_is_moe(i)) add_moe_ffn(b, m, i);
    else add_dense_ffn(b, m, i);
  }
  b.add("output_norm.weight", {h});
  if (!m.tie_embeddings) b.add("output.weight", {h, v});
  return out;
}

double architecture_params(const ModelSpec& m) {
  double n = 0;
  for (const auto& t : model_tensors(m)) n += static_cast<double>(t.elements());
  return n;
}

int layer_of(const std::string& name) {
  if (name.rfind("blk.", 0) != 0) return -1;
  int v = -1;
  auto begin = name.data() + 4;
  auto [p, ec] = std::from_chars(begin, name.data() + name.size(), v);
  if (ec != std::errc() || p == begin || p == name.data() + name.size() || *p != '.') return -1;
  return v;
}

void set_active_params(ModelSpec& m) {
  m.params_active = m.params_total;
  if (!m.is_moe()) return;
  double expert = 0;
  for (const auto& t : model_tensors(m))
    if (t.expert) expert += static_cast<double>(t.elements());
  m.params_active = m.params_total - expert + expert * m.experts_active / m.experts_total;
}

}  // namespace llmux::catalog
