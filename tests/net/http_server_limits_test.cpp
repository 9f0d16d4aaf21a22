// HttpServer's protections and lifecycle: size limits, malformed requests, timeouts,
// the connection cap and a graceful stop, observed from raw sockets and HttpClient.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <boost/asio/read.hpp>
#include <thread>

#include "core/text.hpp"
#include "net/loopback.hpp"

namespace llmux::net {
namespace {

using test::Gate;
using test::request;
using test::run;

asio::awaitable<void> hello(ServerRequest&, ResponseWriter& w) {
  co_await w.send(200, "text/plain", "hello");
}

struct RawResponse {
  std::string head;  // status line and headers
  std::string body;
  int status() const { return head.size() > 12 ? std::atoi(head.c_str() + 9) : 0; }
};

// Sends raw bytes and reads one Content-Length response; nullopt if the connection ends first.
asio::awaitable<std::optional<RawResponse>> raw_exchange(tcp::socket& s, std::string& buf,
                                                         std::string bytes) {
  bool sent = co_await test::write_all(s, bytes);
  if (!sent) co_return std::nullopt;
  RawResponse r;
  bool got = co_await test::read_head(s, buf, r.head);
  if (!got) co_return std::nullopt;
  std::size_t length = 0;
  for (auto line : split(r.head, '\n'))
    if (starts_with_icase(line, "content-length:"))
      length = static_cast<std::size_t>(*parse_int(trim(line.substr(15))));
  if (buf.size() < length) {
    error_code ec;
    co_await asio::async_read(s, asio::dynamic_buffer(buf), asio::transfer_exactly(length - buf.size()),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
  }
  r.body = buf.substr(0, length);
  buf.erase(0, length);
  co_return r;
}

// One raw request on a fresh connection.
std::optional<RawResponse> raw_once(std::uint16_t port, std::string bytes) {
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<std::optional<RawResponse>> {
    auto s = co_await test::connect_to(port);
    std::string buf;
    co_return co_await raw_exchange(s, buf, std::move(bytes));
  };
  auto r = run(ctx, go());
  return r ? *r : std::nullopt;
}

TEST(HttpServerLimits, HeaderTooLargeIs431AndTheServerKeepsServing) {
  ServerOptions opts;
  opts.max_header_bytes = 4096;
  auto server = test::start_server(hello, opts);
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto big = request("GET", server->port(), "/");
  big.headers.add("X-Big", std::string(16384, 'h'));
  auto r = run(ctx, client.fetch(big));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ((*r)->status, 431);
  EXPECT_NE((*r)->body.find("header"), std::string::npos) << (*r)->body;
  auto ok = run(ctx, client.fetch(request("GET", server->port(), "/")));
  ASSERT_TRUE(ok && *ok) << test::why(ok);
  EXPECT_EQ((*ok)->body, "hello");
}

TEST(HttpServerLimits, DeclaredBodyTooLargeIs413) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  std::atomic<bool> handler_ran{false};
  auto server = test::start_server(
      [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
        handler_ran = true;
        co_await w.send(200, "text/plain", "accepted");
      },
      opts);
  auto r = raw_once(server->port(),
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" +
                        std::string(4096, 'b'));
  ASSERT_TRUE(r) << "connection closed without an answer";
  EXPECT_EQ(r->status(), 413) << r->head;
  EXPECT_NE(r->body.find("1024"), std::string::npos) << r->body;
  EXPECT_FALSE(handler_ran);
}

// A client that writes its whole body before it reads (as Node's fetch does) must get
// the 413, not a reset: the server drains what is still coming after it answers.
TEST(HttpServerLimits, AClientStillSendingABodyOverTheLimitReadsThe413) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  auto server = test::start_server(hello, opts);
  std::size_t size = 16u << 20;  // far past the socket buffers: still being sent when the server answers
  auto r = raw_once(server->port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(size) +
                                        "\r\n\r\n" + std::string(size, 'b'));
  ASSERT_TRUE(r) << "the connection was reset before the answer could be read";
  EXPECT_EQ(r->status(), 413) << r->head;
  auto ok = raw_once(server->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->body, "hello") << "the server goes on serving";
}

// The same on a kept-alive connection: the refusal of its second request is answered
// too (it used to be swallowed: the first answer's state was still there).
TEST(HttpServerLimits, ABodyOverTheLimitOnAKeptAliveConnectionIs413) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  auto server = test::start_server(hello, opts);
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<std::pair<int, int>> {
    auto s = co_await test::connect_to(server->port());
    std::string buf;
    auto first = co_await raw_exchange(s, buf, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    auto second = co_await raw_exchange(s, buf, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" +
                                                    std::string(200000, 'b'));
    co_return std::pair{first ? first->status() : 0, second ? second->status() : 0};
  };
  auto r = run(ctx, go());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 200);
  EXPECT_EQ(r->second, 413) << "0: the connection closed without an answer";
}

