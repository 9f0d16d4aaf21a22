#include "net/http_server.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <thread>

#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "net/io_pool.hpp"
#include "net/reactor_read.hpp"

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

// The status line, and the Server header when the server names itself.
void append_status_line(std::string& h, int status, std::string_view server) {
  h += "HTTP/1.1 ";
  h += std::to_string(status);
  h += ' ';
  h += reason_phrase(status);
  h += "\r\n";
  if (server.empty()) return;
  h += "Server: ";
  h += server;
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

// A connection's request side, for Beast's parser: its reads are the reactor reads
// of net/reactor_read.hpp, which know when a read drained the socket. The read for
// the next request on a kept-alive connection then waits for the reactor instead of
// first finding the socket empty (one recvmsg per request instead of two), and the
// disconnect watch queued before it costs no system call. Reads have no timer of
// their own: the server's sweeper enforces their deadlines (Session::deadlines).
class RequestStream {
 public:
  using executor_type = tcp::socket::executor_type;
  explicit RequestStream(tcp::socket& s) : s_(s) {}
  executor_type get_executor() noexcept { return s_.get_executor(); }
  template <class Buffers, class Token>
  auto async_read_some(const Buffers& b, Token&& token) {
    return async_recv_some(s_, b, RecvHook{}, std::forward<Token>(token));
  }

 private:
  tcp::socket& s_;
};

// Beast's request parsing straight into a ServerRequest: no Beast message in
// between, whose fields cost an allocation each and were then copied out again.
// Beast's basic_parser keeps doing the HTTP: the grammar, header and body limits,
// chunked bodies, keep-alive.
class RequestParser final : public http::basic_parser<true> {
 public:
  ServerRequest req;
  bool head_method = false;
  bool expects_continue = false;  // Expect: 100-continue

 private:
  void on_request_impl(http::verb method, beast::string_view method_str, beast::string_view target, int,
                       error_code&) override {
    req.method.assign(method_str.data(), method_str.size());
    req.target.assign(target.data(), target.size());
    head_method = method == http::verb::head;
    req.headers.reserve(8);
  }
  void on_response_impl(int, beast::string_view, int, error_code&) override {}
  void on_field_impl(http::field name, beast::string_view name_string, beast::string_view value, error_code&) override {
    if (name == http::field::expect && equals_icase(std::string_view(value.data(), value.size()), "100-continue"))
      expects_continue = true;
    req.headers.add(std::string(name_string.data(), name_string.size()), std::string(value.data(), value.size()));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length) req.body.reserve(static_cast<std::size_t>(*length));  // within the body limit, checked before
  }
  std::size_t on_body_impl(beast::string_view body, error_code&) override {
    req.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, error_code&) override {
    req.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(error_code&) override {}
};

// A pending write's start and a pending read's deadline, per session (0: none); see sweep.
struct Deadlines {
  Nanos write_started = 0;
  Nanos read_deadline = 0;
};

// The sessions of one context, touched only on its thread. Their deadlines live in an
// array of their own, so that the sweeper reads 16 contiguous bytes a session and
// touches a session only when a deadline has passed: walking 10,000 sessions through a
// hash set and into each session took 2.5 ms here, a stall of the whole context (every
// stream on it late) at each sweep.
class SessionTable {
 public:
  void add(Session& s);
  void remove(Session& s);  // the last session moves into the freed slot
  std::size_t size() const { return sessions_.size(); }
  Session& session(std::size_t i) { return *sessions_[i]; }
  Deadlines& deadlines(std::size_t i) { return deadlines_[i]; }

 private:
  std::vector<Session*> sessions_;
  std::vector<Deadlines> deadlines_;
};

struct HttpServer::Impl {
  ServerOptions opts;
  Handler handler;
  IoPool pool;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<SessionTable> sessions;  // per context
  std::atomic<std::size_t> conns{0};
  std::atomic<std::size_t> served{0};
  std::atomic<bool> stopping{false};
  std::uint16_t bound_port = 0;
  bool started = false;
  int spare_fd = -1;  // given up for a moment when descriptors run out (shed_one)

  Impl(ServerOptions o, Handler h)
      : opts(std::move(o)), handler(std::move(h)), pool(opts.threads, opts.busy_poll), sessions(static_cast<std::size_t>(pool.size())) {}
  ~Impl() {
    if (spare_fd >= 0) ::close(spare_fd);
  }

  // The whole 503 for a client the server will not take, with the usual error body.
  std::string busy_response(const std::string& message) const;
  // Out of descriptors, a client in the listen queue would wait with no answer: the
  // spare descriptor is closed for a moment to accept it, answer 503 and close it.
  bool shed_one();

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> sweep(int ctx_index);
  asio::awaitable<void> run_session(int ctx_index, tcp::socket socket);
  void close_sessions(bool only_idle);
};

struct Session final : ResponseWriter {
  using ResponseWriter::end_stream;
  HttpServer::Impl& srv;
  tcp::socket sock;
  RequestStream reader{sock};
  beast::flat_buffer buffer;
  bool idle = true;
  SessionTable* table = nullptr;  // this session's context's, and its slot there
  std::size_t slot = 0;
  bool read_expired = false;  // the sweeper cancelled the read at its deadline
  bool started_ = false;
  bool finished_ = false;
  bool gone_ = false;
  bool keep_alive = true;
  bool head_request_ = false;
  std::string head_;  // a begun stream's head, until its first chunk goes out
  std::string answer_headers_;  // add_response_header's, "Name: value\r\n" each

  void add_response_header(std::string_view name, std::string_view value) override {
    answer_headers_.append(name).append(": ").append(value).append("\r\n");
  }

  Session(HttpServer::Impl& s, tcp::socket socket) : srv(s), sock(std::move(socket)) {
    buffer.reserve(16384);  // one read takes a whole typical request (Beast reads 512 bytes into an empty buffer)
  }

  void close() {
    error_code ec;
    sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
  }

  bool keep() const { return keep_alive && !srv.stopping.load(std::memory_order_relaxed); }
  // (Looked up at each use: the table's arrays move as sessions come and go.)
  Deadlines& deadlines() { return table->deadlines(slot); }

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
    std::size_t sent = send_now(sock, bufs, ec);
    if (!ec && sent < total) {
      deadlines().write_started = mono_now();
      beast::buffers_suffix<Buffers> rest(bufs);
      rest.consume(sent);
      co_await asio::async_write(sock, rest, asio::redirect_error(asio::use_awaitable, ec));
      deadlines().write_started = 0;
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
    append_status_line(h, status, srv.opts.server);
    if (!content_type.empty()) {
      h += "Content-Type: ";
      h += content_type;
      h += "\r\n";
    }
    h += "Content-Length: ";
    h += std::to_string(body.size());
    h += keep() ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n";
    append_headers(h, extra);
    h += answer_headers_;
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
    append_status_line(h, status, srv.opts.server);
    h += "Content-Type: ";
    h += content_type;
    h += "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\n";
    h += keep() ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    append_headers(h, extra);
    h += answer_headers_;
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
      sock.send(asio::buffer(head_), 0, ec);
      head_.clear();
    }
    gone_ = true;
    keep_alive = false;
    close();
  }
  bool started() const override { return started_; }
  bool client_gone() const override { return gone_; }

  // The watch is a peek at the socket queued on the reactor (start_watch): it ends
  // when the client closes or resets the connection (it went away), or sends more (a
  // pipelined request: nothing to do). stop_watch only marks it stale; the next
  // request's read queues behind it, and the reactor retires it when that request
  // comes. run_session waits for every watch to complete before the session goes.
  void watch_disconnect(std::function<void()> on_gone) override {
    on_gone_ = std::move(on_gone);
    if (watching_) return;
    watching_ = true;
    ++watches_pending_;
    start_watch(sock, &watch_gen_, watch_gen_,
                [this, gen = watch_gen_](error_code ec, std::size_t) { watch_ended(gen, ec); });
  }

  void watch_ended(std::uint64_t gen, const error_code& ec) {
    --watches_pending_;
    if (gen != watch_gen_) return;  // its request is over
    watching_ = false;
    if (ec && ec != asio::error::operation_aborted && !finished_) {
      gone_ = true;
      if (on_gone_) on_gone_();
    }
  }

  // Ends the watch before the connection reads its next request.
  void stop_watch() {
    on_gone_ = nullptr;
    if (!watching_) return;
    watching_ = false;
    ++watch_gen_;
  }

  std::function<void()> on_gone_;
  bool watching_ = false;
  std::uint64_t watch_gen_ = 0;  // a watch started under another number is stale
  int watches_pending_ = 0;      // watches whose handler has not run yet

  // `target`: the request's, when its head was read.
  // The state of a new answer (a request served, or one refused before it was).
  void begin_answer(bool head_request) {
    head_request_ = head_request;
    started_ = finished_ = gone_ = false;
    head_.clear();
    answer_headers_.clear();
  }

  asio::awaitable<void> reject(int status, std::string_view message, std::string_view target) {
    begin_answer(false);  // (on a kept-alive connection the last request's answer is done)
    keep_alive = false;
    std::string body = srv.opts.error_body ? srv.opts.error_body(target, status, message)
                                           : error_json(message, "invalid_request_error");
    co_await send(status, "application/json", body, nullptr);
    co_await linger();
  }

  // After a refused request the client may still be sending (the rest of a body over
  // the limit): a close with its bytes unread resets the connection, and a client that
  // is still writing then never reads the answer (Node's fetch sees EPIPE, not the 413).
  // So the answer goes out, this side closes for sending, and what the client still
  // sends is read and dropped until it closes too, for at most kLinger (nginx's
  // "lingering close").
  // A stop closes a lingering connection at once, as an idle one.
  static constexpr Nanos kLinger = 2 * kNanosPerSecond;
  asio::awaitable<void> linger() {
    error_code ec;
    sock.shutdown(tcp::socket::shutdown_send, ec);
    if (ec || gone_ || srv.stopping.load(std::memory_order_relaxed)) co_return;
    idle = true;
    const Nanos until = mono_now() + kLinger;
    auto scratch = std::make_unique<char[]>(16384);
    // Each read under its own deadline (the sweeper cancels it), and the loop itself
    // bounded: a cancel that comes as a read completes is lost, and a client that sends
    // without pause would otherwise be drained for ever.
    for (Nanos now = mono_now(); !ec && now < until && !srv.stopping.load(std::memory_order_relaxed); now = mono_now()) {
      start_read_clock(until - now);
      co_await sock.async_read_some(asio::buffer(scratch.get(), 16384), asio::redirect_error(asio::use_awaitable, ec));
      stop_read_clock(ec);
    }
  }

  void start_read_clock(Nanos timeout) {
    read_expired = false;
    deadlines().read_deadline = mono_now() + timeout;
  }
  // A read the sweeper cancelled at its deadline timed out.
  void stop_read_clock(error_code& ec) {
    deadlines().read_deadline = 0;
    if (read_expired && ec == asio::error::operation_aborted) ec = beast::error::timeout;
  }

  asio::awaitable<void> reject_for(const error_code& ec, std::string_view target);
  asio::awaitable<void> serve_one(RequestParser& parser);
  asio::awaitable<void> loop();
};

