#include "catalog/hf_config.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "catalog/json_guard.hpp"
#include "catalog/tensor_layout.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

int get_int(const json& j, const char* key, int fallback = 0) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  double d = it->get<double>();
  return d < 0 ? fallback : d > 1e9 ? 1000000000 : static_cast<int>(d);
}

std::string arch_for(const std::string& model_type, std::vector<std::string>& notes) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"llama", "llama"}, {"mistral", "llama"}, {"mixtral", "llama"}, {"qwen2", "qwen2"}, {"qwen2_moe", "qwen2moe"},
      {"qwen3", "qwen3"}, {"qwen3_moe", "qwen3moe"}, {"gemma2", "gemma2"}, {"gemma3", "gemma3"},
      {"gemma3_text", "gemma3"}, {"phi3", "phi3"}, {"phimoe", "phimoe"}, {"deepseek_v2", "deepseek2"},
      {"deepseek_v3", "deepseek2"}, {"gpt_oss", "gpt-oss"}, {"mistral3", "llama"}};
  for (const auto& [type, arch] : kMap)
    if (model_type == type) return arch;
  notes.push_back("model_type '" + model_type + "' is not known to llmux; sizing it like a Llama-style decoder");
  return "llama";
}

void read_moe(const json& c, ModelSpec& m) {
  m.experts_total = get_int(c, "num_local_experts", get_int(c, "num_experts", get_int(c, "n_routed_experts")));
  m.experts_active = get_int(c, "num_experts_per_tok");
  m.shared_experts = get_int(c, "n_shared_experts");
  m.dense_layers = get_int(c, "first_k_dense_replace");
  m.moe_intermediate_size = get_int(c, "moe_intermediate_size");
  if (m.is_moe() && m.moe_intermediate_size == 0) m.moe_intermediate_size = m.intermediate_size;
}

void read_attention(const json& c, ModelSpec& m) {
  m.attention_heads = get_int(c, "num_attention_heads");
  m.kv_heads = get_int(c, "num_key_value_heads", m.attention_heads);
  m.head_dim = get_int(c, "head_dim", m.attention_heads ? m.hidden_size / m.attention_heads : 0);
  m.kv_lora_rank = get_int(c, "kv_lora_rank");
  if (m.kv_lora_rank > 0) {
    m.q_lora_rank = get_int(c, "q_lora_rank");
    m.qk_rope_head_dim = get_int(c, "qk_rope_head_dim");
    m.head_dim = get_int(c, "qk_nope_head_dim") + m.qk_rope_head_dim;
    m.v_head_dim = get_int(c, "v_head_dim");
    m.kv_heads = m.attention_heads;
  }
  m.attention_bias = c.value("attention_bias", false) || m.arch == "qwen2" || m.arch == "qwen2moe";
}

void read_sliding_window(const json& c, ModelSpec& m) {
  bool use = c.value("use_sliding_window", true);
  m.sliding_window = use ? get_int(c, "sliding_window") : 0;
  if (m.sliding_window == 0) return;
  auto types = c.find("layer_types");
  if (types != c.end() && types->is_array()) {
    int global = 0;
    for (const auto& t : *types) global += t.is_string() && t.get<std::string>() == "full_attention";
    if (global > 0) m.sliding_window_pattern = static_cast<int>(types->size()) / global;
    if (global == 0) m.sliding_window_pattern = 0;
  } else if (m.arch == "gemma3") {
    m.sliding_window_pattern = get_int(c, "sliding_window_pattern", 6);
  } else if (m.arch == "gemma2") {
    m.sliding_window_pattern = 2;
  }
  // Llama/Mistral/Qwen2 configs often carry a window the model does not use.
  if (m.arch == "llama" || m.arch == "qwen2" || m.arch == "phi3") m.sliding_window = 0;
}

