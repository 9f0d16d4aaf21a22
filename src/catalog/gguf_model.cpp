// GGUF metadata -> ModelSpec, and its tensor table -> WeightTensors with the
// exact bytes of each tensor.
#include <algorithm>
#include <map>

#include "catalog/ggml_types.hpp"
#include "catalog/model_source.hpp"
#include "catalog/quant_scheme.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

namespace {

class Meta {
 public:
  Meta(const GgufFile& f, std::string arch) : f_(f), arch_(std::move(arch)) {}
  // Scalar value, or the largest element of a per-layer array.
  int get(const std::string& key, int fallback = 0) const {
    const GgufValue* v = f_.find(arch_ + "." + key);
    if (!v) return fallback;
    if (v->is_number()) return clamp(v->number);
    if (v->type == GgufType::array && !v->numbers.empty())
      return clamp(*std::max_element(v->numbers.begin(), v->numbers.end()));
    return fallback;
  }
  bool has(const std::string& key) const { return f_.find(arch_ + "." + key) != nullptr; }

 private:
  static int clamp(double d) { return d < 0 ? 0 : d > 1e9 ? 1000000000 : static_cast<int>(d); }
  const GgufFile& f_;
  std::string arch_;
};

int vocab_size(const GgufFile& f, const Meta& meta) {
  if (int v = meta.get("vocab_size"); v > 0) return v;
  const GgufValue* tokens = f.find("tokenizer.ggml.tokens");
  if (tokens && tokens->type == GgufType::array) return static_cast<int>(std::min<std::uint64_t>(tokens->array_size, 1u << 30));
  for (const auto& t : f.tensors)
    if (t.name == "token_embd.weight" && t.dims.size() >= 2) return static_cast<int>(std::min<std::uint64_t>(t.dims[1], 1u << 30));
  return 0;
}

void read_attention(ModelSpec& m, const Meta& meta) {
  m.attention_heads = meta.get("attention.head_count");
  m.kv_heads = meta.get("attention.head_count_kv", m.attention_heads);
  int key = meta.get("attention.key_length_mla", meta.get("attention.key_length"));
  int value = meta.get("attention.value_length_mla", meta.get("attention.value_length"));
  m.head_dim = key > 0 ? key : (m.attention_heads > 0 ? m.hidden_size / m.attention_heads : 0);
  m.v_head_dim = value > 0 && value != m.head_dim ? value : 0;
  m.kv_lora_rank = meta.get("attention.kv_lora_rank");
  m.q_lora_rank = meta.get("attention.q_lora_rank");
  if (m.kv_lora_rank > 0) {
    m.qk_rope_head_dim = meta.get("rope.dimension_count", 64);
    m.kv_heads = m.attention_heads;
  }
  m.sliding_window = meta.get("attention.sliding_window");
  if (m.sliding_window > 0) {
    if (m.arch == "gemma3") m.sliding_window_pattern = 6;
    else if (m.arch == "gemma2" || m.arch == "gpt-oss") m.sliding_window_pattern = 2;
  }
}

void read_experts(ModelSpec& m, const Meta& meta) {
  m.experts_total = meta.get("expert_count");
  m.experts_active = meta.get("expert_used_count");
  m.shared_experts = meta.get("expert_shared_count");
  m.dense_layers = meta.get("leading_dense_block_count");
  m.moe_intermediate_size = meta.get("expert_feed_forward_length");
  if (m.is_moe() && m.moe_intermediate_size == 0) m.moe_intermediate_size = m.intermediate_size;
}

// llama.cpp's name for an architecture that Ollama's own engine names differently.
std::string canonical_arch(const std::string& arch) { return arch == "gptoss" ? "gpt-oss" : arch; }

Result<ModelSpec> spec_from_metadata(const GgufFile& f, const std::string& path) {
  const GgufValue* arch = f.find("general.architecture");
  if (!arch || arch->type != GgufType::string || arch->text.empty())
    return fail(ErrorCode::parse, "GGUF file has no general.architecture; it is not a model file", path);
  ModelSpec m;
  m.arch = canonical_arch(arch->text);
  Meta meta(f, arch->text);
  const GgufValue* name = f.find("general.name");
  m.name = name && name->type == GgufType::string && !name->text.empty() ? name->text : path;
  m.id = m.name;
  m.layers = meta.get("block_count");
  m.max_context = meta.get("context_length");
  m.hidden_size = meta.get("embedding_length");
  m.intermediate_size = meta.get("feed_forward_length");
  m.vocab_size = vocab_size(f, meta);
  read_attention(m, meta);
  read_experts(m, meta);
  if (m.layers <= 0 || m.hidden_size <= 0 || m.attention_heads <= 0)
    return fail(ErrorCode::parse, "GGUF metadata lacks " + m.arch + ".block_count, embedding_length or attention.head_count", path);
  m.source = path;
  return m;
}

std::vector<WeightTensor> weight_tensors(const GgufFile& f) {
  std::vector<WeightTensor> out;
  for (const auto& t : f.tensors) {
    const GgmlTypeInfo* info = ggml_type(t.type);
    out.push_back(WeightTensor{t.name, layer_of(t.name), t.name.find("_exps") != std::string::npos, t.elements,
                               static_cast<double>(t.bytes), info ? std::string(info->name) : "?"});
  }
  return out;
}

// The file type's name, or the type holding most bytes when the file does not say.
std::string quant_name(const GgufFile& f, const std::vector<WeightTensor>& tensors) {
  if (const GgufValue* ft = f.find("general.file_type"); ft && ft->is_number())
    if (const QuantScheme* q = gguf_quant_by_ftype(static_cast<int>(ft->integer))) return q->name;
  std::map<std::string, double> by_type;
  for (const auto& t : tensors) by_type[t.dtype] += t.bytes;
  std::string best = "F16";
  double most = -1;
  for (const auto& [type, bytes] : by_type)
    if (bytes > most) most = bytes, best = type;
  return best;
}

void fill_params(ModelSpec& m, const std::vector<WeightTensor>& tensors) {
  double total = 0, expert = 0;
  bool has_output = false, has_bias = false;
  for (const auto& t : tensors) {
    total += static_cast<double>(t.elements);
    if (t.expert) expert += static_cast<double>(t.elements);
    has_output |= t.name == "output.weight";
    has_bias |= t.name.find("attn_q.bias") != std::string::npos;
  }
  m.params_total = total;
  double active_share = m.is_moe() && m.experts_active > 0 ? double(m.experts_active) / m.experts_total : 1.0;
  m.params_active = total - expert + expert * active_share;
  m.tie_embeddings = !has_output;
  m.attention_bias = has_bias;
}

// GGUF architectures whose tensors, attention and KV cache the planner models.
bool modelled_arch(const std::string& arch) {
  static const char* const kArchs[] = {"llama",  "qwen2",  "qwen2moe", "qwen3",     "qwen3moe", "gemma2",
                                       "gemma3", "phi3",   "phimoe",   "deepseek2", "gpt-oss"};
  for (const char* a : kArchs)
    if (arch == a) return true;
  return false;
}

// Recurrent and state-space architectures keep a fixed state, not a per-token
// KV cache: nothing the planner computes applies to them.
bool recurrent_arch(const std::string& arch) {
  for (const char* a : {"mamba", "rwkv", "arwkv", "jamba", "falcon-h1", "granitehybrid", "plamo2", "lfm2", "nemotron_h"})
    if (arch.rfind(a, 0) == 0) return true;
  return false;
}

Result<void> check_arch(const std::string& arch, const std::string& path, std::vector<std::string>& warnings) {
  if (modelled_arch(arch)) return {};
  if (recurrent_arch(arch))
    return fail(ErrorCode::usage,
                "general.architecture is '" + arch + "', a recurrent/state-space model: it keeps a fixed state instead of a " +
                    "per-token KV cache, which llmux plan does not model, so its memory and speed figures would be wrong",
                path);
  warnings.push_back("general.architecture '" + arch + "' is not one llmux plan models (llama, qwen2/3, gemma2/3, phi3, " +
                     "deepseek2, gpt-oss and their MoE variants): it is sized as a Llama-style transformer, so memory and speed may be off");
  return {};
}

}  // namespace

