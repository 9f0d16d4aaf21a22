#pragma once
// Virtual keys: clients present "llmux-sk-..." secrets; the gateway stores only
// their SHA-256 and compares digests in constant time.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/config.hpp"

namespace llmux::gateway {

struct NewKey {
  std::string secret;      // shown once
  std::string sha256_hex;  // what the config stores
};

// 32 random bytes from the OS (base62): "llmux-sk-...".
NewKey generate_key();
std::string sha256_hex(std::string_view data);
bool constant_time_equal(std::string_view a, std::string_view b);

// The key a request presents: "Authorization: Bearer K" or "x-api-key: K".
std::string presented_key(std::optional<std::string_view> authorization, std::optional<std::string_view> x_api_key);

class KeyStore {
 public:
  explicit KeyStore(const std::vector<KeyConfig>& keys);
  bool empty() const { return by_digest_.empty(); }
  // The key's entry, or nullptr for an unknown secret.
  const KeyConfig* authenticate(std::string_view secret) const;

 private:
  std::unordered_map<std::string, KeyConfig> by_digest_;
};

}  // namespace llmux::gateway