// The drain after a refusal is bounded: a client that never stops sending is cut off.
TEST(HttpServerLimits, AClientThatNeverStopsSendingIsCutOffAfterTheLinger) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  auto server = test::start_server(hello, opts);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000000\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  std::string chunk(65536, 'b');
  auto start = std::chrono::steady_clock::now();
  bool cut = false;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    ssize_t n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      cut = true;
      break;
    }
  }
  ::close(fd);
  EXPECT_TRUE(cut) << "still draining after 20 s (the linger is 2 s)";
}

TEST(HttpServerLimits, DeclaredBodyTooLargeIs413ThroughTheClient) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  auto server = test::start_server(hello, opts);
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto r = run(ctx, client.fetch(request("POST", server->port(), "/", std::string(4096, 'b'))));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ((*r)->status, 413);
}

TEST(HttpServerLimits, ChunkedBodyTooLargeIs413) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  auto server = test::start_server(hello, opts);
  std::string req = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) req += "200\r\n" + std::string(512, 'c') + "\r\n";
  req += "0\r\n\r\n";
  auto r = raw_once(server->port(), req);
  ASSERT_TRUE(r) << "connection closed without an answer";
  EXPECT_EQ(r->status(), 413) << r->head;
}

TEST(HttpServerLimits, BodyWithinTheLimitIsServed) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  auto server = test::start_server(
      [](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
        co_await w.send(200, "text/plain", std::to_string(req.body.size()));
      },
      opts);
  auto r = raw_once(server->port(),
                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" + std::string(1024, 'b'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status(), 200);
  EXPECT_EQ(r->body, "1024");
}

