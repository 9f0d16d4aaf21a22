#include "net/http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <time.h>

#include <array>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>

#include "net/http_wire.hpp"
#include "net/reactor_read.hpp"

namespace llmux::net {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

void CancelSignal::cancel() {
  cancelled_ = true;
  if (action_) {
    auto f = std::move(action_);
    action_ = nullptr;
    f();
  }
}

namespace {

// When the bytes of a read reached this host, from the kernel's receive timestamp
// (SO_TIMESTAMPNS, CLOCK_REALTIME) of the last segment the read took, as a
// CLOCK_MONOTONIC instant. A client that is busy (a thousand streams on one core)
// reads late; the kernel stamped the segment when it arrived, so TTFT and ITL keep
// measuring the server and the network, not the client's own queue. Without a
// stamp (or with one that makes no sense) it is the time of the read.
Nanos arrival_from(const msghdr& msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(const_cast<msghdr*>(&msg)); c; c = CMSG_NXTHDR(const_cast<msghdr*>(&msg), c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp{};
    std::memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
    Nanos stamp_ns = static_cast<Nanos>(stamp.tv_sec) * 1'000'000'000 + stamp.tv_nsec;
    // The stamp's age on the real-time clock, read between two monotonic readings
    // (a pair more than 5 us apart was interrupted and is read again).
    Nanos before = 0, after = 0, real_ns = 0;
    for (int tries = 0; tries < 3; ++tries) {
      timespec real{};
      before = mono_now();
      clock_gettime(CLOCK_REALTIME, &real);
      after = mono_now();
      real_ns = static_cast<Nanos>(real.tv_sec) * 1'000'000'000 + real.tv_nsec;
      if (after - before < 5'000) break;
    }
    Nanos age = real_ns - stamp_ns;
    // A stamp from the future or from minutes ago is a clock step, not an arrival.
    if (age >= 0 && age < 60'000'000'000) return before + (after - before) / 2 - age;
    break;
  }
  return mono_now();
}

// The TCP stream of a pooled connection, whose response reads are its own
// (own_reads(): net/reactor_read.hpp, one recvmsg per read where Asio would spend
// two system calls on a stream of spaced tokens) and can say when their bytes
// arrived (arrival()). Own reads go without the tcp_stream's timer: their deadlines
// are the client's watchdog's. Until own_reads() (connect, proxy tunnel, TLS
// handshake), reads are the tcp_stream's, with its timeout.
class StampedStream {
 public:
  using executor_type = beast::tcp_stream::executor_type;
  using lowest_layer_type = tcp::socket::lowest_layer_type;

  explicit StampedStream(beast::tcp_stream& s) : s_(s) {}
  executor_type get_executor() noexcept { return s_.get_executor(); }
  lowest_layer_type& lowest_layer() { return s_.socket().lowest_layer(); }
  const lowest_layer_type& lowest_layer() const { return s_.socket().lowest_layer(); }

  // From here on reads are this stream's own; with `stamp`, they also take the
  // kernel's receive stamp (sticky once on).
  void own_reads(bool stamp) {
    if (!own_) ask_inq(s_.socket().native_handle());
    own_ = true;
    if (!stamp || stamping_) return;
    stamping_ = true;
    int on = 1;
    ::setsockopt(s_.socket().native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  }
  // When the bytes of the last read arrived: its kernel stamp while stamping, else now.
  Nanos arrival() const { return stamping_ ? arrival_ : mono_now(); }

  template <class Buffers, class Token>
  auto async_write_some(const Buffers& b, Token&& token) {
    return s_.async_write_some(b, std::forward<Token>(token));
  }

  template <class Buffers, class Token>
  auto async_read_some(const Buffers& b, Token&& token) {
    if (!own_) return s_.async_read_some(b, std::forward<Token>(token));
    RecvHook hook;
    if (stamping_) hook = RecvHook{&StampedStream::received, this};
    return async_recv_some(s_.socket(), b, hook, std::forward<Token>(token));
  }

 private:
  // Runs inside the read, while the socket (and so this stream) is open.
  static void received(void* self, const msghdr& msg) { static_cast<StampedStream*>(self)->arrival_ = arrival_from(msg); }

  beast::tcp_stream& s_;
  bool own_ = false;
  bool stamping_ = false;
  Nanos arrival_ = 0;
};

// One pooled connection: plain TCP or TLS over TCP, plus its read buffer.
struct Connection {
  beast::tcp_stream tcp;
  StampedStream stamped{tcp};
  std::unique_ptr<beast::ssl_stream<StampedStream&>> tls;
  beast::flat_buffer buffer;
  // Where response body bytes land. Kept with the connection, not in the exchange's
  // coroutine frame: a large frame per request costs a large-bin malloc and free
  // (with heap consolidation) on every request. Not zero-filled: untouched pages stay
  // out of resident memory, which matters with thousands of upstream streams.
  // 16 KiB: reads land in `buffer` first, and what does not fit here waits there for the
  // next round without another system call, so a larger one saves nothing.
  using BodyBuffer = std::array<char, 16384>;
  std::unique_ptr<BodyBuffer> body_buffer = std::make_unique_for_overwrite<BodyBuffer>();
  std::string origin;
  bool reused = false;

  explicit Connection(asio::any_io_executor ex) : tcp(ex) { buffer.reserve(16384); }
  void close() {
    error_code ec;
    tcp.socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp.socket().close(ec);
  }
};

// While alive, a CancelSignal closes `c` (aborting its connect or TLS handshake).
class CloseOnCancel {
 public:
  CloseOnCancel(CancelSignal* cancel, Connection& c) : cancel_(cancel) {
    if (cancel_) cancel_->set_action([&c] { c.close(); });
  }
  ~CloseOnCancel() {
    if (cancel_) cancel_->clear_action();
  }
  CloseOnCancel(const CloseOnCancel&) = delete;
  CloseOnCancel& operator=(const CloseOnCancel&) = delete;

 private:
  CancelSignal* cancel_;
};

// Whether more of the body than the parser has taken is already in `buffer`, so that
// parsing can go on without waiting for the socket. Beast leaves a chunk's closing
// CRLF in the buffer until the next chunk's size line is complete; a size line with
// nothing after it yet would make the parser wait.
bool more_arrived(const beast::flat_buffer& buffer, bool chunked) {
  std::string_view rest(static_cast<const char*>(buffer.data().data()), buffer.size());
  if (!chunked) return !rest.empty();
  if (rest.starts_with("\r\n")) rest.remove_prefix(2);
  auto size_line_end = rest.find("\r\n");
  return size_line_end != std::string_view::npos && size_line_end + 2 < rest.size();
}

Nanos deadline_for(Nanos start, Nanos timeout) { return timeout > 0 ? start + timeout : INT64_MAX / 2; }

std::chrono::steady_clock::duration until(Nanos deadline) {
  Nanos left = deadline - mono_now();
  if (left < 0) left = 0;
  return std::chrono::nanoseconds(left);
}

Error transport_error(ErrorCode code, std::string what, const Url& url) {
  return Error{code, std::move(what), url.str(), 0};
}

// Why a handshake failed, with what to do about it when there is something to do.
std::string tls_failure_text(Connection& c, const error_code& ec, const std::string& host) {
  if (!c.tls) return ec.message();
  long vr = SSL_get_verify_result(c.tls->native_handle());
  if (vr == X509_V_OK) return ec.message();
  std::string text = std::string("certificate verification failed: ") + X509_verify_cert_error_string(vr);
  switch (vr) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return text + " (the certificate is not valid for '" + host + "'; check the URL's host name)";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return text + "; pass --ca-file for a private CA";
    default:
      return text;
  }
}

// Checks the peer certificate's name (DNS name or IP address) inside OpenSSL's own
// verification, so a mismatch reports itself as one.
void expect_peer_name(SSL* ssl, const std::string& host, bool is_ip) {
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  }
}

// Read deadlines without a timer per read. Beast's tcp_stream starts a timer wait
// on every read and cancels it when the read completes (an allocation, two timer
// queue changes and one more completion each time); on a stream of tokens that
// costs about as much as the read itself. Instead an exchange registers a
// ReadWatch whose deadline it moves forward as bytes arrive, and one timer per
// client wakes at the earliest deadline and cancels the reads that are overdue.
// While there are reads to watch the timer also wakes every kTick, and the loop
// ends at the first wake that finds none: so an exchange that starts while others
// are under way, or within a tick of the last one ending, costs no timer work at
// all (at 5,000 requests/s one at a time, that is two timer changes, a coroutine
// and two rounds of the event loop less per request), and an io_context whose
// work is done still returns from run() within a tick. The tick is longer than
// IoPool's heartbeat, so on the server's loops arming it never reprograms the
// loop's timerfd.
struct ReadWatch {
  Connection* conn = nullptr;
  Nanos until = 0;
  bool expired = false;
};

class Watchdog : public std::enable_shared_from_this<Watchdog> {
 public:
  static constexpr Nanos kTick = 50 * kNanosPerMilli;

  explicit Watchdog(asio::any_io_executor ex) : timer_(ex) {}

  void add(ReadWatch* w) {
    watches_.push_back(w);
    moved(w);
  }
  // After w->until changed: makes sure the timer fires no later than it.
  void moved(const ReadWatch* w) {
    if (!running_) {
      running_ = true;
      asio::co_spawn(timer_.get_executor(), run(shared_from_this()), asio::detached);
    } else if (w->until < armed_for_) {
      timer_.cancel();  // wakes the loop to arm for the earlier deadline
    }
  }
  void remove(ReadWatch* w) {
    for (auto& slot : watches_)
      if (slot == w) {
        slot = watches_.back();
        watches_.pop_back();
        return;
      }
  }
  void close() {
    closed_ = true;
    timer_.cancel();
  }

 private:
  static asio::awaitable<void> run(std::shared_ptr<Watchdog> self) {
    error_code ec;
    while (!self->closed_ && !self->watches_.empty()) {
      Nanos now = mono_now();
      Nanos next = now + kTick;
      for (ReadWatch* w : self->watches_) {
        if (w->expired) continue;
        if (w->until <= now) {
          w->expired = true;
          w->conn->tcp.cancel();
        } else {
          next = std::min(next, w->until);
        }
      }
      self->armed_for_ = next;
      self->timer_.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(next)));
      co_await self->timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    self->running_ = false;
    self->armed_for_ = 0;
  }

  asio::steady_timer timer_;
  std::vector<ReadWatch*> watches_;
  Nanos armed_for_ = 0;
  bool running_ = false;
  bool closed_ = false;
};

// Registers a watch for the life of one exchange.
class WatchGuard {
 public:
  WatchGuard(std::shared_ptr<Watchdog> dog, Connection& c, Nanos until) : dog_(std::move(dog)) {
    watch.conn = &c;
    watch.until = until;
    dog_->add(&watch);
  }
  ~WatchGuard() { dog_->remove(&watch); }
  void set_until(Nanos until) {
    watch.until = until;
    dog_->moved(&watch);
  }
  WatchGuard(const WatchGuard&) = delete;
  WatchGuard& operator=(const WatchGuard&) = delete;
  ReadWatch watch;

