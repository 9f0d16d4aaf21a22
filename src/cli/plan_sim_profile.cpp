#include "cli/plan_sim_profile.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "catalog/ollama_show.hpp"
#include "catalog/quant_scheme.hpp"
#include "catalog/try.hpp"
#include "plan/format.hpp"
#include "plan/sim_timing.hpp"

namespace llmux::cli {

namespace {

struct LinearStep {
  double base_s = 0, per_seq_s = 0;
};

// Least-squares line through the modelled decode step at batch 1, 2, 4, ... max_batch:
// the sim's step is linear in the running sequences, the model's is a roofline.
LinearStep fit_decode(const plan::SimTiming& t, int max_batch, double context) {
  std::vector<double> xs, ys;
  for (int b = 1; b <= max_batch; b *= 2) xs.push_back(b), ys.push_back(t.decode_step_seconds(b, context));
  if (xs.back() != max_batch) xs.push_back(max_batch), ys.push_back(t.decode_step_seconds(max_batch, context));
  if (xs.size() < 2) return {ys.front(), 0};
  double n = static_cast<double>(xs.size()), sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) sx += xs[i], sy += ys[i], sxx += xs[i] * xs[i], sxy += xs[i] * ys[i];
  double slope = std::max(0.0, (n * sxy - sx * sy) / std::max(1e-30, n * sxx - sx * sx));
  // The slope from the fit; the base so that one user alone sees the modelled step exactly.
  return {std::max(0.0, ys.front() - slope), slope};
}

Nanos to_ns(double s) { return static_cast<Nanos>(std::llround(s * 1e9)); }

}  // namespace

Result<sim::SimOptions> sim_options_from_plan(const catalog::Catalog& cat, const std::string& model, const std::string& quant,
                                              const std::string& gpu, int gpus, const PlanSimTuning& tuning) {
  plan::SimTimingRequest req;
  req.model = model, req.quant = quant, req.gpu = gpu, req.gpus = gpus, req.engine = tuning.engine, req.ctx = tuning.ctx;
  plan::SimTiming t;
  LLMUX_TRY_ASSIGN(t, plan::sim_timing(cat, req));
  if (!t.fits) return fail(ErrorCode::usage, t.description + " does not fit: the simulated server would have no speed to imitate",
                           "pick a smaller model or quantization, or more GPUs");
  int max_batch = std::clamp(t.max_batch, 1, std::max(1, tuning.max_batch_cap));
  int prompt = tuning.prompt_tokens > 0 ? tuning.prompt_tokens : std::max(1, tuning.ctx / 2);
  LinearStep step = fit_decode(t, max_batch, prompt);
  sim::SimOptions o;
  o.models = {model};
  o.max_context = tuning.ctx;
  o.profile = sim::ProfileKind::batch;
  o.batch.max_batch = max_batch;
  o.batch.decode_base = to_ns(step.base_s);
  o.batch.decode_per_seq = to_ns(step.per_seq_s);
  o.batch.prefill_per_token = to_ns(t.prefill_seconds(prompt) / prompt);
  o.description = "timing from the plan's speed model for " + t.description + ": decode step " +
                  plan::fmt("%.2f ms", step.base_s * 1e3) + " + " + plan::fmt("%.3f ms", step.per_seq_s * 1e3) +
                  " per sequence, prefill " + plan::fmt("%.3f ms", o.batch.prefill_per_token / 1e6) + "/token, max batch " +
                  std::to_string(max_batch);
  // An Ollama sim's /api/show describes the model it imitates, as Ollama does.
  if (auto spec = cat.model(model)) {
    auto q = catalog::find_quant(quant);
    o.ollama_show = catalog::ollama_show_body(**spec, q ? q->name : quant);
  }
  LLMUX_TRY_VOID(sim::validate(o));
  return o;
}

}  // namespace llmux::cli
