#include "catalog/ollama_show.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "catalog/json_guard.hpp"
#include "catalog/quant_scheme.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

namespace {

using json = nlohmann::json;

// One model_info member as the GGUF reader would have given it. Arrays the
// non-verbose answer leaves out come as null and are skipped.
bool to_gguf_value(const json& v, GgufValue& out) {
  if (v.is_boolean()) {
    out.type = GgufType::boolean;
    out.flag = v.get<bool>();
  } else if (v.is_number_integer()) {
    out.type = GgufType::int64;
    out.integer = v.get<std::int64_t>();
    out.number = static_cast<double>(out.integer);
  } else if (v.is_number()) {
    out.type = GgufType::float64;
    out.number = v.get<double>();
    out.integer = static_cast<std::int64_t>(out.number);
  } else if (v.is_string()) {
    out.type = GgufType::string;
    out.text = v.get<std::string>();
  } else if (v.is_array()) {
    out.type = GgufType::array;
    out.array_size = v.size();
    for (const auto& e : v) {
      if (!e.is_number()) break;
      out.array_type = GgufType::float64;
      if (out.numbers.size() < kMaxKeptArray) out.numbers.push_back(e.get<double>());
    }
  } else {
    return false;
  }
  return true;
}

std::string text_at(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<LoadedModel> model_from_ollama_show(std::string_view body, const std::string& where) {
  if (body.size() > kMaxShowBytes) return fail(ErrorCode::limit, "the /api/show answer is larger than 8 MiB", where);
  if (!json_depth_ok(body, 32)) return fail(ErrorCode::parse, "the /api/show answer nests too deeply", where);
  json root = json::parse(body, nullptr, false);
  if (!root.is_object()) return fail(ErrorCode::parse, "the /api/show answer is not a JSON object", where);
  auto info = root.find("model_info");
  if (info == root.end() || !info->is_object() || info->empty())
    return fail(ErrorCode::parse, "the /api/show answer has no model_info (a cloud model, or an Ollama older than 0.3)", where);
  GgufFile f;
  for (const auto& [key, value] : info->items()) {
    GgufValue v;
    if (to_gguf_value(value, v)) f.metadata.emplace(key, std::move(v));
  }
  double params = 0;
  if (const GgufValue* p = f.find("general.parameter_count"); p && p->is_number() && p->number > 0) params = p->number;
  LoadedModel out;
  LLMUX_TRY_ASSIGN(out, model_from_gguf_metadata(f, params, where));
  out.origin = "ollama " + where;
  const json details = root.value("details", json::object());
  std::string level = details.is_object() ? text_at(details, "quantization_level") : "";
  if (!level.empty()) {
    auto q = find_quant(level);
    out.quant = q ? q->name : level;
    out.quant_fixed = true;
  }
  if (const GgufValue* name = f.find("general.basename"); name && name->type == GgufType::string && !name->text.empty())
    out.spec.name = name->text;
  return out;
}

std::string ollama_show_body(const ModelSpec& m, std::string_view quant) {
  const std::string& a = m.arch == "gpt-oss" ? std::string("gptoss") : m.arch;
  json info = {{"general.architecture", a},
               {"general.basename", m.id},
               {"general.parameter_count", static_cast<std::int64_t>(std::llround(m.params_total))},
               {a + ".block_count", m.layers},
               {a + ".context_length", m.max_context},
               {a + ".embedding_length", m.hidden_size},
               {a + ".feed_forward_length", m.intermediate_size},
               {a + ".attention.head_count", m.attention_heads},
               {a + ".attention.head_count_kv", m.kv_heads},
               {a + ".attention.key_length", m.head_dim},
               {a + ".attention.value_length", m.value_head_dim()},
               {a + ".vocab_size", m.vocab_size},
               {"tokenizer.ggml.tokens", nullptr}};
  if (m.sliding_window > 0) info[a + ".attention.sliding_window"] = m.sliding_window;
  if (m.is_moe()) {
    info[a + ".expert_count"] = m.experts_total;
    info[a + ".expert_used_count"] = m.experts_active;
    info[a + ".expert_feed_forward_length"] = m.moe_intermediate_size;
    if (m.shared_experts > 0) info[a + ".expert_shared_count"] = m.shared_experts;
    if (m.dense_layers > 0) info[a + ".leading_dense_block_count"] = m.dense_layers;
  }
  if (m.kv_lora_rank > 0) {
    info[a + ".attention.kv_lora_rank"] = m.kv_lora_rank;
    info[a + ".attention.q_lora_rank"] = m.q_lora_rank;
    info[a + ".rope.dimension_count"] = m.qk_rope_head_dim;
  }
  char size[32];
  std::snprintf(size, sizeof size, "%.1fB", m.params_total / 1e9);
  json details = {{"parent_model", ""},     {"format", "gguf"},        {"family", a},
                  {"families", json::array({a})}, {"parameter_size", size}, {"quantization_level", std::string(quant)}};
  json root = {{"details", details}, {"model_info", info}, {"capabilities", json::array({"completion"})}};
  return root.dump();
}

}  // namespace llmux::catalog