 private:
  std::shared_ptr<Watchdog> dog_;
};

// A TLS client context with its trust store loaded. Loading the system store parses
// every certificate in it (tens of milliseconds), so one context per (CA file,
// verification) is built on first use and shared by every client in the process;
// OpenSSL allows SSL objects to be made from one SSL_CTX on many threads once it is
// no longer changed.
struct TlsSetup {
  ssl::context ctx{ssl::context::tls_client};
  std::string error;  // empty: ready
};

std::shared_ptr<TlsSetup> shared_tls_setup(const std::string& ca_file, bool verify) {
  static std::mutex mu;
  static std::map<std::pair<std::string, bool>, std::shared_ptr<TlsSetup>> cache;
  std::lock_guard lock(mu);
  auto& slot = cache[{ca_file, verify}];
  if (slot) return slot;
  auto t = std::make_shared<TlsSetup>();
  error_code ec;
  t->ctx.set_default_verify_paths(ec);
  if (!ca_file.empty()) {
    t->ctx.load_verify_file(ca_file, ec);
    if (ec) t->error = "cannot load CA file '" + ca_file + "': " + ec.message();
  }
  t->ctx.set_verify_mode(verify ? ssl::verify_peer : ssl::verify_none);
  slot = t;
  return t;
}

}  // namespace

void HttpClient::preload_tls(const ClientOptions& options) { shared_tls_setup(options.ca_file, options.verify_tls); }

// Beast's response parsing straight into a ResponseHead and the caller's buffer (what
// buffer_body does), without a Beast message whose fields cost an allocation each and
// were then copied out. basic_parser keeps the HTTP: grammar, limits, chunking.
class ResponseParser final : public http::basic_parser<false> {
 public:
  ResponseHead head;
  // Where the next body bytes go; a read stops with need_buffer once it is full.
  void give(char* data, std::size_t size) {
    out_ = data;
    left_ = size;
  }
  std::size_t left() const { return left_; }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int, error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, error_code&) override {
    head.status = code;
    head.headers.reserve(8);
  }
  void on_field_impl(http::field, beast::string_view name, beast::string_view value, error_code&) override {
    head.headers.add(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  std::size_t on_body_impl(beast::string_view body, error_code& ec) override { return put(body, ec); }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, error_code& ec) override {
    return put(body, ec);
  }
  void on_finish_impl(error_code&) override {}

  std::size_t put(beast::string_view body, error_code& ec) {
    std::size_t n = std::min(left_, body.size());
    if (n > 0) std::memcpy(out_, body.data(), n);
    out_ += n;
    left_ -= n;
    if (n < body.size()) ec = http::error::need_buffer;
    return n;
  }

  char* out_ = nullptr;
  std::size_t left_ = 0;
};

struct HttpClient::Impl {
  asio::any_io_executor ex;
  ClientOptions opts;
  std::shared_ptr<TlsSetup> tls;  // on the first TLS connection
  tcp::resolver resolver;
  std::unordered_map<std::string, std::deque<std::unique_ptr<Connection>>> idle;
  std::size_t opened = 0;

