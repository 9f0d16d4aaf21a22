// After a request: one ledger row, the metrics, one JSON access-log line.
#include "core/json_writer.hpp"
#include "gateway/gateway_impl.hpp"

namespace llmux::gateway {

double Gateway::Impl::cost_of(const Deployment& d, const api::Usage& u) const {
  const auto& c = *d.config;
  double in = c.price_input.value_or(0), out = c.price_output.value_or(0);
  double cached = c.price_cached_input.value_or(in);
  auto uncached = std::max<std::int64_t>(0, u.prompt_tokens - u.cached_prompt_tokens);
  return (static_cast<double>(uncached) * in + static_cast<double>(u.cached_prompt_tokens) * cached +
          static_cast<double>(u.completion_tokens) * out) / 1e6;
}

std::string elide(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(text.substr(0, cut)) + "... (" + std::to_string(text.size()) + " bytes)";
}

void Gateway::Impl::account(const RequestContext& ctx) {
  Nanos end = mono_now();
  LedgerRow row;
  row.ts_ms = wall_now() / kNanosPerMilli;
  row.request_id = ctx.id;
  if (ctx.key) {
    row.key_id = ctx.key->id;
    row.team = ctx.key->team;
  }
  row.route = elide(ctx.route);  // a client may send any name: the ledger and log get a bounded one
  if (ctx.deployment) {
    row.deployment = ctx.deployment->config->name;
    row.locality = std::string(to_string(ctx.deployment->config->locality));
    row.model = ctx.deployment->config->model;
    row.cost_usd = cost_of(*ctx.deployment, ctx.usage);
  }
  row.status = ctx.status;
  row.error_kind = ctx.error_kind;
  row.prompt_tokens = ctx.usage.prompt_tokens;
  row.completion_tokens = ctx.usage.completion_tokens;
  row.cached_tokens = ctx.usage.cached_prompt_tokens;
  row.reasoning_tokens = ctx.usage.reasoning_tokens;
  row.ttft_ms = ctx.first_token ? to_ms(ctx.first_token - ctx.start) : 0;
  row.e2e_ms = to_ms(end - ctx.start);
  row.stream = ctx.stream;
  row.attempts = ctx.attempts;
  if (ctx.privacy) {
    row.privacy_classes = ctx.privacy->classes();
    row.privacy_action = std::string(privacy::to_string(ctx.privacy->decision.action));
  }
  if (ctx.reservation) budgets.settle(*ctx.reservation, ctx.usage.prompt_tokens + ctx.usage.completion_tokens, row.cost_usd);

  // Metrics keep a series per configured route only: a name a client made up (an
  // unknown model, a typo, a scan) counts under "(unknown)", so clients cannot grow
  // /metrics and the gateway's memory without bound. The ledger and log keep the name.
  std::string_view metric_route = row.route;
  if (!ctx.route.empty() && !(ctx.snap && ctx.snap->config.route(ctx.route))) metric_route = kUnknownRouteLabel;
  RequestMetricsEvent m{ctx.operation, metric_route, row.deployment, row.locality, row.model, row.status, row.error_kind,
                        row.e2e_ms / 1e3, row.ttft_ms / 1e3, row.prompt_tokens, row.completion_tokens,
                        row.cost_usd, row.stream};
  if (ctx.deployment) m.provider = ctx.deployment->provider_name;
  metrics.request_finished(m);
  if (ctx.attempts > 0) metrics.overhead_ns.record(end - ctx.start - ctx.upstream_ns);

  if (access_log) {
    std::string line;
    JsonWriter j(line);
    j.begin_object().field("ts_ms", row.ts_ms).field("id", row.request_id).field("operation", ctx.operation).field("key", row.key_id)
        .field("route", row.route).field("deployment", row.deployment).field("locality", row.locality)
        .field("status", row.status).field("error", row.error_kind).field("attempts", row.attempts)
        .field("prompt_tokens", row.prompt_tokens).field("completion_tokens", row.completion_tokens)
        .field("ttft_ms", row.ttft_ms).field("e2e_ms", row.e2e_ms).field("cost_usd", row.cost_usd).end_object();
    line += '\n';
    std::lock_guard lock(log_mu);
    if (log_buffer.size() < (16u << 20)) log_buffer += line;  // bounded: a stuck disk never eats memory
  }
  if (ledger && ctx.ledgered) ledger->record(std::move(row));
}

}  // namespace llmux::gateway
