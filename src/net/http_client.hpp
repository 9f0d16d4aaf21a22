#pragma once
// HTTP/1.1 client on Asio/Beast coroutines: a keep-alive pool per origin, TLS
// verified against the system store (or a CA file) with SNI, connect/read/total
// timeouts, HTTP(S)_PROXY via CONNECT, chunked and content-length bodies, and
// size limits. One HttpClient belongs to one io_context thread (no locks).
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "net/asio.hpp"
#include "net/headers.hpp"
#include "net/proxy.hpp"
#include "net/url.hpp"

namespace llmux::net {

struct ClientOptions {
  Nanos connect_timeout = 10 * kNanosPerSecond;
  Nanos read_timeout = 120 * kNanosPerSecond;   // longest silence between bytes
  Nanos total_timeout = 600 * kNanosPerSecond;  // whole request, connect to last byte
  std::size_t max_header_bytes = 64u << 10;
  std::size_t max_body_bytes = 256u << 20;      // per response, streamed or not
  std::size_t max_idle_per_origin = 4096;
  bool verify_tls = true;
  std::string ca_file;                          // extra trust anchors (PEM)
  ProxyEnv proxy = ProxyEnv::from_environment();
  std::string user_agent = "llmux/0.1";
  // Time response bytes by the kernel's receive stamp (when they reached this host)
  // instead of by when the client read them: what a load generator needs, since its
  // own backlog must not count as the server's latency. Its reads are not Asio's (a
  // wait re-arms the socket in epoll, a system call Asio's reads do not make), so
  // only clients that measure turn it on.
  bool stamp_arrivals = false;
};

struct HttpRequest {
  std::string method = "POST";
  Url url;
  Headers headers;
  std::string body;
  Nanos total_timeout = 0;    // 0: the client's default
  Nanos read_timeout = 0;     // 0: the client's default
  Nanos connect_timeout = 0;  // 0: the client's default (a fresh connection only)
};

struct ResponseHead {
  int status = 0;
  Headers headers;
};

// Receives a response as it arrives, on the client's thread.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // Just before the first byte of the request is written.
  virtual void on_sent(Nanos /*t*/) {}
  virtual void on_head(const ResponseHead& head, Nanos t) = 0;
  // Decoded body bytes (chunk framing removed). Return false to stop reading: the
  // connection is then closed, and stream() returns success.
  virtual bool on_body(std::string_view bytes, Nanos t) = 0;
  // After each on_body but the one that completes the body: a chance to do asynchronous
  // work (a gateway relays what it decoded to its own client here, so a slow client slows
  // the upstream read). Return false to stop reading, as from on_body.
  virtual asio::awaitable<bool> flush() { co_return true; }
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// Aborts a request from outside (client went away, run ended): closes its socket.
class CancelSignal {
 public:
  void cancel();
  bool cancelled() const { return cancelled_; }
  // Used by the client: the action that aborts the current operation.
  void set_action(std::function<void()> f) { action_ = std::move(f); }
  void clear_action() { action_ = nullptr; }

 private:
  bool cancelled_ = false;
  std::function<void()> action_;
};

class HttpClient {
 public:
  HttpClient(asio::any_io_executor executor, ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and feeds the response to `sink` as it arrives. An HTTP error
  // status is not an error here: the sink sees it. Errors are transport failures.
  asio::awaitable<Result<void>> stream(const HttpRequest& request, ResponseSink& sink,
                                       CancelSignal* cancel = nullptr);
  // Whole response in memory (body limited by max_body_bytes).
  asio::awaitable<Result<HttpResponse>> fetch(const HttpRequest& request, CancelSignal* cancel = nullptr);

  // Closes idle pooled connections.
  void close_idle();
  const ClientOptions& options() const;
  std::size_t connections_opened() const;

  // Loads the TLS trust store for these options now rather than on the first HTTPS
  // request (it is loaded once per process and shared by every client).
  static void preload_tls(const ClientOptions& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmux::net
