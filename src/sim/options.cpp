#include "sim/options.hpp"

namespace llmux::sim {

Result<void> validate(const SimOptions& o) {
  auto bad = [](std::string what, std::string flag) { return fail(ErrorCode::usage, std::move(what), std::move(flag)); };
  auto prob = [](double p) { return p >= 0.0 && p <= 1.0; };
  if (o.threads < 1 || o.threads > 256) return bad("threads must be between 1 and 256", "--threads");
  if (o.profile == ProfileKind::batch && o.threads != 1)
    return bad("the batch profile runs one engine on one thread; use --threads 1", "--threads");
  if (o.fixed.tokens_per_chunk < 1) return bad("tokens per chunk must be at least 1", "--tokens-per-chunk");
  if (o.spin < 0 || o.spin > 10 * kNanosPerMilli)
    return bad("spin must be between 0 and 10ms", "--spin");
  if (o.fixed.jitter < 0 || o.fixed.jitter >= 1) return bad("jitter must be in [0, 1)", "--jitter");
  if (o.batch.max_batch < 1) return bad("max batch must be at least 1", "--max-batch");
  if (o.batch.max_queue < 0) return bad("max queue must not be negative", "--max-queue");
  if (!prob(o.faults.error_rate) || !prob(o.faults.rate_limit_rate) || !prob(o.faults.cut_rate) ||
      !prob(o.faults.stall_rate) || !prob(o.faults.malformed_rate))
    return bad("fault rates are probabilities between 0 and 1", "--error-rate/--rate-limit-rate/...");
  for (int s : o.faults.error_statuses)
    if (s < 400 || s > 599) return bad("error statuses must be 4xx or 5xx, got " + std::to_string(s), "--error-status");
  if (o.faults.error_statuses.empty()) return bad("give at least one error status", "--error-status");
  if (o.models.empty()) return bad("give at least one model name", "--model");
  if (o.faults.retry_after_s < 0) return bad("Retry-After seconds must not be negative", "--retry-after");
  if (o.faults.cut_after_tokens < 0 || o.faults.stall_after_tokens < 0)
    return bad("token counts before a cut or a stall must not be negative", "--cut-after/--stall-after");
  if (o.max_context < 1) return bad("the context limit must be at least 1 token", "--max-context");
  if (o.default_max_tokens < 1 || o.natural_mean_tokens < 1)
    return bad("token lengths must be at least 1", "--default-max-tokens/--natural-tokens");
  return {};
}

}  // namespace llmux::sim
