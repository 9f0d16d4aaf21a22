#pragma once
// Private to gateway/: the gateway's state and the pieces of its pipeline.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "api/codec.hpp"
#include "gateway/gateway.hpp"
#include "gateway/ledger.hpp"
#include "gateway/metrics.hpp"
#include "gateway/router.hpp"
#include "gateway/snapshot.hpp"
#include "net/http_server.hpp"
#include "gateway/budgets.hpp"
#include "gateway/relay.hpp"
#include "gateway/request_privacy.hpp"
#include "providers/chat_client.hpp"

namespace llmux::gateway {

inline constexpr std::size_t kMaxEchoedName = 256;
// A name a client sent (any length) as messages, the ledger, the access log and metrics
// repeat it: at most kMaxEchoedName bytes, cut on a UTF-8 boundary, with its length.
std::string elide(std::string_view text, std::size_t max = kMaxEchoedName);

inline bool is_messages_path(std::string_view p) { return p == "/v1/messages" || p == "/messages"; }
inline bool is_embeddings_path(std::string_view p) { return p == "/v1/embeddings" || p == "/embeddings"; }
inline bool is_count_tokens_path(std::string_view p) {
  return p == "/v1/messages/count_tokens" || p == "/messages/count_tokens";
}

struct RequestContext {
  std::string id;
  const api::ServerCodec* ingress = nullptr;  // the client's dialect
  Nanos start = 0;
  std::shared_ptr<const Snapshot> snap;
  const KeyConfig* key = nullptr;
  std::string route;
  // The GenAI operation, as OpenTelemetry names it: chat, text_completion, embeddings
  // (and count_tokens, which it does not name).
  std::string_view operation = "chat";
  bool ledgered = true;  // a row in the usage ledger (not for token counts, which use none)
  const Deployment* deployment = nullptr;  // the last one tried
  int status = 0;
  std::string error_kind;
  api::Usage usage;
  Nanos first_token = 0;
  int attempts = 0;
  bool stream = false;
  std::string anthropic_beta;  // an Anthropic client's anthropic-beta header, passed to Anthropic deployments
  // Time spent waiting on upstreams, summed over attempts: their answers, a slot
  // under a deployment's concurrency limit, and the backoff before a retry.
  Nanos upstream_ns = 0;
  // Privacy: the verdict, and for redaction the request as cloud deployments see it.
  std::optional<PrivacyVerdict> privacy;
  std::optional<api::ChatRequest> redacted;
  // Budget reservation to settle when the request ends.
  std::optional<Reservation> reservation;

  // Answered by the gateway itself: the status and kind its ledger row records.
  void refuse(int s, std::string kind) {
    status = s;
    error_kind = std::move(kind);
  }
};

// `[server] request_timeout` while an upstream answers: at the deadline, an upstream
// request whose answer has not started reaching the client (through `relay`; none: a
// whole answer, passed on at its end) is cancelled (its socket closed). Once the client has bytes, the stream runs on under the deployment's own
// timeout and read_timeout. The handler holds only the shared state, so a timer that
// fires after the attempt ended touches nothing that is gone.
class DeadlineGuard {
 public:
  DeadlineGuard(asio::any_io_executor ex, Nanos deadline, net::CancelSignal& cancel, const Relay* relay)
      : timer_(ex, std::chrono::nanoseconds(std::max<Nanos>(deadline - mono_now(), 0))),
        state_(std::make_shared<State>(State{&cancel, relay, false})) {
    timer_.async_wait([s = state_](error_code ec) {
      if (ec || !s->cancel || (s->relay && s->relay->started())) return;
      s->fired = true;
      s->cancel->cancel();
    });
  }
  ~DeadlineGuard() {
    state_->cancel = nullptr;
    timer_.cancel();
  }
  DeadlineGuard(const DeadlineGuard&) = delete;
  DeadlineGuard& operator=(const DeadlineGuard&) = delete;
  bool fired() const { return state_->fired; }

 private:
  struct State {
    net::CancelSignal* cancel;
    const Relay* relay;
    bool fired;
  };
  asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

// The requests in flight on this I/O thread, for a stop whose grace period ran out: each
// is cancelled with shutdown() set, and its handler ends it with a proper answer (503,
// or an error event that ends its stream) and its ledger row, before connections close.
class InFlightRegistration {
 public:
  explicit InFlightRegistration(net::CancelSignal& cancel);
  ~InFlightRegistration();
  InFlightRegistration(const InFlightRegistration&) = delete;
  InFlightRegistration& operator=(const InFlightRegistration&) = delete;
  bool shutdown() const { return shutdown_; }
  // On an I/O thread: cancels every request registered on it; returns how many.
  static std::size_t end_all_for_shutdown();

