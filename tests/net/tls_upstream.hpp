#pragma once
// A TLS HTTP/1.1 upstream on the test's io_context: every request on a connection is
// answered "tls ok METHOD TARGET" with keep-alive; it records the SNI name it saw.
#include <cstdint>
#include <memory>
#include <string>

#include "net/loopback.hpp"
#include "net/test_certs.hpp"

namespace llmux::net::test {

class TlsUpstream {
 public:
  TlsUpstream(asio::io_context& ctx, const IssuedCert& cert);
  ~TlsUpstream();
  std::uint16_t port() const;
  std::size_t handshakes() const;  // completed server-side handshakes
  std::size_t requests() const;
  std::string last_sni() const;  // "" when the client sent none

  struct State;  // shared with the connection coroutines

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<RawServer> raw_;
};

}  // namespace llmux::net::test
