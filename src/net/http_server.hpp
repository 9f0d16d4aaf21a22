#pragma once
// HTTP/1.1 server on Asio/Beast coroutines, one io_context per thread. Limits on
// header and body size, idle and request timeouts, a cap on connections, and a
// graceful stop: stop accepting, let requests in flight finish, then close.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "net/asio.hpp"
#include "net/headers.hpp"

namespace llmux::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one; see HttpServer::port()
  int threads = 1;
  std::size_t max_header_bytes = 64u << 10;
  std::size_t max_body_bytes = 16u << 20;
  Nanos request_timeout = 30 * kNanosPerSecond;  // to read one request, head and body
  Nanos idle_timeout = 75 * kNanosPerSecond;     // keep-alive wait for the next request
  Nanos write_timeout = 60 * kNanosPerSecond;    // one write to a slow client
  // (Deadlines are checked every quarter of the shortest of the three, 10 ms to 1 s.)
  std::size_t max_connections = 50000;
  Nanos busy_poll = 0;  // see IoPool: 0 sleeps as soon as there is no work
  std::string server;   // the Server header of every response (empty: none)
  // The body of an error the server answers itself (a request over a limit, malformed
  // HTTP, a body not received in time), given the request target when its head was
  // read (else empty), the status and the message. Unset: OpenAI's error shape.
  std::function<std::string(std::string_view target, int status, std::string_view message)> error_body;
};

struct ServerRequest {
  std::string method;
  std::string target;  // path and query as sent
  Headers headers;
  std::string body;
  Nanos received_at = 0;  // monotonic time the request was fully read
  std::string_view path() const;
  std::string_view query() const;
  // Value of a query parameter ("alt=sse"), or empty.
  std::string_view query_param(std::string_view name) const;
};

// The handler's way to answer: either one whole response, or a chunked stream.
// (Optional headers are passed by pointer: a defaulted temporary argument to a
// coroutine is miscompiled by g++ 12 and crashes on resume.)
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  virtual asio::awaitable<void> send(int status, std::string_view content_type, std::string_view body,
                                     const Headers* extra = nullptr) = 0;
  // Starts a chunked response; false if the client is gone. The head goes out with the
  // first chunk (or the end), in the same write; write("") sends it on its own.
  virtual asio::awaitable<bool> begin_stream(int status, std::string_view content_type,
                                             const Headers* extra = nullptr) = 0;
  // Writes one chunk; false if the client is gone (then stop producing).
  virtual asio::awaitable<bool> write(std::string_view data) = 0;
  // Ends the stream; `last`, if not empty, is its last chunk, written together with the end.
  virtual asio::awaitable<void> end_stream(std::string_view last) = 0;
  asio::awaitable<void> end_stream() { return end_stream(std::string_view{}); }
  // Closes the connection without finishing the response (fault injection: cut stream).
  virtual void abort() = 0;
  virtual bool started() const = 0;
  virtual bool client_gone() const = 0;
  // Watches the client's connection while the handler waits on something else (an
  // upstream): if the client disconnects, on_gone runs (on this connection's thread)
  // and client_gone() turns true. The watch ends with the request.
  virtual void watch_disconnect(std::function<void()> on_gone) = 0;
  // A header the answer to the current request carries, whatever answers it (an error
  // included): a request id. Set before the answer starts; the next request starts
  // without it.
  virtual void add_response_header(std::string_view name, std::string_view value) = 0;
};

using Handler = std::function<asio::awaitable<void>(ServerRequest&, ResponseWriter&)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on background threads. Errors name the address.
  Result<void> start();
  std::uint16_t port() const;
  // Graceful stop: no new connections; idle ones close now; requests in flight get
  // up to `grace` to finish. Those still running then: `at_deadline` runs once on each
  // I/O thread (the application ends its requests there, answering each properly) and
  // they get up to 2 s more; then their connections are closed. Joins the threads.
  void stop(Nanos grace = 5 * kNanosPerSecond, std::function<void()> at_deadline = {});
  std::size_t connections() const;
  std::size_t requests_served() const;

  struct Impl;  // opaque; public so the session type in the .cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

// Standard reason phrase ("Not Found").
std::string_view reason_phrase(int status);

}  // namespace llmux::net
