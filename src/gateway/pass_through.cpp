// Requests the gateway passes to an upstream as JSON, without translating them:
// embeddings (to OpenAI-dialect deployments) and Anthropic token counts (to Anthropic
// deployments; for the others the gateway estimates). They go under the same rules as
// chat: the key and its routes, the privacy policy, request_timeout, the deployments'
// concurrency limits and breakers, and a client that leaves cancels the upstream request.
#include <nlohmann/json.hpp>

#include "api/codec_util.hpp"
#include "core/json_writer.hpp"
#include "gateway/gateway_impl.hpp"

namespace llmux::gateway {

namespace {

// The body a deployment gets: the client's, or its redacted copy for a cloud one, with
// the deployment's model name.
std::string body_for(const Deployment& d, const nlohmann::json& doc, const std::string& redacted) {
  bool cloud = d.config->locality != Locality::local;
  auto body = cloud && !redacted.empty() ? nlohmann::json::parse(redacted) : doc;
  body["model"] = d.config->model;
  return body.dump();
}

// An Anthropic count's answer: {"input_tokens": N}, N a count.
bool counted_tokens(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object()) return false;
  auto n = doc.find("input_tokens");
  return n != doc.end() && n->is_number_integer() && n->get<std::int64_t>() >= 0;
}

}  // namespace

PassThrough::PassThrough(asio::any_io_executor ex, Nanos deadline_at, net::ResponseWriter& w)
    : deadline(deadline_at), guard(ex, deadline_at, cancel, nullptr), in_flight(cancel) {
  w.watch_disconnect([this] { cancel.cancel(); });
}

asio::awaitable<PassOutcome> Gateway::Impl::pass_attempt(RequestContext& ctx, PassThrough& p, const Deployment& d,
                                                         std::string_view path, std::string body,
                                                         const net::Headers* extra, net::ResponseWriter& w,
                                                         net::HttpResponse& out) {
  const Snapshot& snap = *ctx.snap;
  const std::string& name = d.config->name;
  if (w.client_gone() || mono_now() >= p.deadline) co_return PassOutcome::stop;
  if (ctx.privacy && d.config->locality != Locality::local && (ctx.privacy->local_only() || ctx.privacy->block())) {
    p.why += "; " + name + ": cloud deployment, and the data must stay local";  // (the invariant, where bytes leave)
    co_return PassOutcome::next;
  }
  std::optional<Error> refused;
  if (d.state->limiter.try_acquire()) refused = breaker_refusal(ctx, d);
  else refused = co_await wait_for_slot(ctx, d, p.deadline, p.cancel, w);
  if (refused) {
    p.why += "; " + refused->message;
    p.timed_out = refused->code == ErrorCode::timeout;
    p.unavailable = refused->code == ErrorCode::unavailable;
    co_return PassOutcome::next;
  }
  p.unavailable = false;
  ctx.deployment = &d;
  ++ctx.attempts;
  std::optional<providers::Endpoint> with_extra;  // rare: a copy only for extra headers
  if (extra) {
    with_extra = d.endpoint;
    for (const auto& h : extra->items()) with_extra->headers.add(h.name, h.value);
  }
  auto& client = thread_client(co_await asio::this_coro::executor);
  Nanos sent = mono_now();
  d.state->in_flight.fetch_add(1);
  const providers::Endpoint& endpoint = with_extra ? *with_extra : d.endpoint;
  auto resp = co_await client.post_json(endpoint, path, std::move(body), &p.cancel);
  d.state->in_flight.fetch_sub(1);
  d.state->limiter.release();
  ctx.upstream_ns += mono_now() - sent;
  if (!resp) {
    if (p.in_flight.shutdown() && !w.client_gone()) {
      d.state->breaker.abandon();
      ctx.refuse(503, "shutdown");
      co_await send_shutting_down(w, ctx.ingress);
      co_return PassOutcome::done;
    }
    if (p.guard.fired() || w.client_gone()) {  // the gateway gave up, not the deployment
      d.state->breaker.abandon();
      p.timed_out = !w.client_gone();
      if (p.timed_out) p.why += "; " + request_timeout_passed(snap, "waiting on deployment " + name);
      co_return PassOutcome::stop;
    }
    d.state->breaker.on_failure(mono_now(), snap.config.breaker);
    metrics.upstream_error(name, std::string(to_string(resp.error().code)));
    p.why += "; " + name + ": " + resp.error().message;
    p.timed_out = resp.error().code == ErrorCode::timeout;
    co_return PassOutcome::next;
  }
  p.timed_out = false;
  int status = resp->status;
  if (status == 429) {  // busy, not broken: the next deployment may have room, else the client gets this
    d.state->breaker.on_success();
    metrics.upstream_error(name, "http_429");
    p.why += "; " + name + ": HTTP 429";
    resp->body = scrub_secrets(resp->body, snap.secrets);
    p.rate_limited = std::move(*resp);
    co_return PassOutcome::next;
  }
  // 5xx, no such endpoint there (404, 405), or the gateway's own credentials refused
  // (401, 403): the next deployment may do better.
  if (status >= 500 || status == 404 || status == 405 || status == 401 || status == 403) {
    if (status >= 500) d.state->breaker.on_failure(mono_now(), snap.config.breaker);
    else d.state->breaker.on_success();  // it answers: no reason to keep chat away from it
    metrics.upstream_error(name, "http_" + std::to_string(status));
    p.why += "; " + name + ": HTTP " + std::to_string(status);
    co_return PassOutcome::next;
  }
  d.state->breaker.on_success();
  ctx.status = status;
  if (status >= 400) {
    ctx.error_kind = "http_" + std::to_string(status);
    resp->body = scrub_secrets(resp->body, snap.secrets);  // an echoed key stays here
  }
  out = std::move(*resp);
  co_return PassOutcome::answered;
}