  std::shared_ptr<Watchdog> watchdog;

  Impl(asio::any_io_executor e, ClientOptions o)
      : ex(e), opts(std::move(o)), resolver(e), watchdog(std::make_shared<Watchdog>(e)) {}
  ~Impl() { watchdog->close(); }

  std::string origin_key;  // take_idle's buffer: the pool key without an allocation per request

  std::unique_ptr<Connection> take_idle(const Url& url) {
    origin_key.clear();
    url.append_origin(origin_key);
    auto it = idle.find(origin_key);
    while (it != idle.end() && !it->second.empty()) {
      auto c = std::move(it->second.back());
      it->second.pop_back();
      if (c->tcp.socket().is_open()) {
        c->reused = true;
        return c;
      }
    }
    return nullptr;
  }

  void give_back(std::unique_ptr<Connection> c) {
    auto& q = idle[c->origin];
    if (q.size() >= opts.max_idle_per_origin) return;
    c->buffer.clear();
    q.push_back(std::move(c));
  }

  asio::awaitable<Result<std::unique_ptr<Connection>>> connect(const Url& url, Nanos deadline, Nanos connect_timeout,
                                                               CancelSignal* cancel);
  asio::awaitable<Result<void>> tunnel(Connection& c, const Url& url, Nanos deadline);
  asio::awaitable<Result<void>> exchange(Connection& c, const HttpRequest& req, bool via_http_proxy, Nanos deadline,
                                         ResponseSink& sink, bool& got_bytes, bool& keep_alive);
  template <class Stream>
  asio::awaitable<Result<void>> exchange_on(Stream& s, Connection& c, const HttpRequest& req, bool via_http_proxy,
                                            Nanos deadline, ResponseSink& sink, bool& got_bytes, bool& keep_alive);
};

asio::awaitable<Result<std::unique_ptr<Connection>>> HttpClient::Impl::connect(const Url& url, Nanos deadline,
                                                                               Nanos connect_timeout,
                                                                               CancelSignal* cancel) {
  auto proxy = proxy_for(url, opts.proxy);
  if (!proxy) co_return tl::unexpected(proxy.error());
  const Url& hop = *proxy ? **proxy : url;
  error_code ec;
  auto results = co_await resolver.async_resolve(hop.host, std::to_string(hop.port),
                                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec)
    co_return tl::unexpected(
        transport_error(ErrorCode::connect, "cannot resolve host '" + hop.host + "': " + ec.message(), url));
  auto c = std::make_unique<Connection>(ex);
  c->origin = url.origin();
  // A host that drops SYNs must not hold a Ctrl-C for connect_timeout.
  CloseOnCancel abort_connect(cancel, *c);
  Nanos connect_deadline = std::min(deadline, mono_now() + (connect_timeout > 0 ? connect_timeout : opts.connect_timeout));
  c->tcp.expires_after(until(connect_deadline));
  co_await c->tcp.async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    std::string what = ec == beast::error::timeout ? "connect timed out" : ec.message();
    ErrorCode code = ec == beast::error::timeout ? ErrorCode::timeout : ErrorCode::connect;
    co_return tl::unexpected(transport_error(
        code, "cannot connect to " + hop.authority() + (*proxy ? " (proxy)" : "") + ": " + what +
                  (code == ErrorCode::connect ? "; is the server running and the URL right?" : ""),
        url));
  }
  c->tcp.socket().set_option(tcp::no_delay(true), ec);
  c->tcp.socket().non_blocking(true, ec);  // for send_now
  ++opened;
  if (*proxy && url.tls()) {
    auto tunneled = co_await tunnel(*c, url, deadline);
    if (!tunneled) co_return tl::unexpected(tunneled.error());
  }
  if (url.tls()) {
    if (!tls) tls = shared_tls_setup(opts.ca_file, opts.verify_tls);
    if (!tls->error.empty()) co_return tl::unexpected(transport_error(ErrorCode::tls, tls->error, url));
    c->tls = std::make_unique<beast::ssl_stream<StampedStream&>>(c->stamped, tls->ctx);
    error_code not_ip;
    asio::ip::make_address(url.host, not_ip);
    // SNI carries host names only (RFC 6066), never an IP literal.
    if (not_ip) SSL_set_tlsext_host_name(c->tls->native_handle(), url.host.c_str());
    if (opts.verify_tls) expect_peer_name(c->tls->native_handle(), url.host, !not_ip);
    c->tcp.expires_after(until(connect_deadline));
    co_await c->tls->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
      co_return tl::unexpected(transport_error(
          ErrorCode::tls, "TLS handshake with " + url.host + " failed: " + tls_failure_text(*c, ec, url.host), url));
  }
  co_return c;
}

