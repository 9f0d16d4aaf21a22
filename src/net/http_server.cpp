#include "net/http_server.hpp"

#include <array>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <thread>
#include <unordered_set>

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "net/io_pool.hpp"

namespace llmux::net {

namespace beast = boost::beast;
namespace http = boost::beast::http;

std::string_view ServerRequest::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view ServerRequest::query() const {
  std::string_view t = target;
  auto q = t.find('?');
  return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

std::string_view ServerRequest::query_param(std::string_view name) const {
  for (auto kv : split(query(), '&')) {
    auto eq = kv.find('=');
    if (kv.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view{} : kv.substr(eq + 1);
  }
  return {};
}

std::string_view reason_phrase(int status) {
  auto r = http::obsolete_reason(static_cast<http::status>(status));
  return std::string_view(r.data(), r.size());
}

namespace {

std::string error_json(std::string_view message, std::string_view type) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("error").begin_object().field("message", message).field("type", type).end_object().end_object();
  return out;
}

void append_status_line(std::string& h, int status) {
  h += "HTTP/1.1 ";
  h += std::to_string(status);
  h += ' ';
  h += reason_phrase(status);
  h += "\r\n";
}

void append_headers(std::string& h, const Headers* extra) {
  if (!extra) return;
  for (const auto& f : extra->items()) {
    h += f.name;
    h += ": ";
    h += f.value;
    h += "\r\n";
  }
}

}  // namespace

struct Session;

struct HttpServer::Impl {
  ServerOptions opts;
  Handler handler;
  IoPool pool;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::unordered_set<Session*>> sessions;  // per context, touched only on its thread
  std::atomic<std::size_t> conns{0};
  std::atomic<std::size_t> served{0};
  std::atomic<bool> stopping{false};
  std::uint16_t bound_port = 0;
  bool started = false;

  Impl(ServerOptions o, Handler h)
      : opts(std::move(o)), handler(std::move(h)), pool(opts.threads), sessions(static_cast<std::size_t>(pool.size())) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> sweep_stuck_writes(int ctx_index);
  asio::awaitable<void> run_session(int ctx_index, tcp::socket socket);
  void close_sessions(bool only_idle);
};

struct Session final : ResponseWriter {
  using ResponseWriter::end_stream;
  HttpServer::Impl& srv;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  bool idle = true;
  Nanos write_started = 0;  // a write is pending since then (0: none); see sweep_stuck_writes
  bool started_ = false;
  bool finished_ = false;
  bool gone_ = false;
  bool keep_alive = true;
  bool head_request_ = false;
  std::string head_;  // a begun stream's head, until its first chunk goes out

  Session(HttpServer::Impl& s, tcp::socket sock) : srv(s), stream(std::move(sock)) {
    buffer.reserve(16384);  // one read takes a whole typical request (Beast reads 512 bytes into an empty buffer)
  }

  void close() {
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.socket().close(ec);
  }

  bool keep() const { return keep_alive && !srv.stopping.load(std::memory_order_relaxed); }

  // Writes go to the socket directly, without a per-write Beast timer (arming and
  // cancelling one on every streamed chunk costs more than the write): the server's
  // sweeper closes a connection whose write has been stuck longer than write_timeout.
  //
  // The socket is non-blocking, so a write first goes out with one send() on the spot:
  // a response or a streamed chunk nearly always fits the socket's buffer, and then the
  // coroutine goes on without suspending (Asio's async_write would post its completion
  // and resume it through the scheduler, on every chunk). What does not fit waits.
  template <class Buffers>
  asio::awaitable<bool> write_buffers(const Buffers& bufs) {
    if (gone_) co_return false;
    error_code ec;
    std::size_t total = asio::buffer_size(bufs);
    std::size_t sent = stream.socket().send(bufs, 0, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec = {};
      sent = 0;
    }
    if (!ec && sent < total) {
      write_started = mono_now();
      beast::buffers_suffix<Buffers> rest(bufs);
      rest.consume(sent);
      co_await asio::async_write(stream.socket(), rest, asio::redirect_error(asio::use_awaitable, ec));
      write_started = 0;
    }
    if (ec) gone_ = true;
    co_return !ec;
  }

  asio::awaitable<void> send(int status, std::string_view content_type, std::string_view body,
                             const Headers* extra) override {
    if (started_) co_return;
    started_ = finished_ = true;
    std::string h;
    h.reserve(160);
    append_status_line(h, status);
    if (!content_type.empty()) {
      h += "Content-Type: ";
      h += content_type;
      h += "\r\n";
    }
    h += "Content-Length: ";
    h += std::to_string(body.size());
    h += keep() ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n";
    append_headers(h, extra);
    h += "\r\n";
    // A HEAD response announces the length a GET would have, and carries no body.
    std::size_t body_bytes = head_request_ ? 0 : body.size();
    std::array<asio::const_buffer, 2> bufs{asio::buffer(h), asio::buffer(body.data(), body_bytes)};
    co_await write_buffers(bufs);
  }

  // The head waits for the first chunk (or the end) and goes out in the same send:
  // one system call and one wake-up of the client fewer per stream.
  asio::awaitable<bool> begin_stream(int status, std::string_view content_type, const Headers* extra) override {
    if (started_) co_return !gone_;
    started_ = true;
    std::string& h = head_;
    h.clear();
    append_status_line(h, status);
    h += "Content-Type: ";
    h += content_type;
    h += "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n";
    h += keep() ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    append_headers(h, extra);
    h += "\r\n";
    co_return !gone_;
  }

  asio::awaitable<bool> write(std::string_view data) override { co_return co_await write_chunk(data, false); }

  asio::awaitable<void> end_stream(std::string_view last) override {
    if (finished_) co_return;
    finished_ = true;
    co_await write_chunk(last, true);
  }

  // [head] [chunk] [last-chunk]: whatever is due, in one write (with no data and not the
  // last: just a head that has not gone out yet, if any).
  asio::awaitable<bool> write_chunk(std::string_view data, bool last) {
    if (head_.empty() && data.empty() && !last) co_return !gone_;
    char size_line[24];
    std::size_t size_len = 0;
    if (!data.empty()) {
      auto [p, ec] = std::to_chars(size_line, size_line + 16, data.size(), 16);
      *p++ = '\r';
      *p++ = '\n';
      size_len = static_cast<std::size_t>(p - size_line);
    }
    static constexpr std::string_view kCrlf = "\r\n", kEnd = "0\r\n\r\n", kCrlfEnd = "\r\n0\r\n\r\n";
    std::string_view tail = data.empty() ? (last ? kEnd : std::string_view{}) : (last ? kCrlfEnd : kCrlf);
    std::array<asio::const_buffer, 4> bufs{asio::buffer(head_), asio::buffer(size_line, size_len),
                                           asio::buffer(data.data(), data.size()), asio::buffer(tail.data(), tail.size())};
    bool ok = co_await write_buffers(bufs);
    head_.clear();
    co_return ok;
  }

  void abort() override {
    if (!head_.empty() && !gone_) {  // a begun stream shows its head before the cut (best effort: no wait)
      error_code ec;
      stream.socket().send(asio::buffer(head_), 0, ec);
      head_.clear();
    }
    gone_ = true;
    keep_alive = false;
    close();
  }
  bool started() const override { return started_; }
  bool client_gone() const override { return gone_; }

  void watch_disconnect(std::function<void()> on_gone) override {
    on_gone_ = std::move(on_gone);
    if (watching_) return;
    watching_ = true;
    watch_stopping_ = false;
    asio::co_spawn(stream.get_executor(), watch(), asio::detached);
  }

  // Peeks one byte: returns at once when the client sends more (a pipelined request:
  // nothing to do) or closes (end of file: it went away).
  asio::awaitable<void> watch() {
    // The handler may have finished before this coroutine got to run (its writes do not
    // wait): then there is nothing to watch, and stop_watch is waiting for the end.
    if (!watch_stopping_) {
      char byte;
      error_code ec;
      co_await stream.socket().async_receive(asio::buffer(&byte, 1), tcp::socket::message_peek,
                                             asio::redirect_error(asio::use_awaitable, ec));
      if (ec && ec != asio::error::operation_aborted && !finished_) {
        gone_ = true;
        if (on_gone_) on_gone_();
      }
    }
    watching_ = false;
    if (watch_waiter_) watch_waiter_->cancel();
  }

  // Ends the watch before the connection reads its next request.
  asio::awaitable<void> stop_watch() {
    on_gone_ = nullptr;
    if (!watching_) co_return;
    watch_stopping_ = true;
    error_code ec;
    asio::steady_timer done(stream.get_executor(), asio::steady_timer::time_point::max());
    watch_waiter_ = &done;
    stream.socket().cancel(ec);
    co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    watch_waiter_ = nullptr;
  }

  std::function<void()> on_gone_;
  bool watching_ = false;
  bool watch_stopping_ = false;  // stop_watch asked before the watch's receive began
  asio::steady_timer* watch_waiter_ = nullptr;

  asio::awaitable<void> reject(int status, std::string_view message) {
    keep_alive = false;
    co_await send(status, "application/json", error_json(message, "invalid_request_error"), nullptr);
  }

  asio::awaitable<void> reject_for(const error_code& ec);
  asio::awaitable<void> serve_one(http::request_parser<http::string_body>& parser);
  asio::awaitable<void> loop();
};

asio::awaitable<void> Session::serve_one(http::request_parser<http::string_body>& parser) {
  auto msg = parser.release();
  ServerRequest req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  for (const auto& f : msg) req.headers.add(std::string(f.name_string()), std::string(f.value()));
  req.body = std::move(msg.body());
  req.received_at = mono_now();
  keep_alive = msg.keep_alive();
  head_request_ = msg.method() == http::verb::head;
  started_ = finished_ = gone_ = false;
  head_.clear();
  std::string crash;
  try {
    co_await srv.handler(req, *this);
  } catch (const std::exception& e) {
    crash = e.what();
  }
  co_await stop_watch();
  if (!crash.empty()) {
    keep_alive = false;
    if (!started_) co_await send(500, "application/json", error_json(crash, "server_error"), nullptr);
  }
  if (!started_) co_await send(500, "application/json", error_json("handler sent no response", "server_error"), nullptr);
  if (started_ && !finished_) {  // a half-written stream cannot be reused
    keep_alive = false;
    co_await write_chunk({}, false);  // its head, if nothing went out yet
  }
  srv.served.fetch_add(1, std::memory_order_relaxed);
}

namespace {
// The answer to a request the parser refused, or 0 when the connection just ended
// (closed, reset or timed out while idle: nobody is waiting for an answer).
int rejection_status(const error_code& ec) {
  if (ec == http::error::header_limit) return 431;
  // Beast reports a declared Content-Length over the limit while reading the head.
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::bad_method || ec == http::error::bad_target || ec == http::error::bad_version ||
      ec == http::error::bad_field || ec == http::error::bad_value || ec == http::error::bad_line_ending ||
      ec == http::error::bad_content_length || ec == http::error::bad_transfer_encoding ||
      ec == http::error::bad_chunk || ec == http::error::bad_chunk_extension || ec == http::error::bad_obs_fold)
    return 400;
  return 0;
}
}  // namespace

asio::awaitable<void> Session::reject_for(const error_code& ec) {
  switch (rejection_status(ec)) {
    case 431: co_return co_await reject(431, "request header too large");
    case 413:
      co_return co_await reject(413, "request body larger than " + std::to_string(srv.opts.max_body_bytes) + " bytes");
    case 400: co_return co_await reject(400, "malformed HTTP request: " + ec.message());
    default: co_return;
  }
}

asio::awaitable<void> Session::loop() {
  bool first = true;
  while (!srv.stopping.load(std::memory_order_relaxed)) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(srv.opts.max_header_bytes));
    parser.body_limit(srv.opts.max_body_bytes);
    error_code ec;
    idle = true;
    stream.expires_after(std::chrono::nanoseconds(first ? srv.opts.request_timeout : srv.opts.idle_timeout));
    co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    idle = false;
    first = false;
    if (ec) co_return co_await reject_for(ec);  // or closed, timed out or reset while idle
    if (auto expect = parser.get()[http::field::expect];
        equals_icase(std::string_view(expect.data(), expect.size()), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      bool sent = co_await write_buffers(asio::buffer(kContinue.data(), kContinue.size()));
      if (!sent) co_return;
    }
    if (!parser.is_done()) {
      stream.expires_after(std::chrono::nanoseconds(srv.opts.request_timeout));
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == beast::error::timeout) co_return co_await reject(408, "request body not received in time");
      if (ec) co_return co_await reject_for(ec);
    }
    stream.expires_never();
    co_await serve_one(parser);
    if (!keep() || gone_) co_return;
  }
}

