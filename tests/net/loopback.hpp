#pragma once
// Loopback test helpers: run a client coroutine on an io_context in the test thread,
// raw TCP listeners for upstreams that misbehave on purpose, a cross-thread gate a
// server handler can wait on, and a sink that records what the client delivered.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/asio.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"

namespace llmux::net::test {

// Runs `work` on `ctx` in the calling thread until it completes, then returns its value.
// `limit` only guards against a hang (the test fails); it is not a timing assertion.
template <class T>
std::optional<T> run(asio::io_context& ctx, asio::awaitable<T> work,
                     std::chrono::seconds limit = std::chrono::seconds(30)) {
  std::optional<T> out;
  std::exception_ptr ex;
  bool done = false;
  asio::co_spawn(ctx, std::move(work), [&](std::exception_ptr e, T v) {
    ex = e;
    if (!e) out.emplace(std::move(v));
    done = true;
    ctx.stop();
  });
  ctx.restart();
  ctx.run_for(limit);
  if (ex) std::rethrow_exception(ex);
  EXPECT_TRUE(done) << "the coroutine did not finish within " << limit.count() << " s (hang)";
  return out;
}

// "hung", "ok" or the error, for assertion messages about a run() of a Result.
template <class T>
std::string why(const std::optional<Result<T>>& r) {
  if (!r) return "hung";
  if (*r) return "ok";
  return r->error().describe();
}

// Client options that ignore the developer's proxy variables.
ClientOptions local_options();

HttpRequest request(std::string method, std::uint16_t port, std::string target, std::string body = {},
                    std::string host = "127.0.0.1", std::string scheme = "http");

// A one-shot signal from any thread to a coroutine on any executor: wait() completes
// once open() has been called (before or after the wait started).
class Gate {
 public:
  void open();
  bool is_open();
  asio::awaitable<void> wait();

 private:
  std::mutex mu_;
  bool open_ = false;
  std::function<void()> waiter_;
};

// A TCP listener on 127.0.0.1:0 driven by the test's io_context: each accepted
// connection runs `on_conn`. For fake upstreams (silent, cutting, one-shot).
class RawServer {
 public:
  using OnConn = std::function<asio::awaitable<void>(tcp::socket)>;
  RawServer(asio::io_context& ctx, OnConn on_conn);
  ~RawServer();
  std::uint16_t port() const { return port_; }
  std::size_t accepted() const { return state_->accepted; }

 private:
  struct State {
    tcp::acceptor acceptor;
    OnConn on_conn;
    std::size_t accepted = 0;
  };
  static asio::awaitable<void> accept_loop(std::shared_ptr<State> st);
  std::shared_ptr<State> state_;
  std::uint16_t port_ = 0;
};

// Reads one request head ("...\r\n\r\n") into `head`; false on EOF or error. Bytes past
// the head stay in `buf`.
asio::awaitable<bool> read_head(tcp::socket& s, std::string& buf, std::string& head);
// A raw connection to 127.0.0.1:port, on the calling coroutine's executor.
asio::awaitable<tcp::socket> connect_to(std::uint16_t port);
// Reads until the peer closes (or errors); returns what arrived.
asio::awaitable<std::string> read_to_eof(tcp::socket& s);
// Writes everything; false on error.
asio::awaitable<bool> write_all(tcp::socket& s, std::string_view bytes);

// Records what HttpClient::stream delivers.
class RecordingSink final : public ResponseSink {
 public:
  ResponseHead head;
  bool got_head = false;
  bool sent = false;
  std::string body;
  std::vector<std::string> pieces;
  std::function<void(std::string_view)> on_piece;  // test hook, called for every body piece
  bool stop_after_first = false;

  void on_sent(Nanos) override { sent = true; }
  void on_head(const ResponseHead& h, Nanos) override {
    head = h;
    got_head = true;
  }
  bool on_body(std::string_view bytes, Nanos) override {
    pieces.emplace_back(bytes);
    body.append(bytes);
    if (on_piece) on_piece(bytes);
    return !stop_after_first;
  }
};

// A started HttpServer on 127.0.0.1:0 (fails the test if it cannot listen).
std::unique_ptr<HttpServer> start_server(Handler handler, ServerOptions opts = {});

}  // namespace llmux::net::test
