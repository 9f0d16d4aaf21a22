#pragma once
// Reads the [privacy] table of llmux.toml into a PrivacyConfig. The gateway's
// config loader parses the file and hands over the table; every problem names the
// file and line, and unknown keys are rejected (STYLE.md: config is validated once).
// All problems are reported at once, in line order, as the rest of the config's are.
//
//   [privacy]
//   detectors = ["email", "phone", "credit_card", "iban", "us_ssn", "ip_address", "secret"]
//   restore = true                 # put redacted values back into responses
//   [privacy.actions]
//   credit_card = "local-only"
//   secret = "block"
//   email = "redact"
//   default = "allow"
//   [[privacy.patterns]]
//   name = "project_codename"
//   regex = "\\bPROJECT-[A-Z]{4}\\b"
//   action = "local-only"
//   [[privacy.patterns]]
//   name = "client_names"
//   keywords = ["Acme", "Globex"]
//   case_insensitive = true
//
// Regexes are checked by Scanner::compile (vectorscan decides what it accepts);
// `llmux config check` runs both.
#include <toml++/toml.h>

#include <string_view>
#include <vector>

#include "privacy/policy.hpp"

namespace llmux::privacy {

// Every problem in the table, in line order.
tl::expected<PrivacyConfig, std::vector<Error>> read_privacy_config(const toml::table& privacy_table,
                                                                    std::string_view file);
// The first of them, for a caller that reports one.
Result<PrivacyConfig> parse_privacy_config(const toml::table& privacy_table, std::string_view file);

}  // namespace llmux::privacy
