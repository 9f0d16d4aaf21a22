#include "net/tls_upstream.hpp"

#include <openssl/ssl.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>

namespace llmux::net::test {

namespace ssl = boost::asio::ssl;

struct TlsUpstream::State {
  ssl::context tls{ssl::context::tls_server};
  std::size_t handshakes = 0;
  std::size_t requests = 0;
  std::string sni;
};

namespace {

asio::awaitable<void> serve_tls(std::shared_ptr<TlsUpstream::State> st, tcp::socket sock) {
  ssl::stream<tcp::socket> s(std::move(sock), st->tls);
  error_code ec;
  co_await s.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;  // the client refused our certificate: expected in some tests
  ++st->handshakes;
  const char* sni = SSL_get_servername(s.native_handle(), TLSEXT_NAMETYPE_host_name);
  st->sni = sni ? sni : "";
  std::string buf;
  for (;;) {
    std::size_t n = co_await asio::async_read_until(s, asio::dynamic_buffer(buf), "\r\n\r\n",
                                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    std::string line = buf.substr(0, buf.find("\r\n"));
    buf.erase(0, n);
    ++st->requests;
    std::string body = "tls ok " + line.substr(0, line.rfind(' '));
    std::string reply =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: keep-alive\r\n\r\n" + body;
    co_await asio::async_write(s, asio::buffer(reply), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

}  // namespace

TlsUpstream::TlsUpstream(asio::io_context& ctx, const IssuedCert& cert) : state_(std::make_shared<State>()) {
  state_->tls.use_certificate_chain(asio::buffer(cert.cert_pem));
  state_->tls.use_private_key(asio::buffer(cert.key_pem), ssl::context::pem);
  auto st = state_;
  raw_ = std::make_unique<RawServer>(ctx, [st](tcp::socket s) { return serve_tls(st, std::move(s)); });
}

TlsUpstream::~TlsUpstream() = default;
std::uint16_t TlsUpstream::port() const { return raw_->port(); }
std::size_t TlsUpstream::handshakes() const { return state_->handshakes; }
std::size_t TlsUpstream::requests() const { return state_->requests; }
std::string TlsUpstream::last_sni() const { return state_->sni; }

}  // namespace llmux::net::test