asio::awaitable<void> Session::serve_one(RequestParser& parser) {
  ServerRequest& req = parser.req;
  req.received_at = mono_now();
  keep_alive = parser.keep_alive();
  begin_answer(parser.head_method);
  std::string crash;
  try {
    co_await srv.handler(req, *this);
  } catch (const std::exception& e) {
    crash = e.what();
  }
  stop_watch();
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

asio::awaitable<void> Session::reject_for(const error_code& ec, std::string_view target) {
  switch (rejection_status(ec)) {
    case 431: co_return co_await reject(431, "request header too large", target);
    case 413:
      co_return co_await reject(413, "request body larger than " + std::to_string(srv.opts.max_body_bytes) + " bytes", target);
    case 400: co_return co_await reject(400, "malformed HTTP request: " + ec.message(), target);
    default: co_return;
  }
}

asio::awaitable<void> Session::loop() {
  bool first = true;
  while (!srv.stopping.load(std::memory_order_relaxed)) {
    RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(srv.opts.max_header_bytes));
    parser.body_limit(srv.opts.max_body_bytes);
    error_code ec;
    idle = true;
    start_read_clock(first ? srv.opts.request_timeout : srv.opts.idle_timeout);
    co_await http::async_read_header(reader, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    stop_read_clock(ec);
    idle = false;
    first = false;
    if (ec) co_return co_await reject_for(ec, parser.req.target);  // or closed, timed out or reset while idle
    if (parser.expects_continue) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      bool sent = co_await write_buffers(asio::buffer(kContinue.data(), kContinue.size()));
      if (!sent) co_return;
    }
    if (!parser.is_done()) {
      start_read_clock(srv.opts.request_timeout);
      co_await http::async_read(reader, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      stop_read_clock(ec);
      if (ec == beast::error::timeout) co_return co_await reject(408, "request body not received in time", parser.req.target);
      if (ec) co_return co_await reject_for(ec, parser.req.target);
    }
    co_await serve_one(parser);
    if (!keep() || gone_) co_return;
  }
}

void SessionTable::add(Session& s) {
  s.table = this;
  s.slot = sessions_.size();
  sessions_.push_back(&s);
  deadlines_.push_back({});
}

void SessionTable::remove(Session& s) {
  std::size_t last = sessions_.size() - 1;
  if (s.slot != last) {
    sessions_[s.slot] = sessions_[last];
    deadlines_[s.slot] = deadlines_[last];
    sessions_[s.slot]->slot = s.slot;
  }
  sessions_.pop_back();
  deadlines_.pop_back();
  s.table = nullptr;
}

asio::awaitable<void> HttpServer::Impl::run_session(int ctx_index, tcp::socket socket) {
  Session s(*this, std::move(socket));
  auto& registry = sessions[static_cast<std::size_t>(ctx_index)];
  registry.add(s);
  error_code ec;
  s.sock.set_option(tcp::no_delay(true), ec);
  s.sock.non_blocking(true, ec);  // for write_buffers' send on the spot
  ask_inq(s.sock.native_handle());  // for RequestStream's reads
  co_await s.loop();
  registry.remove(s);
  s.close();  // completes a pending watch with operation_aborted
  while (s.watches_pending_ > 0) co_await asio::post(s.sock.get_executor(), asio::use_awaitable);
  conns.fetch_sub(1, std::memory_order_relaxed);
}

std::string HttpServer::Impl::busy_response(const std::string& message) const {
  // Answered without reading the request (its target is unknown).
  std::string body = opts.error_body ? opts.error_body("", 503, message) : error_json(message, "service_unavailable");
  std::string r;
  append_status_line(r, 503, opts.server);
  r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
       "\r\nConnection: close\r\nRetry-After: 1\r\n\r\n";
  return r + body;
}

bool HttpServer::Impl::shed_one() {
  if (spare_fd < 0) return false;
  ::close(spare_fd);
  int fd = ::accept4(acceptor->native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd >= 0) {
    std::string busy = busy_response("the server is out of file descriptors; retry after the time Retry-After gives");
    [[maybe_unused]] auto n = ::send(fd, busy.data(), busy.size(), MSG_NOSIGNAL);
    ::close(fd);
  }
  spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd >= 0;
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
      if (ec == asio::error::no_descriptors && shed_one()) continue;
      // Out of descriptors or similar: back off briefly instead of spinning.
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(10));
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (conns.load() >= opts.max_connections) {
      std::string busy = busy_response("the server is at its connection limit (" +
                                       std::to_string(opts.max_connections) +
                                       "); retry after the time Retry-After gives");
      sock.non_blocking(true, ec);  // one write that does not wait
      sock.write_some(asio::buffer(busy), ec);
      sock.close(ec);
      continue;
    }
    conns.fetch_add(1, std::memory_order_relaxed);
    asio::co_spawn(pool.context(idx), run_session(idx, std::move(sock)), asio::detached);
  }
}