TEST(HttpServerLimits, MalformedRequestsAre400) {
  auto server = test::start_server(hello);
  for (std::string bad :
       {"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nBad Header Line\r\nHost: x\r\n\r\n",
        "GET / HTTP/9.x\r\nHost: x\r\n\r\n", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"}) {
    auto r = raw_once(server->port(), bad);
    ASSERT_TRUE(r) << "no answer to: " << bad;
    EXPECT_EQ(r->status(), 400) << bad << "\n" << r->head;
    EXPECT_NE(r->body.find("malformed"), std::string::npos) << r->body;
  }
}

TEST(HttpServerLimits, HeadResponseHasNoBody) {
  auto server = test::start_server(hello);
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<std::string> {
    auto s = co_await test::connect_to(server->port());
    co_await test::write_all(s, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    co_return co_await test::read_to_eof(s);
  };
  auto all = run(ctx, go());
  ASSERT_TRUE(all);
  EXPECT_NE(all->find("Content-Length: 5\r\n"), std::string::npos) << *all;
  EXPECT_TRUE(all->ends_with("\r\n\r\n")) << "HEAD response carried a body:\n" << *all;
}

TEST(HttpServerLimits, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions opts;
  opts.idle_timeout = 200 * kNanosPerMilli;
  auto server = test::start_server(hello, opts);
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<std::string> {
    auto s = co_await test::connect_to(server->port());
    std::string buf;
    auto a = co_await raw_exchange(s, buf, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    auto b = co_await raw_exchange(s, buf, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");  // kept alive
    if (!a || !b || a->head.find("Connection: keep-alive") == std::string::npos) co_return "not kept alive";
    auto rest = co_await test::read_to_eof(s);  // completes only when the server closes
    co_return rest.empty() ? "closed" : "unexpected bytes: " + rest;
  };
  auto r = run(ctx, go());
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "closed");
}

// The server keeps each connection's deadlines in a table where a leaving connection's
// place goes to the last one: the deadlines must move with their connections.
TEST(HttpServerLimits, EachConnectionKeepsItsOwnDeadlineWhenAnotherLeaves) {
  ServerOptions opts;
  opts.request_timeout = 10 * kNanosPerSecond;  // before a first request: far off
  opts.idle_timeout = 200 * kNanosPerMilli;     // between requests: soon
  auto server = test::start_server(hello, opts);
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<std::string> {
    auto first = co_await test::connect_to(server->port());   // silent: the far deadline
    auto second = co_await test::connect_to(server->port());  // silent: the far deadline
    auto third = co_await test::connect_to(server->port());
    std::string buf;
    auto a = co_await raw_exchange(third, buf, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");  // then idle: the near one
    if (!a) co_return "the third connection got no answer";
    first.close();  // the server drops the first session: the third takes its place
    Nanos t0 = mono_now();
    auto rest = co_await test::read_to_eof(third);
    Nanos waited = mono_now() - t0;
    if (!rest.empty()) co_return "unexpected bytes: " + rest;
    if (waited > 5 * kNanosPerSecond)
      co_return "the idle third connection was closed only after " + std::to_string(waited / kNanosPerMilli) + " ms";
    std::string buf2;
    auto b = co_await raw_exchange(second, buf2, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    co_return b && b->status() == 200 ? "ok" : "the second connection was closed before its deadline";
  };
  auto r = run(ctx, go());
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "ok");
}

// Connects to a server whose request timeout is 200 ms, sends `bytes` and reads until the server closes.
std::optional<std::string> send_then_read_to_close(std::string bytes) {
  ServerOptions opts;
  opts.request_timeout = 200 * kNanosPerMilli;
  auto server = test::start_server(hello, opts);
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<std::string> {
    auto s = co_await test::connect_to(server->port());
    if (!bytes.empty()) co_await test::write_all(s, bytes);
    co_return co_await test::read_to_eof(s);
  };
  return run(ctx, go());
}

TEST(HttpServerLimits, SilentConnectionIsClosedAfterTheRequestTimeout) {
  auto rest = send_then_read_to_close("");
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, "");
}

TEST(HttpServerLimits, BodyThatStopsComingIs408) {
  ServerOptions opts;
  opts.request_timeout = 200 * kNanosPerMilli;
  auto server = test::start_server(hello, opts);
  // Ten bytes announced, three sent, then silence.
  auto r = raw_once(server->port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status(), 408) << r->head;
  EXPECT_NE(r->body.find("not received in time"), std::string::npos) << r->body;
}

TEST(HttpServerLimits, HeadThatStopsComingIsClosedAfterTheRequestTimeout) {
  auto rest = send_then_read_to_close("GET / HTTP/1.1\r\nHost: x\r\n");  // no end of head
  ASSERT_TRUE(rest) << "the server kept a half-sent request open";
  EXPECT_EQ(*rest, "");
}

TEST(HttpServerLimits, ClientThatStopsReadingIsCutOffAfterTheWriteTimeout) {
  ServerOptions opts;
  opts.write_timeout = 300 * kNanosPerMilli;
  std::atomic<bool> gave_up{false};
  std::atomic<std::size_t> written{0};
  auto server = test::start_server(
      [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
        co_await w.begin_stream(200, "text/plain");
        std::string chunk(64 * 1024, 'x');
        for (int i = 0; i < 100000; ++i) {  // far more than any socket buffer holds
          bool ok = co_await w.write(chunk);
          if (!ok) break;
          written += chunk.size();
        }
        gave_up = w.client_gone();
      },
      opts);
  // The client sends its request and then never reads.
  asio::io_context ctx;
  tcp::socket s(ctx);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()));
  s.set_option(asio::socket_base::receive_buffer_size(4096));
  asio::write(s, asio::buffer(std::string_view("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n")));
  for (int i = 0; i < 1000 && !gave_up; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(gave_up) << "the server kept a stalled write open; " << written << " bytes were written";
  EXPECT_LT(written.load(), 100000u * 64 * 1024);
}

TEST(HttpServerLimits, ConnectionsOverTheCapAreAnswered503) {
  ServerOptions opts;
  opts.max_connections = 1;
  auto server = test::start_server(hello, opts);
  asio::io_context ctx;
  HttpClient first(ctx.get_executor(), test::local_options());
  HttpClient second(ctx.get_executor(), test::local_options());
  auto go = [&]() -> asio::awaitable<std::string> {
    auto a = co_await first.fetch(request("GET", server->port(), "/"));  // keeps its connection open
    if (!a || a->status != 200) co_return "first request failed";
    auto b = co_await second.fetch(request("GET", server->port(), "/"));
    if (!b) co_return "second request failed: " + b.error().describe();
    co_return std::to_string(b->status) +
        " retry-after=" + std::string(b->headers.get("retry-after").value_or(""));
  };
  auto got = run(ctx, go());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "503 retry-after=1");
  EXPECT_EQ(server->connections(), 1u);
}

TEST(HttpServerLimits, ABusyPollingServerServesEveryRequestAndStops) {
  ServerOptions opts;
  opts.threads = 2;
  opts.busy_poll = 100 * kNanosPerMicro;
  auto server = test::start_server(hello, opts);
  for (int i = 0; i < 20; ++i) {
    if (i == 10) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // its loops have gone to sleep
    auto r = raw_once(server->port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status(), 200) << r->head;
  }
  server->stop(kNanosPerSecond);  // returns: the polling loops end with the server
}

TEST(HttpServerLimits, GracefulStopLetsTheRequestInFlightFinish) {
  Gate release;
  ServerOptions opts;
  opts.threads = 1;
  auto server = test::start_server(
      [&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
        co_await w.begin_stream(200, "text/plain");
        co_await w.write("first,");
        co_await release.wait();
        co_await w.write("second");
        co_await w.end_stream();
      },
      opts);
  asio::io_context ctx;
  // An idle connection: the stop closes it at once, which tells the test the stop began.
  tcp::socket idle(ctx);
  idle.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()));
  HttpClient client(ctx.get_executor(), test::local_options());
  test::RecordingSink sink;
  std::thread stopper;
  sink.on_piece = [&](std::string_view) {
    if (stopper.joinable()) return;
    stopper = std::thread([&] { server->stop(30 * kNanosPerSecond); });
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
          co_await test::read_to_eof(idle);  // the stop has begun
          release.open();
        },
        asio::detached);
  };
  auto r = run(ctx, client.stream(request("GET", server->port(), "/slow"), sink));
  release.open();
  if (stopper.joinable()) stopper.join();
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ(sink.body, "first,second");
  // Stopped: new connections are refused.
  tcp::socket late(ctx);
  error_code ec;
  late.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()), ec);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace llmux::net
