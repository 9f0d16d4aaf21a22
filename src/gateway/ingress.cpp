// The gateway's front door: routes paths, authenticates virtual keys, decodes
// requests, and answers errors in the client's dialect.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "gateway/gateway_impl.hpp"
#include "gateway/keys.hpp"

namespace llmux::gateway {

namespace {

bool is_chat_path(std::string_view p) {
  return p == "/v1/chat/completions" || p == "/chat/completions" || p == "/v1/completions" || p == "/completions";
}

// The method each path the gateway serves takes; empty for a path it does not serve
// (the admin endpoints route themselves).
std::string_view method_for(std::string_view p) {
  if (is_chat_path(p) || is_messages_path(p) || is_embeddings_path(p) || is_count_tokens_path(p)) return "POST";
  if (p == "/v1/models" || p == "/models" || p == "/health" || p == "/ready" || p == "/metrics") return "GET";
  return "";
}

}  // namespace

asio::awaitable<void> Gateway::Impl::send_error(net::ResponseWriter& w, int status, const std::string& type,
                                                const std::string& message, const net::Headers* extra,
                                                const api::ServerCodec* codec) {
  std::string body = error_body(codec ? *codec : *openai_ingress, status, type, message);
  co_await w.send(status, "application/json", body, extra);
}

std::string Gateway::Impl::error_body(const api::ServerCodec& codec, int status, std::string type, std::string message) {
  api::ApiError e;
  e.http_status = status;
  e.type = std::move(type);
  e.message = std::move(message);
  return codec.encode_error(e);
}

const KeyConfig* Gateway::Impl::authenticate(const Snapshot& snap, const net::ServerRequest& req, bool& ok) const {
  ok = true;
  if (snap.keys.empty()) return nullptr;  // no keys configured: open gateway (loopback by default)
  auto secret = presented_key(req.headers.get("authorization"), req.headers.get("x-api-key"));
  const KeyConfig* k = snap.keys.authenticate(secret);
  ok = k != nullptr;
  return k;
}

namespace {
void append_base36(std::string& out, std::uint64_t v) {
  std::size_t at = out.size();
  do {
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36]);
    v /= 36;
  } while (v);
}
}  // namespace

std::string Gateway::Impl::make_id_prefix() {
  // The start time in milliseconds and one random digit, base 36 ("mx1t53dbq-"): two
  // gateways started in the same millisecond still differ, and an id stays short enough
  // (15 bytes up to 1.6 million requests) to need no allocation of its own.
  std::string p;
  append_base36(p, static_cast<std::uint64_t>(wall_now() / kNanosPerMilli));
  append_base36(p, std::random_device{}() % 36);
  return p + "-";
}

RequestContext Gateway::Impl::open_request(const net::ServerRequest& req, net::ResponseWriter& w, bool& ok) {
  RequestContext ctx;
  ctx.start = mono_now();
  ctx.id = id_prefix;
  append_base36(ctx.id, request_counter.fetch_add(1));
  ctx.snap = snapshot();
  ctx.key = authenticate(*ctx.snap, req, ok);
  auto path = req.path();
  bool anthropic = is_messages_path(path) || is_count_tokens_path(path) || req.headers.has("anthropic-version");
  w.add_response_header(anthropic ? "request-id" : "x-request-id", ctx.id);
  if (is_embeddings_path(path)) ctx.operation = "embeddings";
  else if (is_count_tokens_path(path)) ctx.operation = "count_tokens";
  else if (path.ends_with("/completions") && !path.ends_with("/chat/completions")) ctx.operation = "text_completion";
  return ctx;
}

std::string Gateway::Impl::unknown_route_message(const Snapshot& snap, const std::string& model) {
  std::vector<std::string> aliases;
  for (const auto& r : snap.config.routes) aliases.push_back(r.alias);
  return "model '" + elide(model) + "' is not routed by this gateway" + did_you_mean(model, aliases) +
         " (GET /v1/models lists the routes)";
}

