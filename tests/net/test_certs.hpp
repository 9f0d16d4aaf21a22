#pragma once
// A throwaway certificate authority for TLS tests, made with the OpenSSL C API:
// an EC P-256 CA and server certificates it signs, as PEM text.
#include <memory>
#include <string>

namespace llmux::net::test {

struct IssuedCert {
  std::string cert_pem;
  std::string key_pem;
};

class TestCa {
 public:
  explicit TestCa(const std::string& name = "llmux test CA");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& pem() const { return ca_pem_; }
  // A server certificate: `cn` as the subject CN, `san` as subjectAltName
  // ("DNS:localhost,IP:127.0.0.1").
  IssuedCert issue(const std::string& cn, const std::string& san) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string ca_pem_;
};

}  // namespace llmux::net::test