Result<void> check_model_limits(const ModelSpec& m, const std::string& where) {
  auto in = [](long v, long lo, long hi) { return v >= lo && v <= hi; };
  bool ok = in(m.layers, 1, 4096) && in(m.hidden_size, 1, 1 << 20) && in(m.attention_heads, 1, 1 << 16) &&
            in(m.kv_heads, 0, 1 << 16) && in(m.head_dim, 0, 1 << 16) && in(m.vocab_size, 0, 1 << 24) &&
            in(m.intermediate_size, 0, 1 << 22) && in(m.moe_intermediate_size, 0, 1 << 22) &&
            in(m.experts_total, 0, 1 << 14) && in(m.experts_active, 0, 1 << 14) && in(m.max_context, 0, 1 << 28) &&
            in(m.kv_lora_rank, 0, 1 << 16) && in(m.dense_layers, 0, m.layers);
  if (!ok)
    return fail(ErrorCode::parse, "the model's architecture values are implausible (layers, widths, heads or vocabulary out of range); the file is corrupt", where);
  return {};
}

namespace {

// What GGUF metadata alone says: architecture checks, the spec, its defaults.
Result<void> read_metadata(const GgufFile& f, const std::string& where, LoadedModel& out) {
  // Before the metadata: a recurrent model lacks the attention keys the spec needs.
  if (const GgufValue* arch = f.find("general.architecture"); arch && arch->type == GgufType::string) {
    LLMUX_TRY_VOID(check_arch(canonical_arch(arch->text), where, out.warnings));
  }
  LLMUX_TRY_ASSIGN(out.spec, spec_from_metadata(f, where));
  LLMUX_TRY_VOID(check_model_limits(out.spec, where));
  if (out.spec.max_context <= 0) {
    out.spec.max_context = 4096;
    out.notes.push_back("the model's metadata gives no context length; assuming 4096");
  }
  if (out.spec.kv_heads <= 0) out.spec.kv_heads = out.spec.attention_heads;
  return {};
}

// A vision tower's parameters from its GGUF keys (<arch>.vision.block_count, ...):
// per block, attention (4 d^2) and MLP (2 d ff). 0 when the model has none.
double vision_params(const GgufFile& f, const std::string& arch_key) {
  Meta vision(f, arch_key + ".vision");
  double blocks = vision.get("block_count"), d = vision.get("embedding_length"), ff = vision.get("feed_forward_length");
  return blocks * (4 * d * d + 2 * d * ff);
}

// Embedding rows the parameter count leaves room for, once the layers are counted:
// one matrix when the output reuses the embeddings (Gemma; assumed for small models), else two.
int vocab_from_params(ModelSpec m, double params) {
  m.vocab_size = 0;
  double rest = params - architecture_params(m);
  bool tied = m.arch.rfind("gemma", 0) == 0 || m.params_total < 4e9;
  double rows = rest / (static_cast<double>(m.hidden_size) * (tied ? 1 : 2));
  return rows < 1000 ? 32000 : rows > (1 << 20) ? (1 << 20) : static_cast<int>(rows);
}

}  // namespace