// HTTPS through an HTTP proxy: CONNECT host:port, expect 2xx, then TLS inside.
asio::awaitable<Result<void>> HttpClient::Impl::tunnel(Connection& c, const Url& url, Nanos deadline) {
  std::string req = "CONNECT " + url.authority() + " HTTP/1.1\r\nHost: " + url.authority() + "\r\n\r\n";
  error_code ec;
  c.tcp.expires_after(until(deadline));
  co_await asio::async_write(c.tcp, asio::buffer(req), asio::redirect_error(asio::use_awaitable, ec));
  http::response_parser<http::empty_body> parser;
  parser.skip(true);  // a CONNECT response has no body
  if (!ec) co_await http::async_read_header(c.tcp, c.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail(ErrorCode::connect, "proxy CONNECT to " + url.authority() + " failed: " + ec.message(), url.str());
  int status = static_cast<int>(parser.get().result_int());
  if (status / 100 != 2)
    co_return fail(ErrorCode::connect, "proxy refused CONNECT to " + url.authority() + " with HTTP " +
                                           std::to_string(status), url.str());
  c.buffer.clear();
  co_return Result<void>{};
}

template <class Stream>
asio::awaitable<Result<void>> HttpClient::Impl::exchange_on(Stream& s, Connection& c, const HttpRequest& req,
                                                            bool via_http_proxy, Nanos deadline, ResponseSink& sink,
                                                            bool& got_bytes, bool& keep_alive) {
  std::string head = format_request_head(req, via_http_proxy, opts.user_agent);
  std::array<asio::const_buffer, 2> bufs{asio::buffer(head), asio::buffer(req.body)};
  error_code ec;
  sink.on_sent(mono_now());
  // Over plain TCP the request goes out on the spot (send_now); what does not fit, and
  // everything over TLS, goes through the stream under the exchange's deadline.
  std::size_t sent = 0;
  if constexpr (std::is_same_v<Stream, StampedStream>) sent = send_now(c.tcp.socket(), bufs, ec);
  if (!ec && sent < head.size() + req.body.size()) {
    c.tcp.expires_after(until(deadline));
    beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(bufs);
    rest.consume(sent);
    co_await asio::async_write(s, rest, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec) co_return fail(ErrorCode::connect, "sending the request failed: " + ec.message(), req.url.str());

  ResponseParser parser;
  parser.header_limit(static_cast<std::uint32_t>(opts.max_header_bytes));
  parser.body_limit(opts.max_body_bytes);
  if (req.method == "HEAD") parser.skip(true);
  Nanos read_timeout = req.read_timeout ? req.read_timeout : opts.read_timeout;
  if (read_timeout <= 0) read_timeout = INT64_MAX / 4;
  c.tcp.expires_never();  // reads are timed by the watchdog
  c.stamped.own_reads(opts.stamp_arrivals);
  WatchGuard guard(watchdog, c, std::min(deadline, mono_now() + read_timeout));
  co_await http::async_read_header(s, c.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (guard.watch.expired) ec = beast::error::timeout;
  if (c.buffer.size() > 0 || parser.got_some()) got_bytes = true;
  if (ec) co_return map_read_error(ec, "reading the response head", req.url, false);
  sink.on_head(parser.head, c.stamped.arrival());

  Connection::BodyBuffer& chunk = *c.body_buffer;
  std::size_t received = 0;
  std::size_t unflushed = 0;
  constexpr std::size_t kFlushAfter = 64 * 1024;
  while (!parser.is_done()) {
    guard.set_until(std::min(deadline, mono_now() + read_timeout));
    parser.give(chunk.data(), chunk.size());
    co_await http::async_read_some(s, c.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    Nanos t = c.stamped.arrival();  // when the bytes reached this host (kernel stamp) or now
    if (guard.watch.expired) ec = beast::error::timeout;
    if (ec == http::error::need_buffer) ec = {};
    std::size_t n = chunk.size() - parser.left();
    received += n;
    if (n > 0) {
      // (No co_await inside || or && conditions: g++ 12 miscompiles them.)
      bool more = sink.on_body(std::string_view(chunk.data(), n), t);
      guard.set_until(deadline);  // a slow consumer is not a silent server
      // Flushed when the next bytes must come from the socket, or after 64 KiB: what has
      // already arrived is parsed first, so an answer that came in one read goes on in
      // one write, and a fast upstream still meets its consumer's pace. The last piece is
      // not flushed here: the caller learns the end when this returns and finishes with
      // it (a gateway then writes the rest and the end in one go).
      unflushed += n;
      if (more && !parser.is_done() && (!more_arrived(c.buffer, parser.chunked()) || unflushed >= kFlushAfter)) {
        unflushed = 0;
        more = co_await sink.flush();
      }
      if (!more) {
        keep_alive = false;
        co_return Result<void>{};
      }
    }
    if (ec) {
      auto err = map_read_error(ec, "reading the response body after " + std::to_string(received) + " bytes",
                                req.url, true);
      co_return err;
    }
  }
  keep_alive = parser.keep_alive();
  co_return Result<void>{};
}

asio::awaitable<Result<void>> HttpClient::Impl::exchange(Connection& c, const HttpRequest& req, bool via_http_proxy,
                                                         Nanos deadline, ResponseSink& sink, bool& got_bytes,
                                                         bool& keep_alive) {
  if (c.tls) co_return co_await exchange_on(*c.tls, c, req, via_http_proxy, deadline, sink, got_bytes, keep_alive);
  co_return co_await exchange_on(c.stamped, c, req, via_http_proxy, deadline, sink, got_bytes, keep_alive);
}

HttpClient::HttpClient(asio::any_io_executor executor, ClientOptions options)
    : impl_(std::make_unique<Impl>(executor, std::move(options))) {}

HttpClient::~HttpClient() = default;

const ClientOptions& HttpClient::options() const { return impl_->opts; }
std::size_t HttpClient::connections_opened() const { return impl_->opened; }

void HttpClient::close_idle() {
  for (auto& [k, q] : impl_->idle)
    for (auto& c : q) c->close();
  impl_->idle.clear();
}

asio::awaitable<Result<void>> HttpClient::stream(const HttpRequest& request, ResponseSink& sink,
                                                 CancelSignal* cancel) {
  Impl& im = *impl_;
  Nanos deadline = deadline_for(mono_now(), request.total_timeout ? request.total_timeout : im.opts.total_timeout);
  auto proxy = proxy_for(request.url, im.opts.proxy);
  if (!proxy) co_return tl::unexpected(proxy.error());
  bool via_http_proxy = *proxy && !request.url.tls();
  // A pooled connection the server closed while idle fails before any response
  // byte; then (and only then) the request is sent once more on a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (cancel && cancel->cancelled()) co_return fail(ErrorCode::cancelled, "request cancelled", request.url.str());
    auto conn = attempt == 0 ? im.take_idle(request.url) : nullptr;
    if (!conn) {
      auto fresh = co_await im.connect(request.url, deadline, request.connect_timeout, cancel);
      if (cancel && cancel->cancelled())
        co_return fail(ErrorCode::cancelled, "request cancelled", request.url.str());
      if (!fresh) co_return tl::unexpected(fresh.error());
      conn = std::move(*fresh);
    }
    Connection* raw = conn.get();
    if (cancel && cancel->cancelled()) {  // cancelled while connecting
      conn->close();
      co_return fail(ErrorCode::cancelled, "request cancelled", request.url.str());
    }
    if (cancel) cancel->set_action([raw] { raw->close(); });
    bool got_bytes = false, keep_alive = false;
    auto r = co_await im.exchange(*conn, request, via_http_proxy, deadline, sink, got_bytes, keep_alive);
    if (cancel) {
      cancel->clear_action();
      if (cancel->cancelled()) co_return fail(ErrorCode::cancelled, "request cancelled", request.url.str());
    }
    if (!r && conn->reused && !got_bytes && r.error().code != ErrorCode::timeout) continue;
    if (r && keep_alive) im.give_back(std::move(conn));
    else conn->close();
    co_return r;
  }
  co_return fail(ErrorCode::stream_cut, "the server closed the connection before answering", request.url.str());
}

namespace {
class CollectSink final : public ResponseSink {
 public:
  HttpResponse response;
  void on_head(const ResponseHead& head, Nanos) override {
    response.status = head.status;
    response.headers = head.headers;
  }
  bool on_body(std::string_view bytes, Nanos) override {
    response.body.append(bytes);
    return true;
  }
};
}  // namespace

asio::awaitable<Result<HttpResponse>> HttpClient::fetch(const HttpRequest& request, CancelSignal* cancel) {
  CollectSink sink;
  auto r = co_await stream(request, sink, cancel);
  if (!r) co_return tl::unexpected(r.error());
  co_return std::move(sink.response);
}

}  // namespace llmux::net
