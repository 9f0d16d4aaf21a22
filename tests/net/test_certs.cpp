#include "net/test_certs.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace llmux::net::test {

namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* x) const { X509_free(x); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL: ") + what);
}

Key new_key() {
  Key k(EVP_EC_gen("P-256"));
  check(k != nullptr, "EC key generation");
  return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "certificate extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, valid from an hour ago for a day (issuer set by the caller).
Cert new_cert(EVP_PKEY* key, const std::string& cn, long serial) {
  Cert x(X509_new());
  check(x != nullptr, "X509_new");
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 24 * 3600);
  X509_set_pubkey(x.get(), key);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                             -1, 0);
  return x;
}

std::string cert_pem(X509* x) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

std::string key_pem(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

}  // namespace

struct TestCa::Impl {
  Key key;
  Cert cert;
  mutable long serial = 2;
};

TestCa::TestCa(const std::string& name) : impl_(std::make_unique<Impl>()) {
  impl_->key = new_key();
  impl_->cert = new_cert(impl_->key.get(), name, 1);
  X509* x = impl_->cert.get();
  X509_set_issuer_name(x, X509_get_subject_name(x));
  add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
  add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(x, x, NID_subject_key_identifier, "hash");
  check(X509_sign(x, impl_->key.get(), EVP_sha256()) > 0, "signing the CA");
  ca_pem_ = cert_pem(x);
}

TestCa::~TestCa() = default;

IssuedCert TestCa::issue(const std::string& cn, const std::string& san) const {
  Key key = new_key();
  Cert x = new_cert(key.get(), cn, impl_->serial++);
  X509* ca = impl_->cert.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(ca));
  add_ext(x.get(), ca, NID_basic_constraints, "CA:FALSE");
  add_ext(x.get(), ca, NID_key_usage, "critical,digitalSignature");
  add_ext(x.get(), ca, NID_ext_key_usage, "serverAuth");
  add_ext(x.get(), ca, NID_authority_key_identifier, "keyid:always");
  add_ext(x.get(), ca, NID_subject_alt_name, san);
  check(X509_sign(x.get(), impl_->key.get(), EVP_sha256()) > 0, "signing the server certificate");
  return IssuedCert{cert_pem(x.get()), key_pem(key.get())};
}

}  // namespace llmux::net::test
