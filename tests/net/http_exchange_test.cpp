// HttpClient against HttpServer on loopback: whole and streamed bodies, keep-alive,
// what each side sees of the other's request and response.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

#include "net/loopback.hpp"

namespace llmux::net {
namespace {

using test::Gate;
using test::RecordingSink;
using test::request;
using test::run;

// Answers "METHOD target body" and a header echoing X-Echo.
asio::awaitable<void> echo(ServerRequest& req, ResponseWriter& w) {
  Headers extra;
  if (auto e = req.headers.get("x-echo")) extra.add("X-Echoed", std::string(*e));
  co_await w.send(200, "text/plain", req.method + " " + req.target + " " + req.body, &extra);
}

TEST(HttpExchange, FetchesAContentLengthBodyAndHeaders) {
  auto server = test::start_server(echo);
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto req = request("POST", server->port(), "/v1/chat/completions?x=1", R"({"model":"m"})");
  req.headers.add("X-Echo", "hello");
  auto r = run(ctx, client.fetch(req));
  ASSERT_TRUE(r && *r) << test::why(r);
  const HttpResponse& resp = **r;
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, R"(POST /v1/chat/completions?x=1 {"model":"m"})");
  EXPECT_EQ(resp.headers.get("content-type"), "text/plain");
  EXPECT_EQ(resp.headers.get("x-echoed"), "hello");
}

TEST(HttpExchange, ServerSeesHostUserAgentContentTypeAndQuery) {
  std::mutex mu;  // the handler runs on the server's thread
  std::string seen;
  auto server = test::start_server([&](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    std::string now = std::string(req.headers.get("host").value_or("-")) + "|" +
                      std::string(req.headers.get("user-agent").value_or("-")) + "|" +
                      std::string(req.headers.get("content-type").value_or("-")) + "|" +
                      std::string(req.path()) + "|" + std::string(req.query_param("alt")) + "|" +
                      std::string(req.query_param("missing"));
    {
      std::lock_guard lock(mu);
      seen = now;
    }
    co_await w.send(204, {}, {});
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto r = run(ctx, client.fetch(request("POST", server->port(), "/v1beta/models?key=k&alt=sse", "{}")));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ((*r)->status, 204);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, "127.0.0.1:" + std::to_string(server->port()) +
                      "|llmux/0.1|application/json|/v1beta/models|sse|");
}

TEST(HttpExchange, KeepAliveReusesOneConnectionForSequentialRequests) {
  auto server = test::start_server(echo);
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto many = [&]() -> asio::awaitable<int> {
    int ok = 0;
    for (int i = 0; i < 25; ++i) {
      auto r = co_await client.fetch(request("GET", server->port(), "/n/" + std::to_string(i)));
      if (r && r->body == "GET /n/" + std::to_string(i) + " ") ++ok;
    }
    co_return ok;
  };
  auto ok = run(ctx, many());
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 25);
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(HttpExchange, NothingIsLeftPendingOnTheLoopOnceRequestsEnd) {
  // A program that runs its io_context until it is out of work (as bench does) must
  // not be kept waiting by the client's timers once every request has ended.
  auto server = test::start_server(echo);
  asio::io_context ctx;
  auto opts = test::local_options();
  opts.read_timeout = 120 * kNanosPerSecond;  // far beyond the wait below
  HttpClient client(ctx.get_executor(), opts);
  int ok = 0;
  for (int i = 0; i < 3; ++i)
    asio::co_spawn(
        ctx,
        [&]() -> asio::awaitable<void> {
          auto r = co_await client.fetch(request("GET", server->port(), "/x"));
          if (r && r->status == 200) ++ok;
        },
        asio::detached);
  ctx.run_for(std::chrono::seconds(15));  // returns as soon as no work is left
  EXPECT_TRUE(ctx.stopped()) << "work was still pending after 15 s";
  EXPECT_EQ(ok, 3);
}

TEST(HttpExchange, ChunkedStreamArrivesPieceByPieceBeforeTheStreamEnds) {
  // The handler writes one piece, then waits until the client has delivered it. A client
  // that buffered the body until the end would never see the first piece: a hang.
  constexpr int kPieces = 5;
  std::deque<Gate> delivered(kPieces);
  auto server = test::start_server([&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    bool open = co_await w.begin_stream(200, "text/event-stream");
    if (!open) co_return;
    for (int i = 0; i < kPieces; ++i) {
      bool sent = co_await w.write("data: piece " + std::to_string(i) + "\n\n");
      if (!sent) co_return;
      co_await delivered[static_cast<std::size_t>(i)].wait();
    }
    co_await w.end_stream();
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  RecordingSink sink;
  std::string expected;
  for (int i = 0; i < kPieces; ++i) expected += "data: piece " + std::to_string(i) + "\n\n";
  std::size_t next = 0;
  sink.on_piece = [&](std::string_view) {
    // Open every gate whose piece is now completely delivered.
    while (next < static_cast<std::size_t>(kPieces) &&
           sink.body.size() >= expected.find("data: piece " + std::to_string(next)) + 15)
      delivered[next++].open();
  };
  auto r = run(ctx, client.stream(request("POST", server->port(), "/stream", "{}"), sink));
  for (auto& g : delivered) g.open();  // release the handler whatever happened
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_TRUE(sink.sent);
  EXPECT_EQ(sink.head.status, 200);
  EXPECT_EQ(sink.head.headers.get("content-type"), "text/event-stream");
  EXPECT_EQ(sink.body, expected);
  EXPECT_GE(sink.pieces.size(), static_cast<std::size_t>(kPieces));
}

TEST(HttpExchange, ArrivalTimeIsWhenBytesReachedTheHostNotWhenABusyClientReadThem) {
  // The server writes a second piece 20 ms after the first, noting the instant just
  // before it writes. The client is busy for 300 ms with the first piece, so it reads
  // the second one ~280 ms after it came in. Its arrival time must still be the
  // moment the bytes arrived (the kernel's receive stamp): a bench client that falls
  // behind must not report the server's inter-token latency as its own backlog.
  std::atomic<Nanos> second_written{0};
  auto server = test::start_server([&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    bool open = co_await w.begin_stream(200, "text/event-stream");
    if (open) open = co_await w.write("data: one\n\n");
    if (!open) co_return;
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
    error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    second_written = mono_now();
    co_await w.write("data: two\n\n");
    co_await w.end_stream();
  });
  struct TimedSink final : ResponseSink {
    std::vector<std::pair<std::string, Nanos>> pieces;
    std::vector<Nanos> read_at;
    void on_head(const ResponseHead&, Nanos) override {}
    bool on_body(std::string_view bytes, Nanos t) override {
      pieces.emplace_back(std::string(bytes), t);
      read_at.push_back(mono_now());
      if (pieces.size() == 1) std::this_thread::sleep_for(std::chrono::milliseconds(300));  // busy
      return true;
    }
  } sink;
  asio::io_context ctx;
  ClientOptions opts = test::local_options();
  opts.stamp_arrivals = true;  // as bench's client does
  HttpClient client(ctx.get_executor(), opts);
  auto r = run(ctx, client.stream(request("POST", server->port(), "/stream", "{}"), sink));
  ASSERT_TRUE(r && *r) << test::why(r);
  ASSERT_EQ(sink.pieces.size(), 2u) << "the pieces were expected in two reads";
  EXPECT_EQ(sink.pieces[1].first, "data: two\n\n");
  Nanos written = second_written.load();
  Nanos arrived = sink.pieces[1].second;
  ASSERT_GT(written, 0);
  // Read long after it arrived (the client was asleep) ...
  EXPECT_GT(sink.read_at[1] - written, 100'000'000) << "the test did not keep the client busy";
  // ... but stamped when it arrived: not before the write, and well before the read.
  EXPECT_GE(arrived, written - 1'000'000);
  EXPECT_LT(arrived - written, 100'000'000) << "arrival " << (arrived - written) / 1e6
                                            << " ms after the write: the time of the read, not of the arrival";
}

std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + seed) % 251);
  return s;
}

TEST(HttpExchange, LargeChunkedBodyIsDecodedExactly) {
  // Writes of odd sizes, some bigger than the client's read buffer; bytes of every value.
  std::vector<std::string> writes;
  for (std::size_t n : {1u, 2u, 15u, 16u, 17u, 4095u, 16384u, 16385u, 70000u, 3u, 250000u})
    writes.push_back(pattern(n, static_cast<unsigned>(n)));
  auto server = test::start_server([&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.begin_stream(200, "application/octet-stream");
    for (const auto& s : writes) co_await w.write(s);
    co_await w.end_stream();
  });
  std::string want;
  for (const auto& s : writes) want += s;
  for (bool stamped : {false, true}) {  // Asio's reads, and the kernel-stamped reads bench uses
    asio::io_context ctx;
    ClientOptions opts = test::local_options();
    opts.stamp_arrivals = stamped;
    HttpClient client(ctx.get_executor(), opts);
    for (int i = 0; i < 2; ++i) {  // the second time on the kept-alive connection
      auto r = run(ctx, client.fetch(request("GET", server->port(), "/big")));
      ASSERT_TRUE(r && *r) << test::why(r) << (stamped ? " (stamped reads)" : "");
      EXPECT_EQ((*r)->body.size(), want.size());
      EXPECT_TRUE((*r)->body == want) << (stamped ? "stamped reads" : "Asio reads");
    }
    EXPECT_EQ(client.connections_opened(), 1u);
  }
}

TEST(HttpExchange, LargeContentLengthBodyArrivesInSeveralPieces) {
  const std::string big = pattern(3u << 20, 7);
  auto server = test::start_server([&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.send(200, "application/octet-stream", big);
  });
  for (bool stamped : {false, true}) {
    asio::io_context ctx;
    ClientOptions opts = test::local_options();
    opts.stamp_arrivals = stamped;
    HttpClient client(ctx.get_executor(), opts);
    RecordingSink sink;
    auto r = run(ctx, client.stream(request("GET", server->port(), "/big"), sink));
    ASSERT_TRUE(r && *r) << test::why(r) << (stamped ? " (stamped reads)" : "");
    EXPECT_GT(sink.pieces.size(), 1u);
    EXPECT_EQ(sink.body.size(), big.size());
    EXPECT_TRUE(sink.body == big) << (stamped ? "stamped reads" : "Asio reads");
  }
}

TEST(HttpExchange, LargeRequestBodyReachesTheHandler) {
  const std::string big = pattern(2u << 20, 3);
  auto server = test::start_server([&](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    std::string_view verdict = req.body == big ? "same" : "different";
    co_await w.send(200, "text/plain", verdict);
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto r = run(ctx, client.fetch(request("POST", server->port(), "/upload", big)));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ((*r)->body, "same");
}

TEST(HttpExchange, HeadResponseCarriesNoBodyAndTheConnectionStaysUsable) {
  auto server = test::start_server([](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.send(200, "text/plain", "hello world");
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto both = [&]() -> asio::awaitable<std::string> {
    auto head = co_await client.fetch(request("HEAD", server->port(), "/"));
    if (!head) co_return "HEAD failed: " + head.error().describe();
    if (!head->body.empty()) co_return "HEAD had a body: " + head->body;
    if (head->headers.get("content-length") != "11") co_return "HEAD lacks the GET's Content-Length";
    auto get = co_await client.fetch(request("GET", server->port(), "/"));
    if (!get) co_return "GET after HEAD failed: " + get.error().describe();
    co_return get->body;
  };
  auto got = run(ctx, both());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "hello world");
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(HttpExchange, SinkThatStopsReadingEndsTheRequestAndTheConnectionIsNotReused) {
  Gate finished;
  auto server = test::start_server([&](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    if (req.target == "/endless") {
      co_await w.begin_stream(200, "text/plain");
      for (;;) {
        bool sent = co_await w.write("tick\n");
        if (!sent) break;
      }
      finished.open();
      co_return;
    }
    co_await w.send(200, "text/plain", "ok");
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  RecordingSink sink;
  sink.stop_after_first = true;
  auto r = run(ctx, client.stream(request("GET", server->port(), "/endless"), sink));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ(sink.pieces.size(), 1u);
  // The server notices the client went away and stops producing.
  auto wait_finished = [&]() -> asio::awaitable<bool> {
    co_await finished.wait();
    co_return true;
  };
  EXPECT_TRUE(run(ctx, wait_finished()));
  auto next = run(ctx, client.fetch(request("GET", server->port(), "/")));
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->body, "ok");
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(HttpExchange, HandlerFailuresBecome500WithAJsonError) {
  auto server = test::start_server([](ServerRequest& req, ResponseWriter&) -> asio::awaitable<void> {
    if (req.target == "/throw") throw std::runtime_error("boom in handler");
    co_return;  // sends nothing
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto thrown = run(ctx, client.fetch(request("GET", server->port(), "/throw")));
  ASSERT_TRUE(thrown && *thrown);
  EXPECT_EQ((*thrown)->status, 500);
  EXPECT_NE((*thrown)->body.find("boom in handler"), std::string::npos) << (*thrown)->body;
  EXPECT_EQ((*thrown)->headers.get("content-type"), "application/json");
  auto silent = run(ctx, client.fetch(request("GET", server->port(), "/silent")));
  ASSERT_TRUE(silent && *silent);
  EXPECT_EQ((*silent)->status, 500);
  EXPECT_NE((*silent)->body.find("no response"), std::string::npos) << (*silent)->body;
}

TEST(HttpExchange, CancelSignalAbortsAStreamInFlight) {
  Gate never;
  auto server = test::start_server([&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.begin_stream(200, "text/plain");
    co_await w.write("first");
    co_await never.wait();
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  CancelSignal cancel;
  RecordingSink sink;
  sink.on_piece = [&](std::string_view) { cancel.cancel(); };
  auto r = run(ctx, client.stream(request("GET", server->port(), "/"), sink, &cancel));
  never.open();
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::cancelled);
  EXPECT_EQ(sink.body, "first");
}

TEST(HttpExchange, WatchDisconnectReportsAClientThatWentAway) {
  Gate gone, release, done;
  bool saw_gone = false;
  auto server = test::start_server([&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    w.watch_disconnect([&] { gone.open(); });
    co_await release.wait();  // stands in for waiting on an upstream
    saw_gone = w.client_gone();
    co_await w.send(200, "text/plain", "too late");
    done.open();
  });
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<bool> {
    auto s = co_await test::connect_to(server->port());
    co_await test::write_all(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    s.close();             // the client gives up while the handler waits
    co_await gone.wait();  // on_gone ran
    release.open();
    co_await done.wait();
    co_return true;
  };
  auto ok = run(ctx, go());
  release.open();
  EXPECT_TRUE(ok);
  EXPECT_TRUE(saw_gone);
}

TEST(HttpExchange, WatchedRequestsThatFinishKeepTheConnectionUsable) {
  std::atomic<bool> gone_called{false};
  auto server = test::start_server([&](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    w.watch_disconnect([&] { gone_called = true; });
    co_await w.send(200, "text/plain", req.target);
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  auto three = [&]() -> asio::awaitable<std::string> {
    std::string all;
    for (const char* t : {"/a", "/b", "/c"}) {
      auto r = co_await client.fetch(request("GET", server->port(), t));
      all += r ? r->body : "[" + r.error().describe() + "]";
    }
    co_return all;
  };
  EXPECT_EQ(run(ctx, three()), "/a/b/c");
  EXPECT_EQ(client.connections_opened(), 1u);
  EXPECT_FALSE(gone_called);
}

TEST(HttpExchange, APipelinedRequestIsNotADisconnect) {
  // The next request arrives while the first is being served: the watch sees bytes,
  // not an end, and both requests are answered in order on the one connection.
  Gate started, release;
  std::atomic<bool> gone_called{false};
  auto server = test::start_server([&](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    w.watch_disconnect([&] { gone_called = true; });
    if (req.target == "/a") {
      started.open();
      co_await release.wait();
    }
    co_await w.send(200, "text/plain", req.target);
  });
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<std::string> {
    auto s = co_await test::connect_to(server->port());
    co_await test::write_all(s, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    co_await started.wait();
    co_await test::write_all(s, "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    asio::steady_timer pause(ctx, std::chrono::milliseconds(100));  // time for the watch to see it
    co_await pause.async_wait(asio::use_awaitable);
    release.open();
    co_return co_await test::read_to_eof(s);
  };
  auto got = run(ctx, go(), std::chrono::seconds(10));
  release.open();
  ASSERT_TRUE(got);
  auto a = got->find("\r\n\r\n/a"), b = got->find("\r\n\r\n/b");
  EXPECT_TRUE(a != std::string::npos && b != std::string::npos && a < b) << *got;
  EXPECT_FALSE(gone_called);
}

TEST(HttpExchange, AClientThatLeavesAfterWatchedRequestsEndsItsConnection) {
  // Each request's watch is still queued on the socket when the next read begins; a
  // client that then closes must still end the connection on the server.
  auto server = test::start_server([&](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    w.watch_disconnect([] {});
    co_await w.send(200, "text/plain", req.target);
  });
  {
    asio::io_context ctx;
    HttpClient client(ctx.get_executor(), test::local_options());
    auto two = [&]() -> asio::awaitable<std::string> {
      std::string all;
      for (const char* t : {"/a", "/b"}) {
        auto r = co_await client.fetch(request("GET", server->port(), t));
        all += r ? r->body : "[" + r.error().describe() + "]";
      }
      co_return all;
    };
    EXPECT_EQ(run(ctx, two()), "/a/b");
    EXPECT_EQ(server->connections(), 1u);
  }  // the client and its pooled connection go away
  for (int i = 0; i < 500 && server->connections() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server->connections(), 0u);
}

TEST(HttpExchange, AWatchedRequestAnsweredAtOnceStillClosesItsConnection) {
  // The handler answers without ever waiting (its write goes out on the spot), so it is
  // done before the watch has even begun. The connection must still end as the client
  // asked: a watch left waiting for the client would hold it until the client gave up.
  auto server = test::start_server([&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    w.watch_disconnect([] {});
    co_await w.send(200, "text/plain", "at once");
  });
  asio::io_context ctx;
  auto go = [&]() -> asio::awaitable<std::string> {
    auto s = co_await test::connect_to(server->port());
    co_await test::write_all(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    co_return co_await test::read_to_eof(s);
  };
  auto got = run(ctx, go(), std::chrono::seconds(5));
  ASSERT_TRUE(got) << "the server kept the connection open after answering";
  EXPECT_NE(got->find("200 OK"), std::string::npos) << *got;
  EXPECT_TRUE(got->ends_with("at once")) << *got;
}

// A sink whose asynchronous flush can end the read (a gateway whose own client left).
class FlushStopsSink final : public ResponseSink {
 public:
  std::string body;
  int flushes = 0;
  int stop_at = 2;
  void on_head(const ResponseHead&, Nanos) override {}
  bool on_body(std::string_view bytes, Nanos) override {
    body.append(bytes);
    return true;
  }
  asio::awaitable<bool> flush() override { co_return ++flushes < stop_at; }
};

TEST(HttpExchange, SinkFlushCanStopTheRead) {
  Gate finished;
  auto server = test::start_server([&](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.begin_stream(200, "text/plain");
    for (;;) {
      bool sent = co_await w.write("tick\n");
      if (!sent) break;
    }
    finished.open();
  });
  asio::io_context ctx;
  HttpClient client(ctx.get_executor(), test::local_options());
  FlushStopsSink sink;
  auto r = run(ctx, client.stream(request("GET", server->port(), "/"), sink));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ(sink.flushes, 2);
  EXPECT_FALSE(sink.body.empty());
  auto wait_finished = [&]() -> asio::awaitable<bool> {
    co_await finished.wait();  // the server saw the client go
    co_return true;
  };
  EXPECT_TRUE(run(ctx, wait_finished()));
}

// An answer whose bytes are all here at once is passed on without a flush in between
// (a gateway then relays it in one write, not one per piece of the chunked body).
TEST(HttpExchange, AnAnswerThatArrivesWholeIsNotFlushedPieceByPiece) {
  asio::io_context ctx;
  test::RawServer server(ctx, [](tcp::socket s) -> asio::awaitable<void> {
    std::string buf, head;
    co_await test::read_head(s, buf, head);
    std::string answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const char* piece : {"one ", "two ", "three ", "four"})
      answer += std::to_string(std::string_view(piece).size()) + "\r\n" + piece + "\r\n";
    co_await test::write_all(s, answer + "0\r\n\r\n");
    co_await test::read_to_eof(s);
  });
  HttpClient client(ctx.get_executor(), test::local_options());
  FlushStopsSink sink;  // (stops at the second flush: none may come)
  auto r = run(ctx, client.stream(request("GET", server.port(), "/"), sink));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ(sink.body, "one two three four");
  EXPECT_EQ(sink.flushes, 0);
}

// Pieces that arrive apart are each passed on before the client waits for the next.
TEST(HttpExchange, PiecesThatArriveApartAreFlushedBeforeTheNextWait) {
  asio::io_context ctx;
  test::RawServer server(ctx, [](tcp::socket s) -> asio::awaitable<void> {
    std::string buf, head;
    co_await test::read_head(s, buf, head);
    co_await test::write_all(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n");
    asio::steady_timer t(s.get_executor());
    for (const char* rest : {"1\r\nb\r\n", "0\r\n\r\n"}) {
      t.expires_after(std::chrono::milliseconds(50));
      co_await t.async_wait(asio::use_awaitable);
      co_await test::write_all(s, rest);
    }
    co_await test::read_to_eof(s);
  });
  HttpClient client(ctx.get_executor(), test::local_options());
  FlushStopsSink sink;
  sink.stop_at = 100;
  auto r = run(ctx, client.stream(request("GET", server.port(), "/"), sink));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ(sink.body, "ab");
  EXPECT_EQ(sink.flushes, 2) << "after a and after b; the end is the caller's to write";
}

TEST(HttpExchange, ReasonPhrases) {
  EXPECT_EQ(reason_phrase(404), "Not Found");
  EXPECT_EQ(reason_phrase(503), "Service Unavailable");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
}

}  // namespace
}  // namespace llmux::net
