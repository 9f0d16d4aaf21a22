// The list of weight formats and the safetensors (vLLM) storage rules. The
// GGUF per-tensor rules live in gguf_quant_rules.cpp.
#include "catalog/quant_scheme.hpp"

#include "core/text.hpp"

namespace llmux::catalog {

std::string gguf_tensor_type(const ModelSpec& m, const TensorDesc& t, const QuantScheme& q, int& i_attention_wv);
double gguf_bytes(const TensorDesc& t, const std::string& type);

const std::vector<QuantScheme>& gguf_quants() {
  static const std::vector<QuantScheme> k = {
      {"F32", WeightFormat::gguf, 0, "F32", "32-bit float", false},
      {"F16", WeightFormat::gguf, 1, "F16", "16-bit float", true},
      {"BF16", WeightFormat::gguf, 32, "BF16", "bfloat16", false},
      {"Q8_0", WeightFormat::gguf, 7, "Q8_0", "8-bit, 8.5 bpw", true},
      {"Q6_K", WeightFormat::gguf, 18, "Q6_K", "6-bit K-quant", true},
      {"Q5_K_M", WeightFormat::gguf, 17, "Q5_K", "5-bit K-quant, medium", true},
      {"Q5_K_S", WeightFormat::gguf, 16, "Q5_K", "5-bit K-quant, small", false},
      {"Q5_1", WeightFormat::gguf, 9, "Q5_1", "5-bit legacy", false},
      {"Q5_0", WeightFormat::gguf, 8, "Q5_0", "5-bit legacy", false},
      {"Q4_K_M", WeightFormat::gguf, 15, "Q4_K", "4-bit K-quant, medium", true},
      {"Q4_K_S", WeightFormat::gguf, 14, "Q4_K", "4-bit K-quant, small", false},
      {"Q4_1", WeightFormat::gguf, 3, "Q4_1", "4-bit legacy", false},
      {"Q4_0", WeightFormat::gguf, 2, "Q4_0", "4-bit legacy", false},
      {"IQ4_NL", WeightFormat::gguf, 25, "IQ4_NL", "4-bit non-linear", false},
      {"IQ4_XS", WeightFormat::gguf, 30, "IQ4_XS", "4-bit i-quant", true},
      {"MXFP4_MOE", WeightFormat::gguf, 38, "MXFP4", "MXFP4 experts, Q8_0 elsewhere", false},
      {"Q3_K_L", WeightFormat::gguf, 13, "Q3_K", "3-bit K-quant, large", false},
      {"Q3_K_M", WeightFormat::gguf, 12, "Q3_K", "3-bit K-quant, medium", true},
      {"Q3_K_S", WeightFormat::gguf, 11, "Q3_K", "3-bit K-quant, small", false},
      {"IQ3_M", WeightFormat::gguf, 27, "IQ3_S", "3-bit i-quant, medium", false},
      {"IQ3_S", WeightFormat::gguf, 26, "IQ3_S", "3-bit i-quant", false},
      {"IQ3_XS", WeightFormat::gguf, 22, "IQ3_S", "3-bit i-quant, extra small", false},
      {"IQ3_XXS", WeightFormat::gguf, 23, "IQ3_XXS", "3-bit i-quant, 3.06 bpw", false},
      {"Q2_K", WeightFormat::gguf, 10, "Q2_K", "2-bit K-quant", true},
      {"Q2_K_S", WeightFormat::gguf, 21, "Q2_K", "2-bit K-quant, small", false},
      {"IQ2_M", WeightFormat::gguf, 29, "IQ2_S", "2-bit i-quant, medium", false},
      {"IQ2_S", WeightFormat::gguf, 28, "IQ2_XS", "2-bit i-quant", false},
      {"IQ2_XS", WeightFormat::gguf, 20, "IQ2_XS", "2-bit i-quant, extra small", false},
      {"IQ2_XXS", WeightFormat::gguf, 19, "IQ2_XXS", "2-bit i-quant, 2.06 bpw", false},
      {"IQ1_M", WeightFormat::gguf, 31, "IQ1_M", "1-bit i-quant, medium", false},
      {"IQ1_S", WeightFormat::gguf, 24, "IQ1_S", "1-bit i-quant", false},
      {"TQ2_0", WeightFormat::gguf, 37, "TQ2_0", "ternary, 2.06 bpw", false},
      {"TQ1_0", WeightFormat::gguf, 36, "TQ1_0", "ternary, 1.69 bpw", false},
  };
  return k;
}

const std::vector<QuantScheme>& safetensors_quants() {
  static const std::vector<QuantScheme> k = {
      {"BF16", WeightFormat::safetensors, -1, "BF16", "bfloat16 (checkpoint as published)", true},
      {"FP16", WeightFormat::safetensors, -1, "F16", "float16", false},
      {"FP8", WeightFormat::safetensors, -1, "FP8", "FP8 weights, per-channel scales", true},
      {"INT8", WeightFormat::safetensors, -1, "INT8", "W8A8 int8, per-channel scales", true},
      {"AWQ", WeightFormat::safetensors, -1, "AWQ", "4-bit AWQ, group 128", true},
      {"GPTQ", WeightFormat::safetensors, -1, "GPTQ", "4-bit GPTQ, group 128", false},
      {"MXFP4", WeightFormat::safetensors, -1, "MXFP4", "MXFP4 experts, BF16 elsewhere (gpt-oss)", false},
  };
  return k;
}

Result<QuantScheme> find_quant(std::string_view name) {
  for (const auto& q : gguf_quants())
    if (equals_icase(q.name, name)) return q;
  for (const auto& q : safetensors_quants())
    if (equals_icase(q.name, name)) return q;
  std::vector<std::string> names;
  for (const auto& q : gguf_quants()) names.push_back(q.name);
  for (const auto& q : safetensors_quants()) names.push_back(q.name);
  return fail(ErrorCode::usage, "unknown quantization '" + std::string(name) + "'" + did_you_mean(name, names),
              "GGUF: Q8_0, Q6_K, Q5_K_M, Q4_K_M, IQ4_XS, Q3_K_M, Q2_K, F16 ...; vLLM: BF16, FP8, INT8, AWQ, GPTQ");
}

const QuantScheme* gguf_quant_by_ftype(int ftype) {
  for (const auto& q : gguf_quants())
    if (q.ftype == ftype) return &q;
  return nullptr;
}

namespace {

bool is_linear_weight(const TensorDesc& t) {
  const auto& n = t.name;
  if (t.n_dims < 2 || n.size() < 7 || n.compare(n.size() - 7, 7, ".weight") != 0) return false;
  return n.find("_norm.weight") == std::string::npos && n.find("ffn_gate_inp") == std::string::npos;
}

bool is_embedding_or_head(const TensorDesc& t) { return t.name == "token_embd.weight" || t.name == "output.weight"; }

// Bytes and type of one tensor in a safetensors format.
std::pair<double, std::string> safetensors_storage(const TensorDesc& t, const QuantScheme& q) {
  double n = static_cast<double>(t.elements());
  if (!is_linear_weight(t) || is_embedding_or_head(t) || q.base_type == "BF16" || q.base_type == "F16")
    return {n * 2, q.base_type == "F16" ? "F16" : "BF16"};
  double rows = static_cast<double>(t.elements() / t.ne[0]);
  if (q.base_type == "FP8" || q.base_type == "INT8") return {n + rows * 4, q.base_type};  // + fp32 scale per channel
  if (q.base_type == "AWQ" || q.base_type == "GPTQ") return {n * (4.0 + 16.0 / 128 + 4.0 / 128) / 8, q.base_type};
  if (q.base_type == "MXFP4" && t.expert) return {n * 17.0 / 32, "MXFP4"};
  return {n * 2, "BF16"};
}

}  // namespace

std::vector<WeightTensor> quantize(const ModelSpec& m, const std::vector<TensorDesc>& tensors, const QuantScheme& q) {
  std::vector<WeightTensor> out;
  out.reserve(tensors.size());
  int i_attention_wv = 0;
  for (const auto& t : tensors) {
    WeightTensor w{t.name, t.layer, t.expert, t.elements(), 0, ""};
    if (q.format == WeightFormat::safetensors) {
      auto [bytes, type] = safetensors_storage(t, q);
      w.bytes = bytes;
      w.dtype = type;
    } else {
      w.dtype = gguf_tensor_type(m, t, q, i_attention_wv);
      w.bytes = gguf_bytes(t, w.dtype);
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace llmux::catalog