asio::awaitable<void> Gateway::Impl::pass_failed(RequestContext& ctx, PassThrough& p, const RouteConfig& route,
                                                 std::string_view what, std::string_view none,
                                                 net::ResponseWriter& w) {
  if (w.client_gone()) co_return ctx.refuse(499, "client_gone");
  net::Headers extra;
  if (p.rate_limited && !p.timed_out) {  // one was only busy: its 429 and Retry-After, for the client to wait
    ctx.refuse(429, "http_429");
    if (auto after = p.rate_limited->headers.get("retry-after")) extra.add("Retry-After", std::string(*after));
    co_return co_await w.send(429, p.rate_limited->headers.get("content-type").value_or("application/json"),
                              p.rate_limited->body, &extra);
  }
  if (p.why.empty()) p.why = std::string("; ") + std::string(none);
  bool kept_local = ctx.privacy && ctx.privacy->local_only() && ctx.attempts == 0;
  if (kept_local) ctx.refuse(503, "privacy_no_local");
  else if (p.unavailable) ctx.refuse(503, "unavailable");  // the last one's circuit open or its queue full, as chat
  else ctx.refuse(p.timed_out ? 504 : 502, p.timed_out ? "timeout" : "upstream");
  if (kept_local && !route_has_local(*ctx.snap, route)) extra.add("x-should-retry", "false");
  if (p.unavailable && !kept_local) extra.add("Retry-After", "1");
  std::string type = ctx.status == 503 ? "service_unavailable" : "api_error";
  co_await send_error(w, ctx.status, type,
                      scrub_secrets("no deployment of route '" + route.alias + "' answered " + std::string(what) + p.why,
                                    ctx.snap->secrets),
                      &extra, ctx.ingress);
}

asio::awaitable<bool> Gateway::Impl::scan_body(RequestContext& ctx, std::string_view body,
                                               const api::ChatRequest* decoded, std::string& redacted,
                                               net::ResponseWriter& w) {
  auto verdict = classify_body(*ctx.snap->config.scanner, body, decoded);
  if (!verdict) {
    ctx.refuse(400, "bad_request");
    co_await send_error(w, 400, "invalid_request_error", verdict.error().message, nullptr, ctx.ingress);
    co_return false;
  }
  ctx.privacy = std::move(*verdict);
  if (ctx.privacy->block()) {
    ctx.refuse(403, "privacy_blocked");
    co_await send_error(w, 403, "privacy_violation", ctx.privacy->blocked_message(), nullptr, ctx.ingress);
    co_return false;
  }
  if (ctx.privacy->redact()) redacted = redacted_body(body, ctx.privacy->decision, decoded != nullptr);
  co_return true;
}