Result<LoadedModel> model_from_gguf(const GgufFile& f, const std::string& path) {
  LoadedModel out;
  LLMUX_TRY_VOID(read_metadata(f, path, out));
  out.tensors = weight_tensors(f);
  if (out.tensors.empty()) return fail(ErrorCode::parse, "GGUF file has no tensors", path);
  fill_params(out.spec, out.tensors);
  out.quant = quant_name(f, out.tensors);
  out.quant_fixed = true;
  out.origin = "gguf " + path;
  return out;
}

Result<LoadedModel> model_from_gguf_metadata(const GgufFile& f, double params, const std::string& where) {
  LoadedModel out;
  LLMUX_TRY_VOID(read_metadata(f, where, out));
  ModelSpec& m = out.spec;
  m.params_total = params;
  const GgufValue* arch = f.find("general.architecture");
  m.params_extra = vision_params(f, arch->text);
  if (m.vocab_size <= 0 && params > 0) {
    m.vocab_size = vocab_from_params(m, params - m.params_extra);
    out.notes.push_back("the vocabulary size is not given; " + std::to_string(m.vocab_size) +
                        " estimated from the parameter count");
  }
  if (m.params_total <= 0) m.params_total = architecture_params(m);
  m.tie_embeddings = m.arch.rfind("gemma", 0) == 0;
  set_active_params(m);
  out.origin = where;
  return out;
}

Result<LoadedModel> load_gguf_model(const std::string& path) {
  GgufFile f;
  LLMUX_TRY_ASSIGN(f, read_gguf(path));
  return model_from_gguf(f, path);
}

}  // namespace llmux::catalog