bool Gateway::Impl::key_allows(const KeyConfig* key, const RouteConfig& route) {
  return !key || key->routes.empty() || std::find(key->routes.begin(), key->routes.end(), route.alias) != key->routes.end();
}

asio::awaitable<void> Gateway::Impl::handle(net::ServerRequest& req, net::ResponseWriter& w) {
  auto path = req.path();
  if (path.starts_with("/admin/")) co_return co_await admin(req, w);
  std::string_view wants = method_for(path);
  if (wants.empty())
    co_return co_await send_error(w, 404, "invalid_request_error",
                                  "no route for " + req.method + " " + std::string(path) +
                                      "; llmux serves /v1/chat/completions, /v1/completions, /v1/messages, /v1/messages/count_tokens, "
                                      "/v1/embeddings, /v1/models");
  if (req.method != wants) {  // a known path, asked with the wrong method
    net::Headers allow;
    allow.add("Allow", std::string(wants));
    co_return co_await send_error(w, 405, "invalid_request_error",
                                  req.method + " is not allowed on " + std::string(path) + "; use " + std::string(wants),
                                  &allow, &codec_for(path));
  }
  if (is_chat_path(path) || is_messages_path(path)) co_return co_await chat(req, w, codec_for(path));
  if (is_embeddings_path(path)) co_return co_await embeddings(req, w);
  if (is_count_tokens_path(path)) co_return co_await count_tokens(req, w);
  if (path == "/v1/models" || path == "/models") {
    bool ok = false;
    RequestContext ctx = open_request(req, w, ok);
    if (!ok) {  // in the metrics and the access log as a refused key, as for chat (no ledger row: no tokens)
      ctx.operation = "list_models";
      ctx.ledgered = false;
      ctx.refuse(401, "auth");
      const api::ServerCodec* shape = req.headers.has("anthropic-version") ? anthropic_ingress.get() : nullptr;
      co_await send_error(w, 401, "authentication_error", "invalid or missing API key", nullptr, shape);
      co_return account(ctx);
    }
    co_return co_await models(*ctx.snap, w, req.headers.has("anthropic-version"));
  }
  if (path == "/health") co_return co_await w.send(200, "application/json", R"({"status":"ok"})");
  if (path == "/ready") {
    auto snap = snapshot();
    bool any = false;
    for (const auto& d : snap->deployments)
      any |= d.state->healthy.load() && d.state->breaker.state() != CircuitBreaker::State::open;
    int status = any ? 200 : 503;
    std::string_view body = any ? R"({"ready":true})" : R"({"ready":false,"reason":"no healthy deployment"})";
    co_return co_await w.send(status, "application/json", body);
  }
  // (method_for names no other path: what is left is /metrics.)
  auto snap = snapshot();
  std::vector<Metrics::DeploymentGauges> gauges;
  for (const auto& d : snap->deployments)
    gauges.push_back({d.config->name, d.state->in_flight.load(), static_cast<int>(d.state->breaker.state())});
  co_await w.send(200, "text/plain; version=0.0.4", metrics.render(gauges));
}

// The route aliases, in OpenAI's list shape, or Anthropic's for its clients (they send
// anthropic-version): type, id, display_name, created_at, and the page fields.
asio::awaitable<void> Gateway::Impl::models(const Snapshot& snap, net::ResponseWriter& w, bool anthropic) {
  std::string out;
  JsonWriter j(out);
  if (anthropic) {
    j.begin_object().key("data").begin_array();
    for (const auto& r : snap.config.routes)
      j.begin_object().field("type", "model").field("id", r.alias).field("display_name", r.alias)
          .field("created_at", "1970-01-01T00:00:00Z").end_object();
    j.end_array().field("has_more", false);
    if (snap.config.routes.empty()) j.key("first_id").null().key("last_id").null();
    else j.field("first_id", snap.config.routes.front().alias).field("last_id", snap.config.routes.back().alias);
    j.end_object();
  } else {
    j.begin_object().field("object", "list").key("data").begin_array();
    for (const auto& r : snap.config.routes)
      j.begin_object().field("id", r.alias).field("object", "model").field("created", 0).field("owned_by", "llmux").end_object();
    j.end_array().end_object();
  }
  co_await w.send(200, "application/json", out);
}

