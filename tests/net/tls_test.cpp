// HTTPS: certificate verification against the system store or a CA file, host-name
// checks, SNI, and keep-alive over TLS, against an in-test TLS upstream.
#include <gtest/gtest.h>

#include "net/tls_upstream.hpp"
#include "support/process.hpp"

namespace llmux::net {
namespace {

using test::run;

class Tls : public ::testing::Test {
 protected:
  void SetUp() override { llmux::test::write_file(ca_file(), ca.pem()); }
  std::string ca_file() const { return dir.file("ca.pem"); }
  HttpRequest get(const std::string& host, std::uint16_t port, std::string target = "/v1/models") {
    return test::request("GET", port, std::move(target), {}, host, "https");
  }

  llmux::test::TempDir dir;
  test::TestCa ca;
  asio::io_context ctx;
};

TEST_F(Tls, UnknownCaFailsWithACertificateVerificationMessage) {
  test::TlsUpstream upstream(ctx, ca.issue("localhost", "DNS:localhost,IP:127.0.0.1"));
  HttpClient client(ctx.get_executor(), test::local_options());  // system trust store only
  auto r = run(ctx, client.fetch(get("127.0.0.1", upstream.port())));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::tls);
  EXPECT_NE(r->error().message.find("certificate verification failed"), std::string::npos)
      << r->error().message;
  EXPECT_NE(r->error().message.find("issuer"), std::string::npos) << r->error().message;
  EXPECT_NE(r->error().message.find("--ca-file"), std::string::npos) << r->error().message;
  EXPECT_EQ(upstream.requests(), 0u);
}

TEST_F(Tls, CaFileMakesThePrivateCaTrusted) {
  test::TlsUpstream upstream(ctx, ca.issue("localhost", "DNS:localhost,IP:127.0.0.1"));
  auto opts = test::local_options();
  opts.ca_file = ca_file();
  HttpClient client(ctx.get_executor(), opts);
  for (const char* host : {"127.0.0.1", "localhost"}) {
    auto r = run(ctx, client.fetch(get(host, upstream.port())));
    ASSERT_TRUE(r && *r) << host << ": " << test::why(r);
    EXPECT_EQ((*r)->status, 200);
    EXPECT_EQ((*r)->body, "tls ok GET /v1/models");
  }
}

TEST_F(Tls, KeepAliveReusesTheTlsConnection) {
  test::TlsUpstream upstream(ctx, ca.issue("localhost", "DNS:localhost"));
  for (bool stamped : {false, true}) {  // Asio's reads, and the kernel-stamped reads bench uses
    auto opts = test::local_options();
    opts.ca_file = ca_file();
    opts.stamp_arrivals = stamped;
    HttpClient client(ctx.get_executor(), opts);
    auto three = [&]() -> asio::awaitable<int> {
      int ok = 0;
      for (int i = 0; i < 3; ++i) {
        auto r = co_await client.fetch(get("localhost", upstream.port(), "/n" + std::to_string(i)));
        if (r && r->body == "tls ok GET /n" + std::to_string(i)) ++ok;
      }
      co_return ok;
    };
    EXPECT_EQ(run(ctx, three()), 3) << (stamped ? "stamped reads" : "Asio reads");
    EXPECT_EQ(client.connections_opened(), 1u);
  }
  EXPECT_EQ(upstream.handshakes(), 2u);  // one per client
}

TEST_F(Tls, SendsTheHostNameAsSniButNotAnIpAddress) {
  test::TlsUpstream upstream(ctx, ca.issue("localhost", "DNS:localhost,IP:127.0.0.1"));
  auto opts = test::local_options();
  opts.ca_file = ca_file();
  HttpClient by_name(ctx.get_executor(), opts);
  ASSERT_TRUE(run(ctx, by_name.fetch(get("localhost", upstream.port()))));
  EXPECT_EQ(upstream.last_sni(), "localhost");
  HttpClient by_ip(ctx.get_executor(), opts);
  ASSERT_TRUE(run(ctx, by_ip.fetch(get("127.0.0.1", upstream.port()))));
  EXPECT_EQ(upstream.handshakes(), 2u);
  EXPECT_EQ(upstream.last_sni(), "");  // RFC 6066: SNI never carries an IP literal
}

TEST_F(Tls, CertificateForAnotherHostIsRejected) {
  test::TlsUpstream upstream(ctx, ca.issue("api.example.com", "DNS:api.example.com,IP:10.9.9.9"));
  auto opts = test::local_options();
  opts.ca_file = ca_file();
  HttpClient client(ctx.get_executor(), opts);
  for (const char* host : {"localhost", "127.0.0.1"}) {
    auto r = run(ctx, client.fetch(get(host, upstream.port())));
    ASSERT_TRUE(r);
    ASSERT_FALSE(*r) << host;
    EXPECT_EQ(r->error().code, ErrorCode::tls) << host;
    EXPECT_NE(r->error().message.find("mismatch"), std::string::npos) << host << ": " << r->error().message;
    EXPECT_NE(r->error().message.find(host), std::string::npos) << r->error().message;
  }
  EXPECT_EQ(upstream.requests(), 0u);
}

TEST_F(Tls, VerificationCanBeTurnedOff) {
  test::TlsUpstream upstream(ctx, ca.issue("api.example.com", "DNS:api.example.com"));
  auto opts = test::local_options();
  opts.verify_tls = false;
  HttpClient client(ctx.get_executor(), opts);
  auto r = run(ctx, client.fetch(get("127.0.0.1", upstream.port())));
  ASSERT_TRUE(r && *r) << test::why(r);
  EXPECT_EQ((*r)->body, "tls ok GET /v1/models");
}

TEST_F(Tls, MissingCaFileIsATlsErrorNamingTheFile) {
  test::TlsUpstream upstream(ctx, ca.issue("localhost", "DNS:localhost"));
  auto opts = test::local_options();
  opts.ca_file = dir.file("no-such-ca.pem");
  HttpClient client(ctx.get_executor(), opts);
  auto r = run(ctx, client.fetch(get("localhost", upstream.port())));
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().code, ErrorCode::tls);
  EXPECT_NE(r->error().message.find("no-such-ca.pem"), std::string::npos) << r->error().message;
}

TEST_F(Tls, PlainHttpSpokenToATlsPortIsAnErrorNotAHang) {
  test::TlsUpstream upstream(ctx, ca.issue("localhost", "DNS:localhost"));
  auto opts = test::local_options();
  opts.read_timeout = 5 * kNanosPerSecond;
  HttpClient client(ctx.get_executor(), opts);
  auto r = run(ctx, client.fetch(test::request("GET", upstream.port(), "/")));
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
}

}  // namespace
}  // namespace llmux::net