 private:
  net::CancelSignal& cancel_;
  bool shutdown_ = false;
};

// A request passed to upstreams as JSON (pass_through.cpp): its deadline and
// cancellation (the client leaving, request_timeout, the stop's grace period), and why
// each deployment tried did not answer.
struct PassThrough {
  PassThrough(asio::any_io_executor ex, Nanos deadline, net::ResponseWriter& w);
  Nanos deadline;
  net::CancelSignal cancel;
  DeadlineGuard guard;
  InFlightRegistration in_flight;
  std::string why;         // "; <deployment>: <what it said>" for each one tried
  bool timed_out = false;  // the last one tried timed out: a 504, as chat answers
  bool unavailable = false;  // the last one had its circuit open or its queue full: a 503
  // A deployment's 429, passed on (with its Retry-After) when no other one answers.
  std::optional<net::HttpResponse> rate_limited;
};

// Whether any deployment of the route is local. Without one, a request whose data must
// stay local can never be served there: its 503 says x-should-retry: false, which
// OpenAI's and Anthropic's SDKs honour instead of retrying.
bool route_has_local(const Snapshot& snap, const RouteConfig& route);

// What one attempt of a passed-through request came to.
enum class PassOutcome {
  answered,  // an answer for the client: 2xx, or a 4xx about the request
  next,      // this deployment did not answer (PassThrough::why says why): try the next
  stop,      // the client left or request_timeout passed: no more tries
  done,      // the gateway is stopping: the client has its 503 already
};

struct Gateway::Impl {
  std::string config_path;
  StateRegistry states;
  mutable std::mutex snap_mu;
  std::shared_ptr<const Snapshot> snap;
  std::atomic<std::uint64_t> version{0};
  Metrics metrics;
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<net::HttpServer> http;
  std::unique_ptr<api::ServerCodec> openai_ingress;     // /v1/chat/completions, /v1/completions
  std::unique_ptr<api::ServerCodec> anthropic_ingress;  // /v1/messages
  // The ingress of a path, whose error shape its clients expect: Anthropic's for /v1/messages
  // and its count_tokens.
  const api::ServerCodec& codec_for(std::string_view path) const {
    return is_messages_path(path) || is_count_tokens_path(path) ? *anthropic_ingress : *openai_ingress;
  }
  std::FILE* access_log = nullptr;  // written by the watcher thread, never by I/O threads
  bool own_access_log = false;
  std::mutex log_mu;
  std::string log_buffer;           // access-log lines waiting for the watcher thread
  std::atomic<std::uint64_t> request_counter{0};
  std::atomic<std::size_t> ended_by_shutdown{0};
  std::atomic<std::int64_t> loaded_mtime{0};  // the config file's mtime when it was last read
  // Request ids are "<this start>-<n>" in base 36: unique across restarts, so that ledger
  // rows and log lines of different runs never share one.
  const std::string id_prefix = make_id_prefix();
  static std::string make_id_prefix();
  std::atomic<bool> stopping{false};
  BudgetManager budgets;
  std::thread watcher;  // config file changes and active health checks
  std::mutex watch_mu;
  std::condition_variable watch_cv;  // wakes the watcher at stop

  std::shared_ptr<const Snapshot> snapshot() const {
    std::lock_guard lock(snap_mu);
    return snap;
  }
  void install(std::shared_ptr<const Snapshot> s) {
    std::lock_guard lock(snap_mu);
    snap = std::move(s);
  }

  // ingress.cpp
  asio::awaitable<void> handle(net::ServerRequest& req, net::ResponseWriter& w);
  asio::awaitable<void> chat(net::ServerRequest& req, net::ResponseWriter& w, const api::ServerCodec& ingress);
  // An Anthropic client's anthropic-beta header, when it holds beta names only
  // ("context-1m-2025-08-07,files-api-2025-04-14"): nothing else rides along to a cloud
  // deployment unscanned. Empty otherwise.
  static std::string anthropic_beta_of(const net::ServerRequest& req);