std::string Gateway::Impl::anthropic_beta_of(const net::ServerRequest& req) {
  auto beta = req.headers.get("anthropic-beta").value_or("");
  if (beta.size() > 512 || beta.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_., ") != std::string_view::npos)
    return {};
  return std::string(beta);
}

asio::awaitable<void> Gateway::Impl::chat(net::ServerRequest& req, net::ResponseWriter& w,
                                          const api::ServerCodec& ingress) {
  bool ok = false;
  RequestContext ctx = open_request(req, w, ok);
  ctx.ingress = &ingress;
  if (ingress.dialect() == api::Dialect::anthropic) ctx.anthropic_beta = anthropic_beta_of(req);
  if (!ok) {
    ctx.refuse(401, "auth");
    co_await send_error(w, 401, "authentication_error", "invalid or missing API key (send Authorization: Bearer KEY or x-api-key: KEY)", nullptr, &ingress);
    co_return account(ctx);
  }
  auto decoded = ingress.decode_request(req.path(), req.body);
  if (!decoded) {
    ctx.refuse(400, "bad_request");
    co_await send_error(w, 400, "invalid_request_error", decoded.error().message, nullptr, &ingress);
    co_return account(ctx);
  }
  ctx.route = decoded->model;
  ctx.stream = decoded->stream;
  const RouteConfig* route = ctx.snap->config.route(decoded->model);
  if (!route) {
    ctx.refuse(404, "unknown_model");
    co_await send_error(w, 404, "invalid_request_error", unknown_route_message(*ctx.snap, decoded->model), nullptr, &ingress);
    co_return account(ctx);
  }
  if (!key_allows(ctx.key, *route)) {
    ctx.refuse(403, "forbidden_route");
    co_await send_error(w, 403, "permission_error", "this key may not use model '" + route->alias + "'", nullptr, &ingress);
    co_return account(ctx);
  }
  thread_local std::mt19937_64 rng(std::random_device{}());
  auto choice = choose_deployments(*ctx.snap, *route, rng);
  bool admitted = co_await admit(ctx, *decoded, *route, choice, w);
  if (admitted) co_await dispatch(ctx, *decoded, choice, *route, w);
  account(ctx);
}

asio::awaitable<void> Gateway::Impl::admin(net::ServerRequest& req, net::ResponseWriter& w) {
  auto snap = snapshot();
  const auto& a = snap->config.admin;
  if (!a.enabled) co_return co_await send_error(w, 404, "invalid_request_error", "admin endpoints are off ([admin] enabled = true)");
  const char* expected = std::getenv(a.key_env.c_str());
  auto presented = presented_key(req.headers.get("authorization"), req.headers.get("x-api-key"));
  if (!expected || !*expected || !constant_time_equal(sha256_hex(presented), sha256_hex(expected)))
    co_return co_await send_error(w, 401, "authentication_error", "admin endpoints need the admin key (" + a.key_env + ")");
  auto path = req.path();
  if (req.method == "POST" && path == "/admin/reload") {
    auto r = reload();
    if (r) co_return co_await w.send(200, "application/json", R"({"reloaded":true})");
    std::string msg;
    for (const auto& p : r.error()) msg += p.describe() + "; ";
    co_return co_await send_error(w, 400, "invalid_request_error", "config rejected, the old one stays: " + msg);
  }
  if (path == "/admin/keys") co_return co_await admin_keys(req, w);
  if (req.method == "GET" && path == "/admin/deployments") {
    std::string out;
    JsonWriter j(out);
    j.begin_array();
    for (const auto& d : snap->deployments)
      j.begin_object().field("name", d.config->name).field("locality", to_string(d.config->locality))
          .field("breaker", static_cast<int>(d.state->breaker.state())).field("healthy", d.state->healthy.load())
          .field("in_flight", d.state->in_flight.load()).field("ttft_ewma_ms", d.state->ttft_ewma_ms.load()).end_object();
    j.end_array();
    co_return co_await w.send(200, "application/json", out);
  }
  // A known endpoint asked with the wrong method: 405 with Allow, as the API paths answer.
  const char* allow = path == "/admin/reload" ? "POST" : path == "/admin/deployments" ? "GET" : nullptr;
  if (allow) {
    net::Headers extra;
    extra.add("Allow", allow);
    co_return co_await send_error(w, 405, "invalid_request_error", std::string("use ") + allow + " for " + std::string(path),
                                  &extra);
  }
  co_await send_error(w, 404, "invalid_request_error", "unknown admin endpoint");
}

}  // namespace llmux::gateway