// Enforces each connection's deadlines: a read pending past its deadline is
// cancelled (it ends as a timeout), and a connection whose client stopped reading (a
// write pending longer than write_timeout) is closed, so a stalled client never holds
// a handler forever. Runs every quarter of the shortest timeout, between 10 ms and 1 s.
asio::awaitable<void> HttpServer::Impl::sweep(int ctx_index) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  Nanos shortest = std::min({opts.request_timeout, opts.idle_timeout, opts.write_timeout});
  Nanos every = std::clamp<Nanos>(shortest / 4, 10 * kNanosPerMilli, kNanosPerSecond);
  error_code ec;
  while (!stopping.load()) {
    t.expires_after(std::chrono::nanoseconds(every));
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    Nanos now = mono_now();
    SessionTable& table = sessions[static_cast<std::size_t>(ctx_index)];
    for (std::size_t i = 0; i < table.size(); ++i) {  // (neither abort nor cancel leaves the table here)
      Deadlines& d = table.deadlines(i);
      if (d.write_started && now - d.write_started > opts.write_timeout) {
        table.session(i).abort();
      } else if (d.read_deadline && now >= d.read_deadline) {
        d.read_deadline = 0;
        Session& s = table.session(i);
        s.read_expired = true;
        s.sock.cancel(ec);
      }
    }
  }
}