// Embeddings go as they are to the first OpenAI-dialect deployment that answers; every
// string of the body is scanned (member names too), and cloud deployments get the
// redacted copy where the policy says so.
asio::awaitable<void> Gateway::Impl::embeddings(net::ServerRequest& req, net::ResponseWriter& w) {
  bool ok = false;
  RequestContext ctx = open_request(req, w, ok);
  const Snapshot& snap = *ctx.snap;
  if (!ok) {
    ctx.refuse(401, "auth");
    co_await send_error(w, 401, "authentication_error", "invalid or missing API key");
    co_return account(ctx);
  }
  auto doc = nlohmann::json::parse(req.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("model") || !doc["model"].is_string()) {
    ctx.refuse(400, "bad_request");
    co_await send_error(w, 400, "invalid_request_error", "embeddings request needs a string \"model\"");
    co_return account(ctx);
  }
  ctx.route = doc["model"].get<std::string>();
  const RouteConfig* route = snap.config.route(ctx.route);
  if (!route) {
    ctx.refuse(404, "unknown_model");
    co_await send_error(w, 404, "invalid_request_error", unknown_route_message(snap, ctx.route));
    co_return account(ctx);
  }
  if (!key_allows(ctx.key, *route)) {
    ctx.refuse(403, "forbidden_route");
    co_await send_error(w, 403, "permission_error", "this key may not use model '" + route->alias + "'");
    co_return account(ctx);
  }
  std::string redacted;  // the body cloud deployments see when the policy says redact
  if (snap.config.scanner) {
    bool passed = co_await scan_body(ctx, req.body, nullptr, redacted, w);
    if (!passed) co_return account(ctx);
  }
  PassThrough p(co_await asio::this_coro::executor, ctx.start + snap.config.server.request_timeout, w);
  for (const auto& name : route->deployments) {
    const Deployment* d = snap.deployment(name);
    if (!d || d->config->dialect != api::Dialect::openai) continue;
    net::HttpResponse resp;
    auto outcome = co_await pass_attempt(ctx, p, *d, "embeddings", body_for(*d, doc, redacted), nullptr, w, resp);
    if (outcome == PassOutcome::next) continue;
    if (outcome == PassOutcome::stop) break;
    if (outcome == PassOutcome::answered) {
      auto answer = nlohmann::json::parse(resp.body, nullptr, false);
      if (answer.is_object() && answer.contains("usage") && answer["usage"].is_object())
        ctx.usage.prompt_tokens = answer["usage"].value("prompt_tokens", std::int64_t{0});
      co_await w.send(resp.status, resp.headers.get("content-type").value_or("application/json"), resp.body);
    }
    co_return account(ctx);
  }
  co_await pass_failed(ctx, p, *route, "the embeddings request", "it has no OpenAI-dialect deployment", w);
  account(ctx);
}

