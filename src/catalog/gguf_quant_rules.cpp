// llama.cpp's choice of GGML type per tensor for each file type, following
// llama_tensor_get_type() in llama-quant.cpp: the output matrix gets Q6_K,
// attn_v and ffn_down get more bits in the first and last eighth of the layers
// and every third layer between (use_more_bits), 8-expert models keep attn_k/v
// at Q8_0, rows that are not a whole number of 256-blocks fall back to legacy
// 32-blocks, norms and the MoE router stay F32.
#include <string>

#include "catalog/ggml_types.hpp"
#include "catalog/quant_scheme.hpp"

namespace llmux::catalog {

namespace {

struct Ctx {
  const ModelSpec& m;
  const std::string& ft;  // file type name, e.g. "Q4_K_M"
  int n_gqa;
  int n_expert;
  int n_layer;
  bool is_70b;
};

bool use_more_bits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }
bool has(const std::string& name, const char* part) { return name.find(part) != std::string::npos; }
bool ft_in(const std::string& ft, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (ft == n) return true;
  return false;
}
bool low_iq(const std::string& ft) { return ft_in(ft, {"IQ2_XXS", "IQ2_XS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"}); }

std::string output_type(const Ctx& c, const TensorDesc& t, const std::string& base) {
  if (c.ft == "MXFP4_MOE") return "Q8_0";
  const GgmlTypeInfo* bt = ggml_type_by_name(base);
  if (bt && t.ne[0] % bt->block_size != 0) return "Q8_0";
  if (ft_in(c.ft, {"IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"})) return "Q5_K";
  return base == "Q8_0" ? base : "Q6_K";
}

std::string token_embd_type(const Ctx& c, const std::string& base) {
  if (ft_in(c.ft, {"IQ2_XXS", "IQ2_XS", "IQ1_S", "IQ1_M"})) return "Q2_K";
  if (ft_in(c.ft, {"IQ2_S", "IQ2_M", "IQ3_XXS"})) return "IQ3_S";
  if (ft_in(c.ft, {"TQ1_0", "TQ2_0"})) return "Q4_K";
  return base;
}

std::string low_iq_type(const Ctx& c, const TensorDesc& t, const std::string& base, int& i_wv) {
  const auto& n = t.name;
  bool s_or_m = ft_in(c.ft, {"IQ2_S", "IQ2_M"});
  if (has(n, "attn_v.weight")) {
    ++i_wv;
    if (c.n_gqa >= 4 || c.n_expert >= 4) return "Q4_K";
    return s_or_m ? "IQ3_S" : "Q2_K";
  }
  if (c.n_expert == 8 && has(n, "attn_k.weight")) return "Q4_K";
  if (has(n, "ffn_down")) return t.layer < c.n_layer / 8 ? (s_or_m ? "IQ3_S" : "Q2_K") : base;
  if (has(n, "attn_output.weight")) {
    if (c.n_expert == 8) return "Q5_K";
    if (ft_in(c.ft, {"IQ1_S", "IQ1_M"})) return "IQ2_XXS";
    if (s_or_m) return "IQ3_S";
  }
  return base;
}

std::string attn_v_type(const Ctx& c, const std::string& base, int& i_wv) {
  std::string t = base;
  const std::string& ft = c.ft;
  if (ft == "Q2_K") t = c.n_gqa >= 4 ? "Q4_K" : "Q3_K";
  else if (ft == "Q2_K_S" && c.n_gqa >= 4) t = "Q4_K";
  else if (ft == "IQ3_XXS") t = c.n_gqa >= 4 ? "Q4_K" : "IQ3_XXS";
  else if (ft_in(ft, {"IQ3_XS", "IQ3_S"}) && c.n_gqa >= 4) t = "Q4_K";
  else if (ft == "IQ3_M") t = "Q4_K";
  else if (ft == "Q3_K_M") t = i_wv < 2 ? "Q5_K" : "Q4_K";
  else if (ft == "Q3_K_L") t = "Q5_K";
  else if (ft_in(ft, {"IQ4_NL", "IQ4_XS"}) && c.n_gqa >= 4) t = "Q5_K";
  else if (ft_in(ft, {"Q4_K_M", "Q5_K_M"}) && use_more_bits(i_wv, c.n_layer)) t = "Q6_K";
  else if (ft == "Q4_K_S" && i_wv < 4) t = "Q5_K";
  if (c.is_70b && (t == "Q3_K" || t == "Q4_K")) t = "Q5_K";
  if (c.n_expert == 8) t = "Q8_0";
  ++i_wv;
  return t;
}

std::string ffn_down_type(const Ctx& c, int i, const std::string& base) {
  const std::string& ft = c.ft;
  int n = c.n_layer;
  if (ft == "Q2_K") return "Q3_K";
  if (ft == "Q2_K_S") return i < n / 8 ? "Q4_K" : base;
  if (ft == "Q3_K_M") return i < n / 16 ? "Q5_K" : "Q4_K";
  if (ft == "IQ3_M" && (i < n / 8 || (c.n_expert == 8 && use_more_bits(i, n)))) return "Q4_K";
  if (ft == "Q3_K_L") return "Q5_K";
  if (ft_in(ft, {"Q4_K_M", "Q5_K_M"})) return use_more_bits(i, n) ? "Q6_K" : base;
  if (ft_in(ft, {"IQ4_NL", "IQ4_XS"}) && i < n / 8) return "Q5_K";
  if (ft == "Q4_K_S" && i < n / 8) return "Q5_K";
  return base;
}

std::string attn_output_type(const Ctx& c, const std::string& base) {
  const std::string& ft = c.ft;
  if (c.n_expert == 8) {
    bool bump = ft_in(ft, {"Q2_K", "IQ3_XS", "IQ3_XXS", "Q3_K_S", "Q3_K_M", "IQ4_NL", "Q4_K_S", "Q4_K_M", "IQ3_S",
                           "IQ3_M", "IQ4_XS"});
    return bump ? "Q5_K" : base;
  }
  if (ft == "Q2_K") return "Q3_K";
  if (ft == "IQ3_XXS") return "IQ3_S";
  if (ft == "Q3_K_M" || ft == "IQ3_M") return "Q4_K";
  if (ft == "Q3_K_L") return "Q5_K";
  return base;
}

std::string rule_type(const Ctx& c, const TensorDesc& t, const std::string& base, int& i_wv) {
  const auto& n = t.name;
  if (n == "output.weight" || (c.m.tie_embeddings && n == "token_embd.weight")) return output_type(c, t, base);
  if (c.ft == "MXFP4_MOE") return t.ne[2] > 1 ? "MXFP4" : "Q8_0";
  if (n == "token_embd.weight") return token_embd_type(c, base);
  if (low_iq(c.ft)) return low_iq_type(c, t, base, i_wv);
  if (has(n, "attn_v.weight")) return attn_v_type(c, base, i_wv);
  if (has(n, "attn_k.weight")) {
    if (c.n_expert == 8) return "Q8_0";
    if (c.ft == "IQ3_XS") return "IQ3_XXS";
    if (c.ft == "IQ3_XXS") return "IQ2_S";
    return base;
  }
  if (has(n, "attn_q.weight")) return c.ft == "IQ3_XS" ? "IQ3_XXS" : c.ft == "IQ3_XXS" ? "IQ2_S" : base;
  if (has(n, "ffn_down")) return ffn_down_type(c, t.layer, base);
  if (has(n, "attn_output.weight")) return attn_output_type(c, base);
  if (has(n, "attn_qkv.weight")) {
    if (ft_in(c.ft, {"Q3_K_M", "Q3_K_L", "IQ3_M"})) return "Q4_K";
    if (c.ft == "Q4_K_M") return "Q5_K";
    if (c.ft == "Q5_K_M") return "Q6_K";
    return base;
  }
  if ((has(n, "ffn_gate") || has(n, "ffn_up")) && c.ft == "IQ3_XS" && t.layer >= c.n_layer / 8 &&
      t.layer < 7 * c.n_layer / 8)
    return "IQ3_XXS";
  return base;
}

// Rows that are not a whole number of blocks of the chosen type fall back.
std::string fit_rows(const TensorDesc& t, std::string type) {
  const GgmlTypeInfo* info = ggml_type_by_name(type);
  if (!info || t.ne[0] % info->block_size == 0) return type;
  if (type == "Q4_K") type = "Q5_0";
  else if (type == "Q5_K") type = "Q5_1";
  else if (type == "Q6_K") type = "Q8_0";
  else if (type == "TQ1_0" || type == "TQ2_0") type = "Q4_0";
  else type = "IQ4_NL";
  info = ggml_type_by_name(type);
  if (info && t.ne[0] % info->block_size != 0) type = "F16";
  return type;
}

bool quantizable(const TensorDesc& t) {
  const auto& n = t.name;
  if (t.n_dims < 2 || n.size() < 7 || n.compare(n.size() - 7, 7, ".weight") != 0) return false;
  return !has(n, "_norm.weight") && !has(n, "ffn_gate_inp");
}

}  // namespace