  // pass_through.cpp: embeddings and token counts.
  asio::awaitable<void> embeddings(net::ServerRequest& req, net::ResponseWriter& w);
  asio::awaitable<void> count_tokens(net::ServerRequest& req, net::ResponseWriter& w);
  // The privacy verdict on a passed-through body (classify_body; `decoded`: the body as a
  // chat request, for a token count) into ctx.privacy, and its redacted copy when the
  // policy says redact; false when the client has its answer already (400 for a body
  // that is not JSON, 403 for block).
  asio::awaitable<bool> scan_body(RequestContext& ctx, std::string_view body, const api::ChatRequest* decoded,
                                  std::string& redacted, net::ResponseWriter& w);
  // One attempt at deployment `d`: a slot and its breaker's leave, the POST of `body` to
  // `path` under its API root (with `extra` headers), and what the answer means; an
  // answer for the client lands in `out`.
  asio::awaitable<PassOutcome> pass_attempt(RequestContext& ctx, PassThrough& p, const Deployment& d,
                                            std::string_view path, std::string body, const net::Headers* extra,
                                            net::ResponseWriter& w, net::HttpResponse& out);
  // No deployment answered `what`: 499 (the client left), 503 (the data must stay local
  // and no local one is left), 504 (request_timeout) or 502, saying why each did not
  // (`none` when none was tried).
  asio::awaitable<void> pass_failed(RequestContext& ctx, PassThrough& p, const RouteConfig& route,
                                    std::string_view what, std::string_view none, net::ResponseWriter& w);
  asio::awaitable<void> models(const Snapshot& snap, net::ResponseWriter& w, bool anthropic);
  asio::awaitable<void> admin(net::ServerRequest& req, net::ResponseWriter& w);
  asio::awaitable<void> admin_keys(net::ServerRequest& req, net::ResponseWriter& w);
  // An error body in the codec's API shape.
  static std::string error_body(const api::ServerCodec& codec, int status, std::string type, std::string message);
  asio::awaitable<void> send_error(net::ResponseWriter& w, int status, const std::string& type,
                                   const std::string& message, const net::Headers* extra = nullptr,
                                   const api::ServerCodec* codec = nullptr);
  const KeyConfig* authenticate(const Snapshot& snap, const net::ServerRequest& req, bool& ok) const;
  // A request's context from its arrival: id, config snapshot and the key it presents
  // (`ok` false when a key is required and none valid was). Its answer carries the id
  // (the ledger's and the access log's) as the header the client's SDK reads as the
  // request id: `request-id` for Anthropic's paths, `x-request-id` for OpenAI's.
  RequestContext open_request(const net::ServerRequest& req, net::ResponseWriter& w, bool& ok);
  // Whether a key (none: an open gateway) may use the route.
  static bool key_allows(const KeyConfig* key, const RouteConfig& route);
  // The 404 for a model no route names, with the nearest alias.
  static std::string unknown_route_message(const Snapshot& snap, const std::string& model);

  // dispatch.cpp
  asio::awaitable<void> dispatch(RequestContext& ctx, api::ChatRequest& request, const RouteChoice& choice,
                                 const RouteConfig& route, net::ResponseWriter& w);

  // Admission to a deployment: a slot under its concurrency limit (limiter.try_acquire,
  // or else wait_for_slot: queued up to max_queue until the deadline or the client's
  // leaving), then its breaker's leave. Nothing when admitted (the caller releases the
  // slot), else why not (cancelled: the client left); a refusal gives the slot back.
  asio::awaitable<std::optional<Error>> wait_for_slot(RequestContext& ctx, const Deployment& d, Nanos deadline,
                                                      net::CancelSignal& cancel, net::ResponseWriter& w);
  std::optional<Error> breaker_refusal(const RequestContext& ctx, const Deployment& d);
  // "request_timeout (600 s) passed while <what>".
  static std::string request_timeout_passed(const Snapshot& snap, const std::string& what);
  // The answer to a request the stop's grace period ended before it started answering.
  asio::awaitable<void> send_shutting_down(net::ResponseWriter& w, const api::ServerCodec* codec);

  // The one point where a request leaves for an upstream: the privacy invariant is
  // enforced here, whatever routing, retries or reloads decided.
  asio::awaitable<Result<void>> send_upstream(RequestContext& ctx, const Deployment& d, api::ChatRequest& upstream,
                                              Relay& relay, net::CancelSignal& cancel);
  // admission.cpp: the privacy verdict in ctx.privacy, if any, applied: a 403 for block;
  // for local-only data, cloud deployments out of the choice, and a 503 when none is left.
  asio::awaitable<bool> enforce_privacy(RequestContext& ctx, const RouteConfig& route, RouteChoice& choice,
                                        net::ResponseWriter& w);
  // The verdict on the request (and its redacted copy), enforced, then budget admission.
  asio::awaitable<bool> admit(RequestContext& ctx, const api::ChatRequest& request, const RouteConfig& route,
                              RouteChoice& choice, net::ResponseWriter& w);

  // accounting.cpp
  void account(const RequestContext& ctx);
  double cost_of(const Deployment& d, const api::Usage& u) const;

  // lifecycle.cpp
  tl::expected<void, Problems> reload();
  void watch_loop();
  void check_health(const Snapshot& snap);
};

// Whole-file helpers for the admin endpoints (small files; called rarely).
std::string read_text_file(const std::string& path);
bool write_text_file(const std::string& path, const std::string& text);

// The ChatClient of the calling I/O thread (one connection pool per thread).
providers::ChatClient& thread_client(asio::any_io_executor ex);

}  // namespace llmux::gateway