asio::awaitable<void> HttpServer::Impl::run_session(int ctx_index, tcp::socket socket) {
  Session s(*this, std::move(socket));
  auto& registry = sessions[static_cast<std::size_t>(ctx_index)];
  registry.insert(&s);
  error_code ec;
  s.stream.socket().set_option(tcp::no_delay(true), ec);
  s.stream.socket().non_blocking(true, ec);  // for write_buffers' send on the spot
  co_await s.loop();
  registry.erase(&s);
  s.close();
  conns.fetch_sub(1, std::memory_order_relaxed);
}

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  int next = 0;
  while (!stopping.load()) {
    int idx = next++ % pool.size();
    tcp::socket sock(pool.context(idx));
    error_code ec;
    co_await acceptor->async_accept(sock, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping.load() || ec == asio::error::operation_aborted) break;
      // Out of descriptors or similar: back off briefly instead of spinning.
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(10));
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (conns.load() >= opts.max_connections) {
      static constexpr std::string_view kBusy =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n";
      sock.non_blocking(true, ec);
      sock.write_some(asio::buffer(kBusy.data(), kBusy.size()), ec);
      sock.close(ec);
      continue;
    }
    conns.fetch_add(1, std::memory_order_relaxed);
    asio::co_spawn(pool.context(idx), run_session(idx, std::move(sock)), asio::detached);
  }
}

