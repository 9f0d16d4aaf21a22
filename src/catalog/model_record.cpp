// [[model]] entries -> ModelSpec, with the required architecture fields named
// when missing and consistency checks (heads divide evenly, MoE fields agree).
#include "catalog/catalog.hpp"
#include "catalog/toml_records.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

namespace {

Result<void> read_architecture(FieldReader& f, ModelSpec& m) {
  LLMUX_TRY_ASSIGN(m.arch, f.text("arch"));
  LLMUX_TRY_ASSIGN(m.layers, f.integer("layers"));
  LLMUX_TRY_ASSIGN(m.hidden_size, f.integer("hidden_size"));
  LLMUX_TRY_ASSIGN(m.attention_heads, f.integer("attention_heads"));
  LLMUX_TRY_ASSIGN(m.kv_heads, f.integer("kv_heads"));
  LLMUX_TRY_ASSIGN(m.head_dim, f.integer_or("head_dim", m.attention_heads ? m.hidden_size / m.attention_heads : 0));
  LLMUX_TRY_ASSIGN(m.v_head_dim, f.integer_or("v_head_dim", 0));
  LLMUX_TRY_ASSIGN(m.vocab_size, f.integer("vocab_size"));
  LLMUX_TRY_ASSIGN(m.intermediate_size, f.integer_or("intermediate_size", 0));
  LLMUX_TRY_ASSIGN(m.moe_intermediate_size, f.integer_or("moe_intermediate_size", 0));
  LLMUX_TRY_ASSIGN(m.experts_total, f.integer_or("experts_total", 0));
  LLMUX_TRY_ASSIGN(m.experts_active, f.integer_or("experts_active", 0));
  LLMUX_TRY_ASSIGN(m.shared_experts, f.integer_or("shared_experts", 0));
  LLMUX_TRY_ASSIGN(m.dense_layers, f.integer_or("dense_layers", 0));
  LLMUX_TRY_ASSIGN(m.max_context, f.integer("max_context"));
  LLMUX_TRY_ASSIGN(m.sliding_window, f.integer_or("sliding_window", 0));
  LLMUX_TRY_ASSIGN(m.sliding_window_pattern, f.integer_or("sliding_window_pattern", 0));
  LLMUX_TRY_ASSIGN(m.kv_lora_rank, f.integer_or("kv_lora_rank", 0));
  LLMUX_TRY_ASSIGN(m.q_lora_rank, f.integer_or("q_lora_rank", 0));
  LLMUX_TRY_ASSIGN(m.qk_rope_head_dim, f.integer_or("qk_rope_head_dim", 0));
  LLMUX_TRY_ASSIGN(m.tie_embeddings, f.flag_or("tie_embeddings", false));
  LLMUX_TRY_ASSIGN(m.attention_bias, f.flag_or("attention_bias", false));
  return {};
}

Result<void> check_architecture(const ModelSpec& m, const std::string& where) {
  auto bad = [&](const std::string& why) { return fail(ErrorCode::config, "model '" + m.id + "': " + why, where); };
  if (m.layers <= 0 || m.hidden_size <= 0 || m.attention_heads <= 0 || m.vocab_size <= 0 || m.max_context <= 0)
    return bad("layers, hidden_size, attention_heads, vocab_size and max_context must be > 0");
  if (!m.is_mla() && (m.kv_heads <= 0 || m.attention_heads % m.kv_heads != 0))
    return bad("attention_heads must be a multiple of kv_heads");
  if (m.head_dim <= 0) return bad("head_dim must be > 0");
  if (m.is_moe()) {
    if (m.experts_active <= 0 || m.experts_active > m.experts_total)
      return bad("experts_active must be between 1 and experts_total");
    if (m.moe_intermediate_size <= 0) return bad("an MoE model needs moe_intermediate_size");
  } else if (m.intermediate_size <= 0) {
    return bad("a dense model needs intermediate_size");
  }
  if (m.dense_layers > 0 && m.intermediate_size <= 0) return bad("dense_layers needs intermediate_size");
  if (m.is_mla() && m.qk_rope_head_dim <= 0) return bad("an MLA model needs qk_rope_head_dim");
  if (m.params_active > m.params_total) return bad("params_active is larger than params_total");
  return {};
}

}  // namespace

Result<ModelSpec> model_from_record(const Record& r) {
  FieldReader f(r);
  ModelSpec m;
  LLMUX_TRY_ASSIGN(m.id, f.text("id"));
  m.name = f.text_or("name", m.id);
  m.family = f.text_or("family", "");
  LLMUX_TRY_ASSIGN(m.params_total, f.number("params_total"));
  LLMUX_TRY_ASSIGN(m.params_active, f.number_or("params_active", m.params_total));
  LLMUX_TRY_ASSIGN(m.params_extra, f.number_or("params_extra", 0));
  if (auto a = read_architecture(f, m); !a) return tl::unexpected(a.error());
  m.hf_repo = f.text_or("hf_repo", "");
  m.license = f.text_or("license", "");
  LLMUX_TRY_ASSIGN(m.source, f.text("source"));
  LLMUX_TRY_ASSIGN(m.date, f.text("date"));
  LLMUX_TRY_ASSIGN(m.aliases, f.strings_or("aliases"));
  if (auto s = f.finish(); !s) return tl::unexpected(s.error());
  if (auto c = check_architecture(m, r.where()); !c) return tl::unexpected(c.error());
  return m;
}

}  // namespace llmux::catalog
