// Dispatch: try the route's deployments in order, retrying each on transient
// failures (connect errors, timeouts, 429 honouring Retry-After, 5xx, streams
// cut before their first byte) with backoff and jitter, then falling back to the
// next — but only while nothing has been sent to the client. After the first
// byte, an upstream failure becomes an error event and a clean end of stream.
#include <random>

#include "core/text.hpp"
#include "gateway/gateway_impl.hpp"

namespace llmux::gateway {

namespace {

enum class Verdict { done, retry, next_deployment, give_up };

// What to do after a failed attempt.
Verdict judge(const Error& e) {
  switch (e.code) {
    case ErrorCode::connect:
    case ErrorCode::timeout:
    case ErrorCode::stream_cut:
    case ErrorCode::tls:
      return e.code == ErrorCode::tls ? Verdict::next_deployment : Verdict::retry;
    case ErrorCode::http_status:
      if (e.http_status == 429 || e.http_status == 408 || e.http_status >= 500) return Verdict::retry;
      if (e.http_status == 401 || e.http_status == 403 || e.http_status == 404) return Verdict::next_deployment;
      return Verdict::give_up;  // the request itself is wrong: the client should know
    case ErrorCode::cancelled: return Verdict::give_up;
    default: return Verdict::next_deployment;
  }
}

std::string kind_of(const Error& e) {
  if (e.code == ErrorCode::http_status) return "http_" + std::to_string(e.http_status);
  return std::string(to_string(e.code));
}

// Exponential backoff with full jitter, or the server's Retry-After.
Nanos backoff(const RouteConfig& route, int attempt, std::optional<int> retry_after) {
  if (retry_after) return static_cast<Nanos>(*retry_after) * kNanosPerSecond;
  thread_local std::mt19937_64 rng(std::random_device{}());
  double cap = static_cast<double>(route.retry_backoff) * static_cast<double>(1 << std::min(attempt, 6));
  return static_cast<Nanos>(std::uniform_real_distribution<double>(0.5, 1.0)(rng) * std::min(cap, 5e9));
}

asio::awaitable<void> sleep_for(Nanos d) {
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::nanoseconds(d));
  error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

int client_status_for(const Error& e) {
  // The upstream refused the gateway's own credentials or does not know the configured
  // model (401, 403, 404): the gateway is at fault, not the client's request.
  if (e.code == ErrorCode::http_status && (e.http_status == 401 || e.http_status == 403 || e.http_status == 404))
    return 502;
  if (e.code == ErrorCode::http_status && e.http_status >= 400 && e.http_status < 500) return e.http_status;
  if (e.code == ErrorCode::timeout) return 504;
  // The request cannot be put to this deployment's API (a part with no equivalent
  // there): the client's request, not the upstream, is what fails.
  if (e.code == ErrorCode::usage) return 400;
  return 502;
}

}  // namespace

asio::awaitable<Result<void>> Gateway::Impl::send_upstream(RequestContext& ctx, const Deployment& d,
                                                          api::ChatRequest& upstream, Relay& relay,
                                                          net::CancelSignal& cancel) {
  if (ctx.privacy && d.config->locality != Locality::local) {
    // The invariant, checked where bytes leave: no local-only data to a cloud
    // deployment, and no unredacted text where the policy says redact.
    bool leak = ctx.privacy->local_only() || ctx.privacy->block() ||
                (ctx.privacy->redact() && (!ctx.redacted || upstream.messages.size() != ctx.redacted->messages.size()));
    if (leak) {
      metrics.upstream_error(d.config->name, "privacy_refused");
      co_return fail(ErrorCode::rejected, "privacy: refused to send " + ctx.privacy->classes() +
                                              " to cloud deployment " + d.config->name);
    }
  }
  auto& client = thread_client(co_await asio::this_coro::executor);
  std::optional<providers::Endpoint> with_beta;  // rare: a copy only when the client opted into betas
  if (!ctx.anthropic_beta.empty() && d.config->dialect == api::Dialect::anthropic) {
    with_beta = d.endpoint;
    with_beta->headers.add("anthropic-beta", ctx.anthropic_beta);
  }
  const providers::Endpoint& endpoint = with_beta ? *with_beta : d.endpoint;
  Nanos t0 = mono_now();
  auto r = co_await client.send(endpoint, upstream, relay, &cancel);
  ctx.upstream_ns += mono_now() - t0;
  co_return r;
}

std::string Gateway::Impl::request_timeout_passed(const Snapshot& snap, const std::string& what) {
  return "request_timeout (" + format_duration_ms(to_ms(snap.config.server.request_timeout)) + ") passed while " + what;
}

asio::awaitable<void> Gateway::Impl::send_shutting_down(net::ResponseWriter& w, const api::ServerCodec* codec) {
  net::Headers extra;
  extra.add("Retry-After", "1");
  co_await send_error(w, 503, "service_unavailable", "the gateway is shutting down; retry", &extra, codec);
}

std::optional<Error> Gateway::Impl::breaker_refusal(const RequestContext& ctx, const Deployment& d) {
  if (d.state->breaker.allow(mono_now(), ctx.snap->config.breaker)) return std::nullopt;
  d.state->limiter.release();
  return Error{ErrorCode::unavailable, "circuit open for deployment " + d.config->name, {}, 0};
}

asio::awaitable<std::optional<Error>> Gateway::Impl::wait_for_slot(RequestContext& ctx, const Deployment& d,
                                                                  Nanos deadline, net::CancelSignal& cancel,
                                                                  net::ResponseWriter& w) {
  Nanos queued = mono_now();
  bool admitted = co_await d.state->limiter.acquire(deadline, &cancel);
  ctx.upstream_ns += mono_now() - queued;
  if (admitted && w.client_gone()) {  // it left just as its turn came
    d.state->limiter.release();
    admitted = false;
  }
  if (!admitted) {
    if (w.client_gone()) co_return Error{ErrorCode::cancelled, "the client left while queued", {}, 0};
    if (mono_now() >= deadline)
      co_return Error{ErrorCode::timeout,
                      request_timeout_passed(*ctx.snap, "queued for deployment " + d.config->name +
                                                            " (at its concurrency limit)"),
                      {}, 0};
    co_return Error{ErrorCode::unavailable, "deployment " + d.config->name + " is at its concurrency limit", {}, 0};
  }
  co_return breaker_refusal(ctx, d);
}

asio::awaitable<void> Gateway::Impl::dispatch(RequestContext& ctx, api::ChatRequest& request,
                                              const RouteChoice& choice, const RouteConfig& route,
                                              net::ResponseWriter& w) {
  const Nanos deadline = ctx.start + ctx.snap->config.server.request_timeout;
  api::ResponseMeta meta{ctx.id, request.model, wall_now() / kNanosPerSecond};
  if (request.stream && ctx.ingress->dialect() == api::Dialect::anthropic)
    meta.prompt_estimate = request.estimate_prompt_tokens();  // message_start's, until an upstream's count
  Relay relay(w, *ctx.ingress, request, meta);
  relay.scrub_with(&ctx.snap->secrets);
  net::CancelSignal cancel;
  w.watch_disconnect([&cancel] { cancel.cancel(); });  // a client that leaves cancels its upstream at once
  DeadlineGuard guard(co_await asio::this_coro::executor, deadline, cancel, &relay);
  InFlightRegistration in_flight(cancel);
  std::optional<Error> last;
  const Deployment* previous = nullptr;
  for (const Deployment* d : choice.order) {
    if (previous) metrics.fallback(previous->config->name, d->config->name);
    previous = d;
    ctx.deployment = d;
    for (int attempt = 0; attempt <= route.retries; ++attempt) {
      if (mono_now() >= deadline || w.client_gone()) break;
      std::optional<Error> refused;  // a free slot needs no coroutine; a full deployment queues
      if (d->state->limiter.try_acquire()) refused = breaker_refusal(ctx, *d);
      else refused = co_await wait_for_slot(ctx, *d, deadline, cancel, w);
      if (refused) {
        last = std::move(*refused);
        break;
      }
      // Cloud deployments see the redacted text when the policy says redact.
      bool redact = ctx.redacted && d->config->locality == Locality::cloud;
      api::ChatRequest& upstream = redact ? *ctx.redacted : request;
      ++ctx.attempts;
      relay.reset_attempt();  // before the request changes below: the relay keeps the client's view
      bool restore = redact && ctx.snap->config.privacy && ctx.snap->config.privacy->restore;
      relay.restore_with(restore ? &ctx.privacy->decision.redactions : nullptr);
      d->state->in_flight.fetch_add(1);
      // The upstream sees its own model id and always reports usage, whatever the client
      // asked; the request is changed in place for the attempt and put back after it (no
      // copy of the whole conversation per attempt).
      std::string model = d->config->model;
      std::swap(upstream.model, model);
      bool asked_usage = upstream.include_usage;
      if (upstream.stream) upstream.include_usage = true;
      auto r = co_await send_upstream(ctx, *d, upstream, relay, cancel);
      std::swap(upstream.model, model);
      upstream.include_usage = asked_usage;
      const bool past_deadline = !r && guard.fired() && !w.client_gone();
      if (past_deadline)
        r = tl::unexpected(Error{ErrorCode::timeout,
                                 request_timeout_passed(*ctx.snap, "waiting on deployment " + d->config->name), {}, 0});
      if (r && relay.stream_error() && !relay.saw_events())
        r = tl::unexpected(Error{ErrorCode::http_status, "upstream error: " + relay.stream_error()->message, {}, 502});
      d->state->in_flight.fetch_sub(1);
      d->state->limiter.release();
      if (r) {
        d->state->breaker.on_success();
        if (relay.first_token()) d->state->observe_ttft(to_ms(relay.first_token() - ctx.start));
        co_await relay.finish_ok();
        ctx.status = 200;
        ctx.usage = request.stream ? relay.streamed_usage() : relay.usage();
        ctx.first_token = relay.first_token();
        co_return;
      }
      last = r.error();
      if (in_flight.shutdown() && !w.client_gone()) {  // the gateway is stopping and its grace period is over
        d->state->breaker.abandon();
        ctx.error_kind = "shutdown";
        if (relay.started()) {
          ctx.usage = relay.streamed_usage();
          ctx.first_token = relay.first_token();
          ctx.status = 200;
          co_await relay.finish_with_error("the gateway is shutting down; the answer is incomplete", "api_error");
          co_return;
        }
        ctx.status = 503;
        co_await send_shutting_down(w, ctx.ingress);
        co_return;
      }
      // The client left, or its deadline passed: the gateway gave up, not the deployment.
      // Nor did it fail when the request cannot be put in its API (nothing was sent).
      const bool gave_up = last->code == ErrorCode::cancelled || past_deadline || w.client_gone();
      if (gave_up || last->code == ErrorCode::usage) d->state->breaker.abandon();
      else {
        metrics.upstream_error(d->config->name, kind_of(*last));
        d->state->breaker.on_failure(mono_now(), ctx.snap->config.breaker);
      }
      if (relay.started()) {  // the client already has bytes: what it got is accounted for
        ctx.usage = relay.streamed_usage();
        ctx.first_token = relay.first_token();
        if (w.client_gone()) {  // it left: its leaving cancelled the upstream
          ctx.status = 499;
          ctx.error_kind = "client_gone";
          co_return;
        }
        // End its stream cleanly, with the error.
        co_await relay.finish_with_error(
            scrub_secrets("upstream " + d->config->name + " failed mid-stream: " + last->message, ctx.snap->secrets),
            "api_error");
        ctx.status = 200;
        ctx.error_kind = "upstream_" + kind_of(*last) + "_mid_stream";
        co_return;
      }
      Verdict v = judge(*last);
      if (v == Verdict::give_up) {
        ctx.status = last->code == ErrorCode::cancelled ? 499 : client_status_for(*last);
        ctx.error_kind = last->code == ErrorCode::cancelled ? "client_gone" : kind_of(*last);
        if (!w.client_gone()) {
          // The client's request is at fault: it gets the upstream's own words (message,
          // type, code, param) in its API's shape.
          api::ApiError e = relay.upstream_error().value_or(api::ApiError{});
          e.http_status = ctx.status;
          if (e.message.empty()) e.message = last->message;
          if (e.type.empty()) e.type = "invalid_request_error";
          co_await w.send(ctx.status, "application/json", ctx.ingress->encode_error(e));
        }
        co_return;
      }
      if (v == Verdict::next_deployment || attempt == route.retries) break;
      Nanos wait = backoff(route, attempt, relay.retry_after_s());
      if (mono_now() + wait >= deadline) break;
      metrics.retry(d->config->name);
      Nanos slept = mono_now();
      co_await sleep_for(wait);
      ctx.upstream_ns += mono_now() - slept;
    }
  }
  // Nothing worked (or nothing could be tried).
  if (w.client_gone()) {
    ctx.status = 499;
    ctx.error_kind = "client_gone";
    co_return;
  }
  std::string why = last ? last->message : "no deployment available";
  for (const auto& s : choice.skipped) why += "; skipped " + s;
  ctx.status = !last || last->code == ErrorCode::unavailable ? 503 : client_status_for(*last);
  if (last && last->code == ErrorCode::http_status && last->http_status == 429) ctx.status = 429;
  ctx.error_kind = last ? kind_of(*last) : "unavailable";
  net::Headers extra;
  if (ctx.status == 429 || ctx.status == 503) extra.add("Retry-After", std::to_string(relay.retry_after_s().value_or(1)));
  std::string type = ctx.status == 503 ? "service_unavailable" : ctx.status == 400 ? "invalid_request_error" : "api_error";
  std::string message = scrub_secrets("route '" + route.alias + "' failed: " + why, ctx.snap->secrets);
  co_await send_error(w, ctx.status, type, message, &extra, ctx.ingress);
}

}  // namespace llmux::gateway
