// Requests through proxies: HTTPS via CONNECT tunnels (TLS verified end to end with the
// upstream's name) and plain HTTP in absolute form. The target names do not resolve:
// only the proxy connects to them, which is also how the tests route them to loopback.
#include <gtest/gtest.h>

#include <array>

#include "net/tls_upstream.hpp"
#include "support/process.hpp"

namespace llmux::net {
namespace {

using test::RawServer;
using test::run;

// Copies bytes one way until either side ends, then half-closes the other.
asio::awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
  std::array<char, 16384> buf;
  error_code ec;
  for (;;) {
    std::size_t n =
        co_await from->async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    co_await asio::async_write(*to, asio::buffer(buf.data(), n),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  to->shutdown(tcp::socket::shutdown_send, ec);
}

// A CONNECT proxy that resolves every name to 127.0.0.1 and keeps the request lines it saw.
struct ConnectProxy {
  std::vector<std::string> requests;
  std::unique_ptr<RawServer> raw;

  explicit ConnectProxy(asio::io_context& ctx) {
    raw = std::make_unique<RawServer>(ctx, [this](tcp::socket s) { return serve(std::move(s)); });
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(raw->port()); }

  asio::awaitable<void> serve(tcp::socket s) {
    std::string buf, head;
    bool got = co_await test::read_head(s, buf, head);
    if (!got) co_return;
    std::string line = head.substr(0, head.find("\r\n"));
    requests.push_back(line);
    // "CONNECT host:port HTTP/1.1"
    auto authority = line.substr(8, line.rfind(' ') - 8);
    auto port = static_cast<std::uint16_t>(std::stoi(authority.substr(authority.rfind(':') + 1)));
    auto up = std::make_shared<tcp::socket>(s.get_executor());
    error_code ec;
    co_await up->async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_await test::write_all(s, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      co_return;
    }
    co_await test::write_all(s, "HTTP/1.1 200 Connection established\r\n\r\n");
    auto down = std::make_shared<tcp::socket>(std::move(s));
    asio::co_spawn(down->get_executor(), pump(up, down), asio::detached);
    co_await pump(down, up);
  }
};

class ProxyTunnel : public ::testing::Test {
 protected:
  void SetUp() override { llmux::test::write_file(dir.file("ca.pem"), ca.pem()); }
  ClientOptions via_proxy(const std::string& https_proxy) {
    auto o = test::local_options();
    o.ca_file = dir.file("ca.pem");
    o.proxy.https_proxy = https_proxy;
    return o;
  }

  llmux::test::TempDir dir;
  test::TestCa ca;
  asio::io_context ctx;
};

TEST_F(ProxyTunnel, HttpsGoesThroughConnectAndVerifiesTheUpstreamName) {
  test::TlsUpstream upstream(ctx, ca.issue("upstream.test", "DNS:upstream.test"));
  ConnectProxy proxy(ctx);
  HttpClient client(ctx.get_executor(), via_proxy(proxy.url()));
  auto req = test::request("GET", upstream.port(), "/v1/models", {}, "upstream.test", "https");
  auto twice = [&]() -> asio::awaitable<std::string> {
    auto a = co_await client.fetch(req);
    if (!a) co_return a.error().describe();
    auto b = co_await client.fetch(req);
    if (!b) co_return b.error().describe();
    co_return a->body + " | " + b->body;
  };
  auto got = run(ctx, twice());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "tls ok GET /v1/models | tls ok GET /v1/models");
  ASSERT_EQ(proxy.requests.size(), 1u);  // one tunnel, kept alive
  EXPECT_EQ(proxy.requests[0], "CONNECT upstream.test:" + std::to_string(upstream.port()) + " HTTP/1.1");
  EXPECT_EQ(upstream.last_sni(), "upstream.test");
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST_F(ProxyTunnel, TunnelledCertificateForAnotherNameIsRejected) {
  test::TlsUpstream upstream(ctx, ca.issue("other.test", "DNS:other.test"));
  ConnectProxy proxy(ctx);
  HttpClient client(ctx.get_executor(), via_proxy(proxy.url()));
  auto r = run(ctx, client.fetch(test::request("GET", upstream.port(), "/", {}, "upstream.test", "https")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::tls) << r->error().describe();
  EXPECT_EQ(proxy.requests.size(), 1u);
}

TEST_F(ProxyTunnel, ProxyRefusingConnectIsAConnectErrorWithItsStatus) {
  auto proxy = test::start_server([](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    int status = req.method == "CONNECT" ? 407 : 400;
    co_await w.send(status, "text/plain", "no");
  });
  HttpClient client(ctx.get_executor(), via_proxy("http://127.0.0.1:" + std::to_string(proxy->port())));
  auto r = run(ctx, client.fetch(test::request("GET", 443, "/", {}, "upstream.test", "https")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::connect);
  EXPECT_NE(r->error().message.find("407"), std::string::npos) << r->error().message;
  EXPECT_NE(r->error().message.find("upstream.test:443"), std::string::npos) << r->error().message;
}

TEST_F(ProxyTunnel, UnreachableProxyIsAConnectErrorThatSaysProxy) {
  std::uint16_t dead;
  {
    tcp::acceptor a(ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    dead = a.local_endpoint().port();
  }
  HttpClient client(ctx.get_executor(), via_proxy("127.0.0.1:" + std::to_string(dead)));
  auto r = run(ctx, client.fetch(test::request("GET", 443, "/", {}, "upstream.test", "https")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::connect);
  EXPECT_NE(r->error().message.find("proxy"), std::string::npos) << r->error().message;
}

TEST_F(ProxyTunnel, MalformedProxyVariableFailsTheRequestWithAConfigError) {
  HttpClient client(ctx.get_executor(), via_proxy("socks5://127.0.0.1:1080"));
  auto r = run(ctx, client.fetch(test::request("GET", 443, "/", {}, "upstream.test", "https")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::config);
  EXPECT_NE(r->error().message.find("HTTPS_PROXY"), std::string::npos);
}

TEST_F(ProxyTunnel, PlainHttpGoesToTheProxyInAbsoluteForm) {
  auto proxy = test::start_server([](ServerRequest& req, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.send(200, "text/plain",
                    "proxied " + req.method + " " + req.target +
                        " host=" + std::string(req.headers.get("host").value_or("")) + " body=" + req.body);
  });
  auto opts = test::local_options();
  opts.proxy.http_proxy = "127.0.0.1:" + std::to_string(proxy->port());
  HttpClient client(ctx.get_executor(), opts);
  auto req = test::request("POST", 8000, "/v1/chat/completions?x=1", "{}", "upstream.test");
  auto twice = [&]() -> asio::awaitable<std::string> {
    auto a = co_await client.fetch(req);
    if (!a) co_return a.error().describe();
    auto b = co_await client.fetch(req);
    if (!b) co_return b.error().describe();
    co_return a->body == b->body ? a->body : a->body + " != " + b->body;
  };
  auto got = run(ctx, twice());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got,
            "proxied POST http://upstream.test:8000/v1/chat/completions?x=1 host=upstream.test:8000 body={}");
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST_F(ProxyTunnel, NoProxyTargetsSkipTheProxy) {
  auto proxy = test::start_server([](ServerRequest&, ResponseWriter& w) -> asio::awaitable<void> {
    co_await w.send(200, "text/plain", "proxied");
  });
  auto opts = test::local_options();
  opts.proxy.http_proxy = "127.0.0.1:" + std::to_string(proxy->port());
  opts.proxy.no_proxy = ".test";
  HttpClient client(ctx.get_executor(), opts);
  auto r = run(ctx, client.fetch(test::request("GET", 8000, "/", {}, "upstream.test")));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);  // went direct, and the name does not resolve
  EXPECT_EQ(r->error().code, ErrorCode::connect);
  EXPECT_NE(r->error().message.find("upstream.test"), std::string::npos) << r->error().message;
}

}  // namespace
}  // namespace llmux::net