// Once a second: close connections whose client stopped reading (a write pending
// longer than write_timeout), so a stalled client never holds a handler forever.
asio::awaitable<void> HttpServer::Impl::sweep_stuck_writes(int ctx_index) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  error_code ec;
  while (!stopping.load()) {
    t.expires_after(std::chrono::seconds(1));
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    Nanos now = mono_now();
    for (Session* s : sessions[static_cast<std::size_t>(ctx_index)])
      if (s->write_started && now - s->write_started > opts.write_timeout) s->abort();
  }
}

void HttpServer::Impl::close_sessions(bool only_idle) {
  for (int i = 0; i < pool.size(); ++i) {
    asio::post(pool.context(i), [this, i, only_idle] {
      for (Session* s : sessions[static_cast<std::size_t>(i)])
        if (!only_idle || s->idle) s->close();
    });
  }
}

HttpServer::HttpServer(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { stop(0); }

Result<void> HttpServer::start() {
  Impl& im = *impl_;
  error_code ec;
  auto addr = asio::ip::make_address(im.opts.host, ec);
  if (ec) return fail(ErrorCode::usage, "cannot listen on '" + im.opts.host + "': not an IP address", "--host");
  tcp::endpoint ep(addr, im.opts.port);
  im.acceptor = std::make_unique<tcp::acceptor>(im.pool.context(0));
  im.acceptor->open(ep.protocol(), ec);
  if (!ec) im.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) im.acceptor->bind(ep, ec);
  if (!ec) im.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(ErrorCode::io, "cannot listen on " + im.opts.host + ":" + std::to_string(im.opts.port) + ": " +
                                   ec.message(), "pick another --port, or stop what is using it");
  im.bound_port = im.acceptor->local_endpoint().port();
  asio::co_spawn(im.pool.context(0), im.accept_loop(), asio::detached);
  for (int i = 0; i < im.pool.size(); ++i) asio::co_spawn(im.pool.context(i), im.sweep_stuck_writes(i), asio::detached);
  im.pool.start();
  im.started = true;
  return {};
}

std::uint16_t HttpServer::port() const { return impl_->bound_port; }
std::size_t HttpServer::connections() const { return impl_->conns.load(); }
std::size_t HttpServer::requests_served() const { return impl_->served.load(); }

void HttpServer::stop(Nanos grace) {
  Impl& im = *impl_;
  if (!im.started) return;
  im.started = false;
  im.stopping.store(true);
  asio::post(im.pool.context(0), [&im] {
    error_code ec;
    if (im.acceptor) im.acceptor->close(ec);
  });
  auto wait_drained = [&im](Nanos budget) {
    Nanos until = mono_now() + budget;
    while (im.conns.load() > 0 && mono_now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  };
  im.close_sessions(true);
  wait_drained(grace);
  im.close_sessions(false);
  wait_drained(kNanosPerSecond);
  im.pool.stop();
  im.pool.join();
}

}  // namespace llmux::net