std::string gguf_tensor_type(const ModelSpec& m, const TensorDesc& t, const QuantScheme& q, int& i_attention_wv) {
  if (!quantizable(t)) return "F32";
  // gpt-oss was released with MXFP4 experts, and its GGUF files keep them so at every
  // type, F16 included (bartowski's Q6_K of the 20B is 12.0 GB, its MXFP4 12.1 GB).
  if (m.arch == "gpt-oss" && t.ne[2] > 1) return "MXFP4";
  if (!q.quantized()) return q.base_type;
  int kv = m.kv_heads > 0 ? m.kv_heads : 1;
  bool is_70b = m.layers == 80 && (m.arch == "llama" || m.arch == "qwen2");
  Ctx c{m, q.name, m.attention_heads / kv, m.experts_total, m.layers, is_70b};
  return fit_rows(t, rule_type(c, t, q.base_type, i_attention_wv));
}

double gguf_bytes(const TensorDesc& t, const std::string& type) {
  const GgmlTypeInfo* info = ggml_type_by_name(type);
  if (!info) return static_cast<double>(t.elements()) * 2;
  auto b = ggml_tensor_bytes(*info, t.ne[0], t.elements());
  return b ? static_cast<double>(*b) : static_cast<double>(t.elements()) * info->type_size / info->block_size;
}

}  // namespace llmux::catalog