Result<ModelSpec> spec_from_json(const json& root, const std::string& path, std::vector<std::string>& notes) {
  const json& c = root.contains("text_config") && root["text_config"].is_object() ? root["text_config"] : root;
  ModelSpec m;
  std::string type = c.value("model_type", root.value("model_type", std::string("llama")));
  m.arch = arch_for(type, notes);
  m.layers = get_int(c, "num_hidden_layers");
  m.hidden_size = get_int(c, "hidden_size");
  m.vocab_size = get_int(c, "vocab_size", get_int(root, "vocab_size"));
  m.intermediate_size = get_int(c, "intermediate_size");
  m.max_context = get_int(c, "max_position_embeddings", 4096);
  m.tie_embeddings = c.value("tie_word_embeddings", root.value("tie_word_embeddings", m.arch.rfind("gemma", 0) == 0));
  read_attention(c, m);
  read_moe(c, m);
  read_sliding_window(c, m);
  std::string bad;  // each size the model needs that is missing or not positive
  for (auto [key, v] : {std::pair<const char*, int>{"num_hidden_layers", m.layers}, {"hidden_size", m.hidden_size},
                        {"num_attention_heads", m.attention_heads}, {"vocab_size", m.vocab_size}})
    if (v <= 0) bad += (bad.empty() ? "" : ", ") + std::string(key) + (v < 0 ? " (negative)" : "");
  if (!bad.empty()) return fail(ErrorCode::parse, "config.json lacks a positive " + bad, path);
  return m;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "model.layers.12.mlp.experts.3.down_proj.weight" -> 12; embeddings and head -> -1.
int hf_layer(const std::string& name) {
  auto pos = name.find("layers.");
  if (pos == std::string::npos) return -1;
  int v = 0;
  std::size_t i = pos + 7, digits = 0;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9' && digits < 9; ++i, ++digits) v = v * 10 + (name[i] - '0');
  return digits ? v : -1;
}

std::string quant_method(const json& q) {
  std::string m = q.value("quant_method", std::string());
  if (m == "awq") return "AWQ";
  if (m == "gptq") return "GPTQ";
  if (m == "fp8") return "FP8";
  if (m == "mxfp4") return "MXFP4";
  if (m == "compressed-tensors") return q.dump().find("\"float\"") != std::string::npos ? "FP8" : "INT8";
  return m;
}

std::vector<std::string> safetensors_beside(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".safetensors") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// The config's own name (a Hub repo id, or the last part of a local path), else
// the name of the directory holding config.json (absolute, so "." names it).
std::string model_name(const json& root, const std::string& path) {
  auto it = root.find("_name_or_path");
  std::string given = it != root.end() && it->is_string() ? it->get<std::string>() : "";
  bool local = given.empty() || given.front() == '/' || given.front() == '.' || given.front() == '~';
  if (!local) return given;
  std::error_code ec;
  fs::path dir = given.empty() ? fs::absolute(path, ec).lexically_normal().parent_path() : fs::path(given).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();
  std::string name = dir.filename().string();
  return name.empty() || name == "." || name == ".." ? "model" : name;
}

}  // namespace

std::vector<WeightTensor> weights_from_safetensors(const std::vector<SafetensorsHeader>& headers) {
  std::vector<WeightTensor> out;
  for (const auto& h : headers) {
    for (const auto& t : h.tensors) {
      std::uint64_t n = 1;
      for (auto d : t.shape) n *= d;
      bool expert = t.name.find(".experts.") != std::string::npos && t.name.find("shared") == std::string::npos;
      std::string name = t.name.find("embed_tokens") != std::string::npos ? "token_embd.weight"
                         : t.name.rfind("lm_head", 0) == 0                ? "output.weight"
                                                                          : t.name;
      out.push_back(WeightTensor{name, hf_layer(t.name), expert, n, static_cast<double>(t.bytes()), t.dtype});
    }
  }
  return out;
}

Result<LoadedModel> model_from_hf_config(const std::string& text, const std::string& path) {
  if (!json_depth_ok(text, 64)) return fail(ErrorCode::parse, "config.json nests too deeply", path);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {  // "... parse error at line 1, column 52: syntax error ..."
    std::string what = e.what();
    auto at = what.find("parse error");
    return fail(ErrorCode::parse, "config.json is not valid JSON: " + what.substr(at == std::string::npos ? 0 : at), path);
  }
  if (!root.is_object()) return fail(ErrorCode::parse, "config.json is not a JSON object", path);
  LoadedModel out;
  LLMUX_TRY_ASSIGN(out.spec, spec_from_json(root, path, out.notes));
  LLMUX_TRY_VOID(check_model_limits(out.spec, path));
  out.spec.params_total = architecture_params(out.spec);
  out.spec.params_active = out.spec.params_total;
  set_active_params(out.spec);
  out.spec.id = out.spec.name = model_name(root, path);
  out.spec.source = path;
  out.origin = "config.json " + path;
  if (auto q = root.find("quantization_config"); q != root.end() && q->is_object())
    out.quant = quant_method(*q);
  return out;
}

Result<LoadedModel> load_hf_model(const std::string& path) {
  fs::path p(path);
  std::error_code ec;
  if (fs::is_directory(p, ec)) p /= "config.json";
  if (!fs::exists(p, ec)) return fail(ErrorCode::io, "no such file: give a Hugging Face config.json or its directory", p.string());
  if (!fs::is_regular_file(p, ec)) return fail(ErrorCode::io, "not a regular file: give a Hugging Face config.json or its directory", p.string());
  if (fs::file_size(p, ec) > (16u << 20)) return fail(ErrorCode::limit, "config.json is larger than 16 MiB", p.string());
  LoadedModel out;
  LLMUX_TRY_ASSIGN(out, model_from_hf_config(read_text(p.string()), p.string()));
  auto files = safetensors_beside(p.parent_path());
  if (files.size() > 1024) return fail(ErrorCode::limit, "more than 1024 safetensors files beside config.json", p.string());
  std::vector<SafetensorsHeader> headers;
  for (const auto& f : files) {
    SafetensorsHeader h;
    LLMUX_TRY_ASSIGN(h, read_safetensors(f));
    headers.push_back(std::move(h));
  }
  if (!headers.empty()) {
    out.tensors = weights_from_safetensors(headers);
    out.notes.push_back("exact tensor bytes from " + std::to_string(headers.size()) + " safetensors file(s)");
    if (out.quant.empty()) out.quant = "BF16";
  }
  return out;
}

}  // namespace llmux::catalog
