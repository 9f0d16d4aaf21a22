// HttpClient failure modes, each against an upstream that misbehaves one way: the
// error code and message a user (and bench's error counts) will see.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/loopback.hpp"

namespace llmux::net {
namespace {

using test::RawServer;
using test::request;
using test::run;

// Accepts, reads whatever comes, never answers.
asio::awaitable<void> silent(tcp::socket s) { co_await test::read_to_eof(s); }

// Reads one request head, writes `reply`, then closes.
RawServer::OnConn reply_and_close(std::string reply) {
  return [reply](tcp::socket s) -> asio::awaitable<void> {
    std::string buf, head;
    bool got = co_await test::read_head(s, buf, head);
    if (got) co_await test::write_all(s, reply);
    error_code ec;
    s.shutdown(tcp::socket::shutdown_both, ec);
  };
}

// Reads one request head, then answers with a chunked body of `pieces` one-letter
// chunks ("a", "b", ...), 100 ms apart, and waits for the client to close.
RawServer::OnConn pieces_100ms_apart(int pieces) {
  return [pieces](tcp::socket s) -> asio::awaitable<void> {
    std::string buf, head;
    co_await test::read_head(s, buf, head);
    co_await test::write_all(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    asio::steady_timer t(s.get_executor());
    for (int i = 0; i < pieces; ++i) {
      t.expires_after(std::chrono::milliseconds(100));
      co_await t.async_wait(asio::use_awaitable);
      co_await test::write_all(s, "1\r\n" + std::string(1, static_cast<char>('a' + i)) + "\r\n");
    }
    co_await test::write_all(s, "0\r\n\r\n");
    co_await test::read_to_eof(s);
  };
}

std::uint16_t unused_port() {
  asio::io_context ctx;
  tcp::acceptor a(ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

// Streams GET / from a raw server with a 300 ms read timeout; the body read goes to `body`.
template <class Script>
std::optional<Result<void>> stream_with_short_read_timeout(Script script, std::string& body) {
  asio::io_context ctx;
  RawServer server(ctx, std::move(script));
  auto opts = test::local_options();
  opts.read_timeout = 300 * kNanosPerMilli;
  HttpClient client(ctx.get_executor(), opts);
  test::RecordingSink sink;
  auto r = run(ctx, client.stream(request("GET", server.port(), "/"), sink));
  body = sink.body;
  return r;
}

TEST(HttpClientErrors, ARequestsOwnConnectTimeoutBoundsAConnectThatHangs) {
  // A listener whose accept queue is full drops further SYNs: a connect to it hangs.
  asio::io_context ctx;
  tcp::acceptor full(ctx);
  full.open(tcp::v4());
  full.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  full.listen(0);
  std::vector<int> queued;  // fill the queue (backlog 0 holds one or two); plain non-blocking connects
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(full.local_endpoint().port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < 3; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ASSERT_GE(fd, 0);
    ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to);  // EINPROGRESS
    queued.push_back(fd);
  }
  auto opts = test::local_options();
  opts.connect_timeout = 60 * kNanosPerSecond;  // the client's default would hold the request a minute
  opts.total_timeout = 120 * kNanosPerSecond;
  HttpClient client(ctx.get_executor(), opts);
  auto req = request("GET", full.local_endpoint().port(), "/v1/models");
  req.connect_timeout = 300 * kNanosPerMilli;  // a gateway deployment's connect_timeout
  Nanos start = mono_now();
  auto r = run(ctx, client.fetch(req));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::timeout) << r->error().message;
  EXPECT_NE(r->error().message.find("connect timed out"), std::string::npos) << r->error().message;
  EXPECT_LT(mono_now() - start, 30 * kNanosPerSecond) << "the request's 300 ms, not the client's minute";
  for (int fd : queued) ::close(fd);
}

TEST(HttpClientErrors, ConnectionRefusedIsAConnectErrorNamingTheAddress) {
  auto port = unused_port();
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto r = run(ctx, client.fetch(request("GET", port, "/v1/models")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  const Error& e = r->error();
  EXPECT_EQ(e.code, ErrorCode::connect);
  EXPECT_NE(e.message.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("refused"), std::string::npos) << e.message;
  EXPECT_NE(e.context.find("/v1/models"), std::string::npos) << e.context;
  EXPECT_EQ(client.connections_opened(), 0u);
}

TEST(HttpClientErrors, UnresolvableHostIsAConnectError) {
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto r = run(ctx, client.fetch(request("GET", 80, "/", {}, "no-such-host.invalid")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::connect);
  EXPECT_NE(r->error().message.find("no-such-host.invalid"), std::string::npos) << r->error().message;
}

TEST(HttpClientErrors, ServerThatNeverAnswersTimesOutAfterTheReadTimeout) {
  asio::io_context ctx;
  RawServer server(ctx, silent);
  auto opts = test::local_options();
  opts.read_timeout = 300 * kNanosPerMilli;
  HttpClient client(ctx.get_executor(), opts);
  Nanos start = mono_now();
  auto r = run(ctx, client.fetch(request("POST", server.port(), "/v1/chat/completions", "{}")));
  Nanos took = mono_now() - start;
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::timeout) << r->error().describe();
  EXPECT_NE(r->error().message.find("timed out"), std::string::npos) << r->error().message;
  EXPECT_GE(took, opts.read_timeout);
  EXPECT_EQ(server.accepted(), 1u);  // a timeout is not retried
}

TEST(HttpClientErrors, ServerThatStallsMidBodyTimesOut) {
  std::string body;
  auto r = stream_with_short_read_timeout(
      [](tcp::socket s) -> asio::awaitable<void> {
        std::string buf, head;
        co_await test::read_head(s, buf, head);
        co_await test::write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
        co_await test::read_to_eof(s);
      },
      body);
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::timeout) << r->error().describe();
  EXPECT_EQ(body, "only ten b");
}

TEST(HttpClientErrors, ReadTimeoutIsTheSilenceBetweenBytesNotTheWholeBody) {
  // Six pieces 100 ms apart: 600 ms in all, never 300 ms of silence.
  std::string body;
  auto r = stream_with_short_read_timeout(pieces_100ms_apart(6), body);
  ASSERT_TRUE(r);
  ASSERT_TRUE(*r) << r->error().describe();
  EXPECT_EQ(body, "abcdef");
}

// The client's read deadlines share one timer, which keeps waking for a tick after
// the last read ends and then stops: an exchange that starts within that tick, and
// one that starts after it, must each still get its own deadline; and one that
// stalls must time out while another on the same client goes on.
TEST(HttpClientErrors, ReadTimeoutHoldsForExchangesRightAfterAnotherAndAfterAPause) {
  asio::io_context ctx;
  RawServer fine(ctx, reply_and_close("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  RawServer quiet(ctx, silent);
  auto opts = test::local_options();
  opts.read_timeout = 300 * kNanosPerMilli;
  HttpClient client(ctx.get_executor(), opts);
  struct Outcome {
    Result<HttpResponse> first, right_after, after_pause;
    Nanos right_after_took = 0, after_pause_took = 0;
  };
  auto all = [&]() -> asio::awaitable<Outcome> {
    auto first = co_await client.fetch(request("GET", fine.port(), "/"));
    Nanos start = mono_now();
    auto right_after = co_await client.fetch(request("GET", quiet.port(), "/"));
    Nanos right_after_took = mono_now() - start;
    asio::steady_timer pause(ctx, std::chrono::milliseconds(200));  // well past the tick
    co_await pause.async_wait(asio::use_awaitable);
    start = mono_now();
    auto after_pause = co_await client.fetch(request("GET", quiet.port(), "/"));
    co_return Outcome{std::move(first), std::move(right_after), std::move(after_pause), right_after_took,
                      mono_now() - start};
  };
  auto r = run(ctx, all());
  ASSERT_TRUE(r) << "hung";
  ASSERT_TRUE(r->first) << r->first.error().describe();
  EXPECT_EQ(r->first->body, "ok");
  for (const auto* timed_out : {&r->right_after, &r->after_pause}) {
    ASSERT_FALSE(*timed_out);
    EXPECT_EQ(timed_out->error().code, ErrorCode::timeout) << timed_out->error().describe();
  }
  EXPECT_GE(r->right_after_took, opts.read_timeout);
  EXPECT_GE(r->after_pause_took, opts.read_timeout);
}

TEST(HttpClientErrors, AStalledExchangeTimesOutWhileAnotherOnTheSameClientStreams) {
  asio::io_context ctx;
  RawServer steady(ctx, pieces_100ms_apart(20));  // 2 s of pieces, never 300 ms of silence
  RawServer quiet(ctx, silent);
  auto opts = test::local_options();
  opts.read_timeout = 300 * kNanosPerMilli;
  HttpClient client(ctx.get_executor(), opts);
  test::RecordingSink sink;
  std::optional<Result<void>> streamed;
  std::optional<Result<HttpResponse>> stalled;
  Nanos stalled_after = 0;
  auto stop_when_both = [&] {
    if (streamed && stalled) ctx.stop();  // the servers would keep run_for() going
  };
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    streamed = co_await client.stream(request("GET", steady.port(), "/"), sink);
    stop_when_both();
  }, asio::detached);
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    Nanos start = mono_now();
    stalled = co_await client.fetch(request("GET", quiet.port(), "/"));
    stalled_after = mono_now() - start;
    stop_when_both();
  }, asio::detached);
  ctx.run_for(std::chrono::seconds(20));  // guards against a hang only
  ASSERT_TRUE(stalled && streamed) << "hung";
  ASSERT_FALSE(*stalled);
  EXPECT_EQ(stalled->error().code, ErrorCode::timeout) << stalled->error().describe();
  EXPECT_GE(stalled_after, opts.read_timeout);
  EXPECT_LT(stalled_after, 1500 * kNanosPerMilli) << "timed out only when the other exchange ended";
  ASSERT_TRUE(*streamed) << streamed->error().describe();
  EXPECT_EQ(sink.body, "abcdefghijklmnopqrst");
}

TEST(HttpClientErrors, TotalTimeoutBoundsTheWholeRequest) {
  asio::io_context ctx;
  RawServer server(ctx, silent);
  auto opts = test::local_options();
  opts.read_timeout = 60 * kNanosPerSecond;
  HttpClient client(ctx.get_executor(), opts);
  auto req = request("GET", server.port(), "/");
  req.total_timeout = 300 * kNanosPerMilli;
  auto r = run(ctx, client.fetch(req));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::timeout) << r->error().describe();
}

TEST(HttpClientErrors, ResponseBodyOverTheLimitIsALimitError) {
  auto server = test::start_server([](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    if (req.target == "/chunked") {
      co_await w.begin_stream(200, "text/plain");
      for (int i = 0; i < 10; ++i) co_await w.write(std::string(1000, 'c'));
      co_await w.end_stream();
    } else {
      co_await w.send(200, "text/plain", std::string(10000, 'l'));
    }
  });
  asio::io_context ctx;
  auto opts = test::local_options();
  opts.max_body_bytes = 4096;
  HttpClient client(ctx.get_executor(), opts);
  for (const char* target : {"/length", "/chunked"}) {
    auto r = run(ctx, client.fetch(request("GET", server->port(), target)));
    ASSERT_TRUE(r);
    ASSERT_FALSE(*r) << target;
    EXPECT_EQ(r->error().code, ErrorCode::limit) << target << ": " << r->error().describe();
  }
}

TEST(HttpClientErrors, ResponseHeadOverTheLimitIsALimitError) {
  asio::io_context ctx;
  RawServer server(ctx, reply_and_close("HTTP/1.1 200 OK\r\nX-Huge: " + std::string(20000, 'h') +
                                        "\r\nContent-Length: 0\r\n\r\n"));
  auto opts = test::local_options();
  opts.max_header_bytes = 8192;
  HttpClient client(ctx.get_executor(), opts);
  auto r = run(ctx, client.fetch(request("GET", server.port(), "/")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::limit) << r->error().describe();
}

TEST(HttpClientErrors, ChunkedStreamCutByTheServerIsStreamCut) {
  auto server = test::start_server([](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.begin_stream(200, "text/event-stream");
    co_await w.write("data: {\"partial\":true}\n\n");
    w.abort();
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  test::RecordingSink sink;
  auto r = run(ctx, client.stream(request("POST", server->port(), "/v1/chat/completions", "{}"), sink));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::stream_cut) << r->error().describe();
  EXPECT_EQ(sink.head.status, 200);
  EXPECT_EQ(sink.body, "data: {\"partial\":true}\n\n");
}

// A chunked stream whose first piece the client reads (and so empties its socket),
// then whose last piece and end of connection come together: `end` runs right after
// the second write, before the client's loop can look again. The client must see
// the cut at once (stream_cut), not wait for bytes that never come (a timeout).
template <class End>
void expect_cut_right_after_the_last_piece(End end) {
  for (int i = 0; i < 5; ++i) {
    std::string body;
    auto r = stream_with_short_read_timeout(
        [end](tcp::socket s) -> asio::awaitable<void> {
          std::string buf, head;
          co_await test::read_head(s, buf, head);
          co_await test::write_all(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n");
          // The client reads "a" and waits for more.
          asio::steady_timer t(s.get_executor(), std::chrono::milliseconds(50));
          co_await t.async_wait(asio::use_awaitable);
          error_code ec;
          // Blocking, so the client gets no turn before `end`.
          asio::write(s, asio::buffer(std::string_view("1\r\nb\r\n")), ec);
          end(s);
        },
        body);
    ASSERT_TRUE(r);
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, ErrorCode::stream_cut) << r->error().describe();
    EXPECT_EQ(body, "ab");
  }
}

// The client reads a socket again only once it may hold something; a reset or an
// orderly close that arrives with the last bytes is such a something.
TEST(HttpClientErrors, ResetThatComesWithTheLastBytesIsStreamCut) {
  expect_cut_right_after_the_last_piece([](tcp::socket& s) {
    error_code ec;
    s.set_option(asio::socket_base::linger(true, 0), ec);  // close with a reset
    s.close(ec);
  });
}

TEST(HttpClientErrors, CloseThatComesWithTheLastBytesIsStreamCut) {
  expect_cut_right_after_the_last_piece([](tcp::socket& s) {
    error_code ec;
    s.shutdown(tcp::socket::shutdown_send, ec);
  });
}

TEST(HttpClientErrors, ContentLengthBodyCutShortIsStreamCut) {
  asio::io_context ctx;
  RawServer server(ctx, reply_and_close("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b"));
  HttpClient client(ctx.get_executor(), test::local_options());
  auto r = run(ctx, client.fetch(request("GET", server.port(), "/")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::stream_cut) << r->error().describe();
  EXPECT_NE(r->error().message.find("10 bytes"), std::string::npos) << r->error().message;
}

TEST(HttpClientErrors, GarbageInsteadOfAResponseIsMalformed) {
  asio::io_context ctx;
  RawServer server(ctx, reply_and_close("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
  HttpClient client(ctx.get_executor(), test::local_options());
  auto r = run(ctx, client.fetch(request("GET", server.port(), "/")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::malformed) << r->error().describe();
}

TEST(HttpClientErrors, CloseBeforeAnyResponseOnAFreshConnectionIsNotRetried) {
  asio::io_context ctx;
  RawServer server(ctx, reply_and_close(""));
  HttpClient client(ctx.get_executor(), test::local_options());
  auto r = run(ctx, client.fetch(request("POST", server.port(), "/", "{}")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  // The connection was made and the request sent: a cut answer, not a failed connect.
  EXPECT_EQ(r->error().code, ErrorCode::stream_cut) << r->error().describe();
  EXPECT_EQ(server.accepted(), 1u);
}

TEST(HttpClientErrors, StalePooledConnectionIsRetriedTransparently) {
  // The upstream promises keep-alive, then closes each connection after one answer (as
  // servers do when their idle timer fires between requests).
  asio::io_context ctx;
  int answered = 0;
  RawServer server(ctx, [&](tcp::socket s) -> asio::awaitable<void> {
    std::string buf, head;
    bool got = co_await test::read_head(s, buf, head);
    if (!got) co_return;
    ++answered;
    std::string body = "answer " + std::to_string(answered);
    co_await test::write_all(s, "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\n\r\n" + body);
    s.close();
  });
  HttpClient client(ctx.get_executor(), test::local_options());
  auto twice = [&]() -> asio::awaitable<std::string> {
    auto a = co_await client.fetch(request("GET", server.port(), "/"));
    if (!a) co_return "first: " + a.error().describe();
    auto b = co_await client.fetch(request("GET", server.port(), "/"));
    if (!b) co_return "second: " + b.error().describe();
    co_return a->body + ", " + b->body;
  };
  auto got = run(ctx, twice());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "answer 1, answer 2");
  EXPECT_EQ(client.connections_opened(), 2u);
  EXPECT_EQ(server.accepted(), 2u);
}

TEST(HttpClientErrors, CloseIdleDropsPooledConnections) {
  auto server = test::start_server([](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.send(200, "text/plain", "ok");
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  ASSERT_TRUE(run(ctx, client.fetch(request("GET", server->port(), "/"))));
  client.close_idle();
  auto r = run(ctx, client.fetch(request("GET", server->port(), "/")));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ(client.connections_opened(), 2u);
}

}  // namespace
}  // namespace llmux::net