void HttpServer::Impl::close_sessions(bool only_idle) {
  for (int i = 0; i < pool.size(); ++i) {
    asio::post(pool.context(i), [this, i, only_idle] {
      SessionTable& table = sessions[static_cast<std::size_t>(i)];
      for (std::size_t k = 0; k < table.size(); ++k)
        if (!only_idle || table.session(k).idle) table.session(k).close();
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
  im.spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  asio::co_spawn(im.pool.context(0), im.accept_loop(), asio::detached);
  for (int i = 0; i < im.pool.size(); ++i) asio::co_spawn(im.pool.context(i), im.sweep(i), asio::detached);
  im.pool.start();
  im.started = true;
  return {};
}

std::uint16_t HttpServer::port() const { return impl_->bound_port; }
std::size_t HttpServer::connections() const { return impl_->conns.load(); }
std::size_t HttpServer::requests_served() const { return impl_->served.load(); }

void HttpServer::stop(Nanos grace, std::function<void()> at_deadline) {
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
  if (at_deadline && im.conns.load() > 0) {
    for (int i = 0; i < im.pool.size(); ++i) asio::post(im.pool.context(i), at_deadline);
    wait_drained(2 * kNanosPerSecond);
  }
  im.close_sessions(false);
  wait_drained(kNanosPerSecond);
  im.pool.stop();
  im.pool.join();
}

}  // namespace llmux::net
