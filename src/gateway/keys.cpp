#include "gateway/keys.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "core/text.hpp"

namespace llmux::gateway {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

NewKey generate_key() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  unsigned char raw[32];
  RAND_bytes(raw, sizeof raw);
  std::string secret = "llmux-sk-";
  for (unsigned char b : raw) secret += kAlphabet[b % 62];  // ~190 bits; the bias is irrelevant at this size
  return NewKey{secret, sha256_hex(secret)};
}

std::string presented_key(std::optional<std::string_view> authorization, std::optional<std::string_view> x_api_key) {
  if (authorization) {
    auto v = trim(*authorization);
    if (starts_with_icase(v, "bearer ")) return std::string(trim(v.substr(7)));
  }
  if (x_api_key) return std::string(trim(*x_api_key));
  return {};
}

KeyStore::KeyStore(const std::vector<KeyConfig>& keys) {
  for (const auto& k : keys) by_digest_.emplace(k.sha256_hex, k);
}

const KeyConfig* KeyStore::authenticate(std::string_view secret) const {
  if (secret.empty()) return nullptr;
  std::string digest = sha256_hex(secret);
  auto it = by_digest_.find(digest);
  if (it == by_digest_.end()) return nullptr;
  // The map lookup compares digests, not secrets; confirm in constant time anyway.
  return constant_time_equal(it->first, digest) ? &it->second : nullptr;
}

}  // namespace llmux::gateway
