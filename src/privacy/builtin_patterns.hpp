#pragma once
// The vectorscan triggers of the built-in detectors that have a literal to
// anchor on: '@' for email, key prefixes, "eyJ", "-----BEGIN ", "://", key-like
// words. A trigger only says "look here"; its confirm step decides. (Digit-led
// classes come from digit_scan.cpp instead.)
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "privacy/detectors.hpp"
#include "privacy/secret_detectors.hpp"

namespace llmux::privacy::detail {

enum class Trigger : std::uint8_t {
  email,
  token,
  jwt,
  private_key,
  url_credentials,
  key_value,
  cli_password
};

struct BuiltinPattern {
  std::string expression;
  unsigned flags = 0;  // HS_FLAG_*
  Builtin cls = Builtin::secret;
  Trigger trigger = Trigger::token;
  const TokenFormat* format = nullptr;  // for Trigger::token
  std::size_t length = 0;               // bytes of the literal
  std::size_t guard = 0;                // triggers sharing a guard skip spans already examined
};

// Triggers of the enabled classes.
std::vector<BuiltinPattern> builtin_patterns(const EnabledSet& enabled);

// Runs the confirm step for a trigger that ended at `end`; returns the offset
// before which later matches of the same pattern add nothing.
std::size_t confirm_trigger(const BuiltinPattern& p, std::string_view text, std::size_t end, Hits& out);

}  // namespace llmux::privacy::detail
