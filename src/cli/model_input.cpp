#include "cli/model_input.hpp"

#include "catalog/hf_config.hpp"
#include "catalog/quant_scheme.hpp"
#include "catalog/try.hpp"
#include "cli/runtime_model.hpp"
#include "core/text.hpp"
#include "plan/plan.hpp"

namespace llmux::cli {

namespace {

catalog::QuantScheme own_quant(const std::string& name) {
  if (auto q = catalog::find_quant(name)) return *q;
  return catalog::QuantScheme{name, catalog::WeightFormat::gguf, -1, name, "as stored in the file", false};
}

}  // namespace

Result<catalog::LoadedModel> load_model(const ModelSource& s, const catalog::Catalog& c) {
  int sources = !s.model.empty() + !s.gguf.empty() + !s.hf_config.empty();
  if (sources != 1)
    return fail(ErrorCode::usage, sources ? "give only one of --model, --gguf and --hf-config" : "no model given",
                "name it with --model ID (see `llmux catalog list models`), --gguf FILE or --hf-config FILE");
  if (!s.gguf.empty()) return catalog::load_gguf_model(s.gguf);
  if (!s.hf_config.empty()) return catalog::load_hf_model(s.hf_config);
  auto m = c.model(s.model);
  if (!m) {
    // A runtime's name for it ("llama3.1:8b", "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"), as compare guesses them.
    auto guess = guess_model(c, s.model);
    if (!guess) return tl::unexpected(m.error());
    catalog::LoadedModel out{**c.model(guess->model_id), {}, "", "catalog", {}};
    out.notes.push_back("'" + s.model + "' is taken as catalog model " + guess->model_id);
    return out;
  }
  return catalog::LoadedModel{**m, {}, "", "catalog", {}};
}

Result<std::vector<catalog::QuantScheme>> pick_quants(const catalog::LoadedModel& m, plan::Engine engine,
                                                      const std::string& quant) {
  bool fixed = m.quant_fixed || (!m.tensors.empty() && engine == plan::Engine::vllm);
  if (fixed && !m.quant.empty()) {
    if (!quant.empty() && !equals_icase(quant, m.quant))
      return fail(ErrorCode::usage, "the model's weights are " + m.quant + " (" + m.origin + "); --quant " + quant +
                                        " does not apply to them",
                  "drop --quant, or plan from --model/--hf-config to compare quantizations");
    return std::vector<catalog::QuantScheme>{own_quant(m.quant)};
  }
  if (!quant.empty()) {
    catalog::QuantScheme q;
    LLMUX_TRY_ASSIGN(q, catalog::find_quant(quant));
    return std::vector<catalog::QuantScheme>{q};
  }
  return plan::usual_quants(engine, m.spec);
}

}  // namespace llmux::cli