// POST /v1/messages/count_tokens, which Anthropic clients (Claude Code among them)
// call to size their context. The route's deployments in the order chat would try
// them, after the privacy policy: an Anthropic one counts exactly (the request goes
// on as it is, redacted for a cloud one where the policy says so); the first one of
// another API, which has no such count, gets the gateway's estimate, marked with an
// `llmux-token-count: estimate` header. Counting uses no tokens: no ledger row, no
// budget.
asio::awaitable<void> Gateway::Impl::count_tokens(net::ServerRequest& req, net::ResponseWriter& w) {
  bool ok = false;
  RequestContext ctx = open_request(req, w, ok);
  ctx.ingress = anthropic_ingress.get();
  ctx.ledgered = false;
  const Snapshot& snap = *ctx.snap;
  if (!ok) {
    ctx.refuse(401, "auth");
    co_await send_error(w, 401, "authentication_error", "invalid or missing API key (send x-api-key: KEY)", nullptr, ctx.ingress);
    co_return account(ctx);
  }
  auto decoded = ctx.ingress->decode_request(req.path(), req.body);
  if (!decoded) {
    ctx.refuse(400, "bad_request");
    co_await send_error(w, 400, "invalid_request_error", decoded.error().message, nullptr, ctx.ingress);
    co_return account(ctx);
  }
  ctx.route = decoded->model;
  const RouteConfig* route = snap.config.route(ctx.route);
  if (!route) {
    ctx.refuse(404, "unknown_model");
    co_await send_error(w, 404, "not_found_error", unknown_route_message(snap, ctx.route), nullptr, ctx.ingress);
    co_return account(ctx);
  }
  if (!key_allows(ctx.key, *route)) {
    ctx.refuse(403, "forbidden_route");
    co_await send_error(w, 403, "permission_error", "this key may not use model '" + route->alias + "'", nullptr, ctx.ingress);
    co_return account(ctx);
  }
  thread_local std::mt19937_64 rng(std::random_device{}());
  auto choice = choose_deployments(snap, *route, rng);
  // The body goes on as the client wrote it, so it is scanned as embeddings are: every
  // string of it, member names too, and the redacted copy is made from the same walk.
  std::string redacted;
  if (snap.config.scanner) {
    bool passed = co_await scan_body(ctx, req.body, &*decoded, redacted, w);
    if (passed) passed = co_await enforce_privacy(ctx, *route, choice, w);  // (local-only: cloud ones out)
    if (!passed) co_return account(ctx);
  }
  if (choice.order.empty()) {  // every deployment unhealthy or its circuit open: as chat answers it
    ctx.refuse(503, "unavailable");
    std::string why;
    for (const auto& skipped : choice.skipped) why += "; skipped " + skipped;
    net::Headers extra;
    extra.add("Retry-After", "1");
    co_await send_error(w, 503, "service_unavailable", "route '" + route->alias + "' has no deployment available" + why,
                        &extra, ctx.ingress);
    co_return account(ctx);
  }
  auto doc = nlohmann::json::parse(req.body, nullptr, false);  // (it decoded: an object)
  net::Headers beta;
  if (auto b = anthropic_beta_of(req); !b.empty()) beta.add("anthropic-beta", b);
  PassThrough p(co_await asio::this_coro::executor, ctx.start + snap.config.server.request_timeout, w);
  std::optional<Error> untranslatable;  // the request has parts another API cannot take
  for (const Deployment* d : choice.order) {
    if (d->config->dialect != api::Dialect::anthropic) {
      // The estimate stands for what chat would send this deployment: none, for a request
      // it would refuse.
      if (auto fits = api::util::check_parts_translate(*decoded, d->config->dialect); !fits) {
        p.why += "; " + d->config->name + ": " + fits.error().message;
        untranslatable = fits.error();
        continue;
      }
      ctx.deployment = d;
      ctx.status = 200;
      std::string out;
      JsonWriter j(out);
      j.begin_object().field("input_tokens", decoded->estimate_prompt_tokens()).end_object();
      net::Headers extra;
      extra.add("llmux-token-count", "estimate");
      co_await w.send(200, "application/json", out, &extra);
      co_return account(ctx);
    }
    net::HttpResponse resp;
    const net::Headers* extra = beta.empty() ? nullptr : &beta;
    auto outcome = co_await pass_attempt(ctx, p, *d, "messages/count_tokens", body_for(*d, doc, redacted), extra, w, resp);
    if (outcome == PassOutcome::next) continue;
    if (outcome == PassOutcome::stop) break;
    if (outcome == PassOutcome::answered && resp.status == 200 && !counted_tokens(resp.body)) {
      metrics.upstream_error(d->config->name, "bad_response");
      p.why += "; " + d->config->name + ": answered without an input_tokens count";
      continue;
    }
    if (outcome == PassOutcome::answered)
      co_await w.send(resp.status, resp.headers.get("content-type").value_or("application/json"), resp.body);
    co_return account(ctx);
  }
  if (untranslatable && ctx.attempts == 0 && !w.client_gone()) {  // as chat answers it: the request's fault
    ctx.refuse(400, "bad_request");
    co_await send_error(w, 400, "invalid_request_error", untranslatable->message, nullptr, ctx.ingress);
    co_return account(ctx);
  }
  co_await pass_failed(ctx, p, *route, "the token count", "no deployment is available", w);
  account(ctx);
}

}  // namespace llmux::gateway
