// Admission: what a request may do before it is dispatched. The privacy verdict
// (block, or keep local-only data off cloud deployments), then budgets: money
// limits steer away from deployments the key can no longer afford, and the
// worst case is reserved atomically so concurrent requests cannot overshoot.
#include <limits>

#include "core/text.hpp"
#include "gateway/gateway_impl.hpp"

namespace llmux::gateway {

namespace {

constexpr std::int64_t kDefaultMaxTokens = 4096;  // worst case when a request sets no max_tokens

// Prompt tokens, estimated on the high side (about 3 characters per token).
std::int64_t prompt_estimate(const api::ChatRequest& r) {
  return static_cast<std::int64_t>(r.all_text().size() / 3) + 16;
}

double worst_cost(const Deployment& d, std::int64_t prompt, std::int64_t output) {
  const auto& c = *d.config;
  return (static_cast<double>(prompt) * c.price_input.value_or(0) + static_cast<double>(output) * c.price_output.value_or(0)) / 1e6;
}

// What to change when a request's worst case exceeds a limit by itself: the largest max_tokens
// that fits (on the deployment that allows most), or, when none does, the prompt or the limit.
std::string fit_advice(const Refusal& over, std::int64_t prompt, const std::vector<const Deployment*>& order) {
  std::int64_t most = -1;
  if (over.limit == "tokens_per_minute") {
    most = static_cast<std::int64_t>(over.allowed) - prompt;
  } else {
    for (const Deployment* d : order) {
      double out_price = d->config->price_output.value_or(0);
      double left = over.allowed * 1e6 - static_cast<double>(prompt) * d->config->price_input.value_or(0);
      if (out_price > 0 && left > 0) most = std::max(most, static_cast<std::int64_t>(left / out_price));
    }
  }
  std::string raise = "raise " + over.limit + " for " + over.subject;
  if (most >= 1) return "set max_tokens to at most " + std::to_string(most) + ", or " + raise;
  return "the prompt alone is over the limit: shorten it, or " + raise;
}

}  // namespace

bool route_has_local(const Snapshot& snap, const RouteConfig& route) {
  for (const auto& name : route.deployments)
    if (const Deployment* d = snap.deployment(name); d && d->config->locality == Locality::local) return true;
  return false;
}

asio::awaitable<bool> Gateway::Impl::enforce_privacy(RequestContext& ctx, const RouteConfig& route,
                                                     RouteChoice& choice, net::ResponseWriter& w) {
  if (ctx.privacy) {
    if (ctx.privacy->block()) {
      ctx.refuse(403, "privacy_blocked");
      co_await send_error(w, 403, "privacy_violation", ctx.privacy->blocked_message(), nullptr, ctx.ingress);
      co_return false;
    }
    if (ctx.privacy->local_only()) {
      std::erase_if(choice.order, [&](const Deployment* d) {
        bool cloud = d->config->locality != Locality::local;
        if (cloud) choice.skipped.push_back(d->config->name + ": cloud deployment, and the data must stay local");
        return cloud;
      });
      if (choice.order.empty()) {
        ctx.refuse(503, "privacy_no_local");
        std::string message = "the request carries " + ctx.privacy->classes() +
                              ", which must stay on local deployments, and route '" + route.alias +
                              "' has none available (" + join(choice.skipped, "; ") + ")";
        net::Headers extra;
        if (!route_has_local(*ctx.snap, route)) extra.add("x-should-retry", "false");  // (SDKs retry a 503)
        co_await send_error(w, 503, "service_unavailable", message, &extra, ctx.ingress);
        co_return false;
      }
    }
  }
  co_return true;
}

asio::awaitable<bool> Gateway::Impl::admit(RequestContext& ctx, const api::ChatRequest& request,
                                           const RouteConfig& route, RouteChoice& choice, net::ResponseWriter& w) {
  const auto& cfg = ctx.snap->config;
  if (cfg.scanner) {  // (no coroutine frame on the way when there is no policy)
    ctx.privacy = classify_request(*cfg.scanner, request);
    if (ctx.privacy->redact()) ctx.redacted = redacted_copy(request, ctx.privacy->decision);
    bool allowed = co_await enforce_privacy(ctx, route, choice, w);
    if (!allowed) co_return false;
  }
  if (!ctx.key) co_return true;
  auto subjects = budgets.subjects_for(ctx.key->id, ctx.key->team);
  std::int64_t prompt = prompt_estimate(request);
  std::int64_t output = request.sampling.max_tokens.value_or(kDefaultMaxTokens);
  double left = budgets.remaining_usd(subjects, wall_now());
  double cheapest = choice.order.empty() ? 0 : std::numeric_limits<double>::infinity();
  for (const Deployment* d : choice.order) cheapest = std::min(cheapest, worst_cost(*d, prompt, output));
  // Over a limit by itself, the request can never pass: a 400 that says what to change, not a
  // 429 that clients retry forever.
  if (auto too_big = budgets.never_fits(subjects, prompt + output, cheapest)) {
    ctx.refuse(400, "budget_too_large");
    std::string message = "request larger than a budget allows: " + too_big->message + " (an estimated " +
                          std::to_string(prompt) + " prompt tokens, " + std::to_string(output) + " for the answer" +
                          (request.sampling.max_tokens ? "" : ": max_tokens is unset") + "); " +
                          fit_advice(*too_big, prompt, choice.order);
    co_await send_error(w, 400, "invalid_request_error", message, nullptr, ctx.ingress);
    co_return false;
  }
  std::erase_if(choice.order, [&](const Deployment* d) {
    bool too_dear = worst_cost(*d, prompt, output) > left;
    if (too_dear) choice.skipped.push_back(d->config->name + ": over the remaining budget");
    return too_dear;
  });
  double reserve = 0;
  for (const Deployment* d : choice.order) reserve = std::max(reserve, worst_cost(*d, prompt, output));
  tl::expected<Reservation, Refusal> r;
  if (choice.order.empty()) {
    // Name the money limit that no deployment fits, and wait for its reset (a monthly limit's
    // is the first of next month, not the next midnight).
    r = tl::unexpected(budgets.money_refusal(subjects, cheapest, wall_now()));
    r.error().message = "no deployment of route '" + route.alias + "' fits the remaining budget: " + r.error().message;
  } else {
    r = budgets.admit(subjects, prompt + output, reserve, mono_now(), wall_now());
  }
  if (!r) {
    ctx.refuse(429, "budget_" + r.error().limit);
    net::Headers extra;
    extra.add("Retry-After", std::to_string(r.error().retry_after_s));
    std::string message = "limit reached: " + r.error().message;
    co_await send_error(w, 429, "rate_limit_error", message, &extra, ctx.ingress);
    co_return false;
  }
  ctx.reservation = *r;
  co_return true;
}

}  // namespace llmux::gateway