namespace llmux::gateway {

// GET lists the keys (ids, teams, routes); POST creates one, appends it to the
// config file (only its hash) and reloads, and answers the secret once.
asio::awaitable<void> Gateway::Impl::admin_keys(net::ServerRequest& req, net::ResponseWriter& w) {
  auto snap = snapshot();
  if (req.method == "GET") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& k : snap->config.keys) out.push_back({{"id", k.id}, {"team", k.team}, {"routes", k.routes}});
    co_return co_await w.send(200, "application/json", out.dump());
  }
  if (req.method != "POST") co_return co_await send_error(w, 405, "invalid_request_error", "use GET or POST");
  auto doc = nlohmann::json::parse(req.body, nullptr, false);
  std::string error;
  KeyConfig k;
  if (!doc.is_object() || !doc.contains("id") || !doc["id"].is_string() || doc["id"].get<std::string>().empty())
    error = "body must be {\"id\": \"name\", \"team\": \"optional\", \"routes\": [\"optional\"]}";
  else {
    k.id = doc["id"].get<std::string>();
    k.team = doc.value("team", "");
    if (doc.contains("routes") && doc["routes"].is_array())
      for (const auto& r : doc["routes"])
        if (r.is_string()) k.routes.push_back(r.get<std::string>());
    for (const auto& existing : snap->config.keys)
      if (existing.id == k.id) error = "a key with id '" + k.id + "' exists";
    for (const auto& c : k.id + k.team)
      if (c == '"' || c == '\\' || c == '\n') error = "id and team must not contain quotes, backslashes or newlines";
  }
  if (config_path.empty()) error = "the gateway runs without a config file; start it with --config to manage keys";
  if (!error.empty()) co_return co_await send_error(w, 400, "invalid_request_error", error);
  auto created = generate_key();
  std::string entry = "\n[[keys]]\nid = \"" + k.id + "\"\n";
  if (!k.team.empty()) entry += "team = \"" + k.team + "\"\n";
  entry += "hash = \"sha256:" + created.sha256_hex + "\"\n";
  if (!k.routes.empty()) {
    entry += "routes = [";
    for (std::size_t i = 0; i < k.routes.size(); ++i) entry += (i ? ", \"" : "\"") + k.routes[i] + "\"";
    entry += "]\n";
  }
  std::string original = read_text_file(config_path);
  bool written = write_text_file(config_path, original + entry);
  auto reloaded = written ? reload() : tl::expected<void, Problems>(tl::unexpected(Problems{}));
  if (!reloaded) {
    if (written) write_text_file(config_path, original);  // put the file back as it was
    co_return co_await send_error(w, 500, "api_error", "could not add the key to " + config_path);
  }
  nlohmann::json out = {{"id", k.id}, {"key", created.secret}, {"note", "shown once; only its hash is stored"}};
  co_await w.send(201, "application/json", out.dump());
}

}  // namespace llmux::gateway
