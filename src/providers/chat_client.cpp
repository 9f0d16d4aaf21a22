#include "providers/chat_client.hpp"

#include <array>

#include "api/codec.hpp"
#include "core/text.hpp"

namespace llmux::providers {

namespace {

constexpr std::size_t kMaxErrorBody = 64u << 10;

// Adapts an HTTP response to canonical events: decodes 2xx bodies with the dialect's
// codec, keeps error bodies for their message.
class DecodingSink final : public net::ResponseSink {
 public:
  DecodingSink(const api::ClientCodec& codec, const api::ChatRequest& req, ChatObserver& obs)
      : codec_(codec), req_(req), obs_(obs) {
    if (req.stream) decoder_ = codec.stream_decoder(req);
  }

  void on_sent(Nanos t) override { obs_.on_sent(t); }

  void on_head(const net::ResponseHead& head, Nanos t) override {
    status_ = head.status;
    if (decoder_ && status_ >= 200 && status_ < 300) check_stream_type(head.headers);
    obs_.on_head(head.status, head.headers, t);
  }

  bool on_body(std::string_view bytes, Nanos t) override {
    if (failure_) return false;
    if (status_ < 200 || status_ >= 300 || !decoder_) {
      if (body_.size() + bytes.size() > max_body()) {
        failure_ = Error{ErrorCode::limit, "response body over the size limit", {}, 0};
        return false;
      }
      body_.append(bytes);
      last_ = t;
      return true;
    }
    auto r = decoder_->feed(bytes, events_);
    if (!events_.empty()) {
      obs_.on_events(events_, t);
      events_.clear();
    }
    if (!r) {
      failure_ = r.error();
      return false;
    }
    return obs_.keep_reading();
  }

  asio::awaitable<bool> flush() override { co_return co_await obs_.flush(); }

  // After the body ended (or reading stopped): the final verdict.
  Result<void> complete(Nanos t) {
    if (failure_) return tl::unexpected(*failure_);
    if (status_ < 200 || status_ >= 300) {
      api::ApiError e = codec_.decode_error(status_, body_);
      obs_.on_error_body(e);
      Error err{ErrorCode::http_status, "HTTP " + std::to_string(status_) + ": " + e.message, {}, status_};
      return tl::unexpected(err);
    }
    if (decoder_) {
      auto r = decoder_->finish(events_);
      if (!events_.empty()) obs_.on_events(events_, t);
      events_.clear();
      return r;
    }
    return deliver_whole(last_ ? last_ : t);
  }

 private:
  // A 2xx answer to a streamed request that is plainly not a stream (a web page, or a
  // whole JSON answer from a server that ignores "stream"), said as such rather than
  // as a stream that ended early. No Content-Type, or another one, is given a try.
  void check_stream_type(const net::Headers& headers) {
    auto type = to_lower(headers.get("content-type").value_or(""));
    bool sse = codec_.dialect() != api::Dialect::ollama;  // Ollama's native API streams NDJSON
    if (type.starts_with("text/html"))
      failure_ = Error{ErrorCode::malformed,
                       std::string("expected ") + (sse ? "text/event-stream" : "a stream") + ", got " + type +
                           ": a web page, not the API (check --url: the API's base, e.g. .../v1)",
                       {}, 0};
    else if (sse && type.starts_with("application/json"))
      failure_ = Error{ErrorCode::malformed,
                       "the server answered with a whole JSON body (application/json), not a stream: it ignored "
                       "\"stream\": true (try --no-stream)",
                       {}, 0};
  }

  std::size_t max_body() const { return status_ >= 200 && status_ < 300 ? (256u << 20) : kMaxErrorBody; }

  // A non-streamed answer becomes the same events a stream would have carried.
  Result<void> deliver_whole(Nanos t) {
    auto resp = codec_.decode_response(body_);
    if (!resp) return tl::unexpected(resp.error());
    events_.reserve(5 + resp->message.tool_calls.size());  // events are big: no regrowth on the way
    api::StreamEvent role;
    role.kind = api::StreamEvent::Kind::role_start;
    events_.push_back(std::move(role));
    if (!resp->message.reasoning.empty())
      events_.push_back(api::StreamEvent::reasoning(std::move(resp->message.reasoning)));
    if (auto text = resp->message.text(); !text.empty()) events_.push_back(api::StreamEvent::content(std::move(text)));
    for (std::size_t i = 0; i < resp->message.tool_calls.size(); ++i) {
      auto& tc = resp->message.tool_calls[i];
      api::StreamEvent e;
      e.kind = api::StreamEvent::Kind::tool_call_delta;
      e.index = static_cast<int>(i);
      e.id = std::move(tc.id);
      e.name = std::move(tc.name);
      e.text = std::move(tc.arguments);
      events_.push_back(std::move(e));
    }
    if (resp->finish != api::FinishReason::none) {
      events_.push_back(api::StreamEvent::finished(resp->finish));
      events_.back().text = std::move(resp->stop_sequence);  // the sequence that ended it, where the API says
    }
    if (resp->usage.present()) events_.push_back(api::StreamEvent::usage_of(resp->usage));
    obs_.on_events(events_, t);
    events_.clear();
    return {};
  }

