// [[measurement]] and [[prior]] entries of data/calibration.toml.
#include "catalog/catalog.hpp"
#include "catalog/toml_records.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

std::string_view to_string(Metric m) { return m == Metric::decode_tps ? "decode_tps" : "prefill_tps"; }

Result<Measurement> measurement_from_record(const Record& r) {
  FieldReader f(r);
  Measurement m;
  LLMUX_TRY_ASSIGN(m.id, f.text("id"));
  LLMUX_TRY_ASSIGN(m.engine, f.text("engine"));
  LLMUX_TRY_ASSIGN(m.device, f.text("device"));
  LLMUX_TRY_ASSIGN(m.gpus, f.integer_or("gpus", 1));
  LLMUX_TRY_ASSIGN(m.model, f.text("model"));
  LLMUX_TRY_ASSIGN(m.quant, f.text("quant"));
  std::string metric;
  LLMUX_TRY_ASSIGN(metric, f.text("metric"));
  if (metric == "decode_tps") m.metric = Metric::decode_tps;
  else if (metric == "prefill_tps") m.metric = Metric::prefill_tps;
  else return fail(ErrorCode::config, "metric must be decode_tps or prefill_tps", r.where());
  LLMUX_TRY_ASSIGN(m.batch, f.integer_or("batch", 1));
  LLMUX_TRY_ASSIGN(m.context, f.integer_or("context", 0));
  LLMUX_TRY_ASSIGN(m.prompt_tokens, f.integer_or("prompt_tokens", 0));
  LLMUX_TRY_ASSIGN(m.value, f.number("value"));
  LLMUX_TRY_ASSIGN(m.source, f.text("source"));
  LLMUX_TRY_ASSIGN(m.date, f.text("date"));
  LLMUX_TRY_VOID(f.finish());
  if (m.value <= 0 || m.gpus <= 0 || m.batch <= 0)
    return fail(ErrorCode::config, "measurement '" + m.id + "': value, gpus and batch must be > 0", r.where());
  if (m.metric == Metric::prefill_tps && m.prompt_tokens <= 0)
    return fail(ErrorCode::config, "measurement '" + m.id + "': a prefill measurement needs prompt_tokens",
                r.where());
  return m;
}

Result<EfficiencyPrior> prior_from_record(const Record& r) {
  FieldReader f(r);
  EfficiencyPrior p;
  LLMUX_TRY_ASSIGN(p.engine, f.text("engine"));
  LLMUX_TRY_ASSIGN(p.backend, f.text("backend"));
  LLMUX_TRY_ASSIGN(p.eta_mem, f.number("eta_mem"));
  LLMUX_TRY_ASSIGN(p.layer_overhead_us, f.number("layer_overhead_us"));
  LLMUX_TRY_ASSIGN(p.eta_prefill, f.number("eta_prefill"));
  LLMUX_TRY_ASSIGN(p.quant_prefill, f.number("quant_prefill"));
  LLMUX_TRY_ASSIGN(p.eta_decode_compute, f.number("eta_decode_compute"));
  LLMUX_TRY_ASSIGN(p.band, f.number("band"));
  LLMUX_TRY_ASSIGN(p.source, f.text("source"));
  LLMUX_TRY_ASSIGN(p.date, f.text("date"));
  LLMUX_TRY_VOID(f.finish());
  if (p.eta_mem <= 0 || p.eta_mem > 1.5 || p.eta_prefill <= 0 || p.eta_prefill > 1.5)
    return fail(ErrorCode::config, "prior " + p.engine + "/" + p.backend + ": efficiencies must be in (0, 1.5]",
                r.where());
  return p;
}

}  // namespace llmux::catalog
