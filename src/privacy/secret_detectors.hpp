#pragma once
// Secrets: provider key formats recognised by their prefixes, JWTs, PEM private
// keys, credentials in URLs, and high-entropy values assigned to key-like names.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "privacy/detectors.hpp"

namespace llmux::privacy::detail {

// A provider token: a literal prefix (the vectorscan trigger), then a body of a
// known alphabet. Lengths are of the whole token, prefix included.
struct TokenFormat {
  std::string_view prefix;
  std::size_t min_length;
  std::size_t max_length;
  std::string_view extra;  // characters allowed besides [A-Za-z0-9]
};

std::span<const TokenFormat> token_formats();

// `end` is where the prefix ends.
std::size_t confirm_token(std::string_view text, std::size_t end, const TokenFormat& f, Hits& out);
std::size_t confirm_jwt(std::string_view text, std::size_t end, Hits& out);
std::size_t confirm_private_key(std::string_view text, std::size_t end, Hits& out);
std::size_t confirm_url_credentials(std::string_view text, std::size_t end, Hits& out);
std::size_t confirm_key_value(std::string_view text, std::size_t end, Hits& out);
std::size_t confirm_cli_password(std::string_view text, std::size_t end, Hits& out);

// Value checks shared by the assignment-style detectors.
enum class ValueKind { password, token };
enum class Separator { assignment, verbal, space };  // "key: v" / "password is v" / "Bearer v"
bool secret_value(std::string_view value, ValueKind kind, Separator sep);

}  // namespace llmux::privacy::detail