  const api::ClientCodec& codec_;
  const api::ChatRequest& req_;
  ChatObserver& obs_;
  std::unique_ptr<api::StreamDecoder> decoder_;
  std::vector<api::StreamEvent> events_;
  std::string body_;
  int status_ = 0;
  Nanos last_ = 0;
  std::optional<Error> failure_;
};

// Cancels a side request once `stop` is raised (Ctrl-C), checking every 25 ms until `done`.
asio::awaitable<void> cancel_on_stop(const std::atomic<bool>& stop, const bool& done,
                                     net::CancelSignal& cancel, asio::steady_timer& tick) {
  error_code ec;
  while (!done) {
    if (stop.load(std::memory_order_relaxed)) cancel.cancel();
    tick.expires_after(std::chrono::milliseconds(25));
    co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

// The client codecs are stateless: one of each serves every request.
const api::ClientCodec* client_codec(api::Dialect d) {
  static const std::array<std::unique_ptr<api::ClientCodec>, 4> codecs = {
      api::make_client_codec(api::Dialect::openai), api::make_client_codec(api::Dialect::anthropic),
      api::make_client_codec(api::Dialect::gemini), api::make_client_codec(api::Dialect::ollama)};
  auto i = static_cast<std::size_t>(d);
  return i < codecs.size() ? codecs[i].get() : nullptr;
}

}  // namespace

ChatClient::ChatClient(asio::any_io_executor executor, net::ClientOptions options)
    : http_(std::make_unique<net::HttpClient>(executor, std::move(options))) {}

ChatClient::~ChatClient() = default;

asio::awaitable<Result<void>> ChatClient::send(const Endpoint& ep, const api::ChatRequest& request,
                                               ChatObserver& observer, net::CancelSignal* cancel) {
  const api::ClientCodec* codec = client_codec(ep.dialect);
  if (!codec) co_return fail(ErrorCode::usage, "dialect " + std::string(api::to_string(ep.dialect)) + " is not supported yet");
  api::ChatRequest adjusted;
  const api::ChatRequest* req = &request;
  if (request.stream && request.include_usage && !ep.stream_usage) {  // a server that rejects stream_options
    adjusted = request;
    adjusted.include_usage = false;
    req = &adjusted;
  }
  auto wire = codec->encode_request(*req);
  if (!wire) co_return tl::unexpected(wire.error());
  auto url = ep.url_for(wire->path);
  if (!url) co_return tl::unexpected(url.error());
  net::HttpRequest http_req;
  http_req.method = wire->method;
  http_req.url = std::move(*url);
  http_req.headers = ep.headers;
  for (auto& [k, v] : wire->headers) http_req.headers.set(k, v);
  if (request.stream)
    http_req.headers.set("Accept", ep.dialect == api::Dialect::ollama ? "application/x-ndjson" : "text/event-stream");
  http_req.body = std::move(wire->body);
  http_req.total_timeout = ep.total_timeout;
  http_req.read_timeout = ep.read_timeout;
  http_req.connect_timeout = ep.connect_timeout;
  DecodingSink sink(*codec, request, observer);
  auto r = co_await http_->stream(http_req, sink, cancel);
  Nanos t = mono_now();
  if (!r) co_return tl::unexpected(r.error());
  co_return sink.complete(t);
}

asio::awaitable<Result<net::HttpResponse>> ChatClient::get(const Endpoint& ep, std::string_view path,
                                                           net::CancelSignal* cancel) {
  auto url = ep.url_for(path);
  if (!url) co_return tl::unexpected(url.error());
  net::HttpRequest req;
  req.method = "GET";
  req.url = std::move(*url);
  req.headers = ep.headers;
  co_return co_await http_->fetch(req, cancel);  // side lookups keep the client's own (short) timeouts
}

asio::awaitable<Result<net::HttpResponse>> ChatClient::post_json(const Endpoint& ep, std::string_view path,
                                                                 std::string body,
                                                                 net::CancelSignal* cancel) {
  auto url = ep.url_for(path);
  if (!url) co_return tl::unexpected(url.error());
  net::HttpRequest req;
  req.url = std::move(*url);
  req.headers = ep.headers;
  req.body = std::move(body);
  req.total_timeout = ep.total_timeout;  // the endpoint's timeouts, as for chat
  req.read_timeout = ep.read_timeout;
  req.connect_timeout = ep.connect_timeout;
  co_return co_await http_->fetch(req, cancel);
}

Result<net::HttpResponse> run_side_request(const SideRequest& body, const net::ClientOptions& client,
                                           const std::atomic<bool>* stop) {
  asio::io_context ctx{1};
  ChatClient cc(ctx.get_executor(), client);
  std::optional<Result<net::HttpResponse>> out;
  net::CancelSignal cancel;
  asio::steady_timer tick(ctx);
  bool done = false;
  asio::co_spawn(
      ctx,
      [&]() -> asio::awaitable<void> {
        out = co_await body(cc, &cancel);
        done = true;
        tick.cancel();
      },
      asio::detached);
  if (stop) asio::co_spawn(ctx, cancel_on_stop(*stop, done, cancel, tick), asio::detached);
  ctx.run();
  if (!out) return fail(ErrorCode::internal, "side request did not complete");
  return std::move(*out);
}

}  // namespace llmux::providers
