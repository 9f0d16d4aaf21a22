#pragma once
// Pure checks that turn a candidate into a finding. Each one encodes a published
// rule (Luhn, ISO 13616, SSA allocation rules, RFC 4291 / 5321) so that the
// corpus precision comes from validation, not from guessing.
#include <cstddef>
#include <string_view>

namespace llmux::privacy {

// Luhn (mod 10) over the digits of `digits`; other bytes are ignored.
bool luhn_valid(std::string_view digits);
// 13-19 digits, an issuer prefix whose lengths include this one, Luhn, and not a
// published test number (4242 4242 4242 4242 and friends) or a low-complexity one.
bool card_number_valid(std::string_view digits);
bool is_test_card_number(std::string_view digits);

// ISO 13616: known country, its exact length, check digits, mod 97 == 1. Spaces
// are ignored; letters may be lower case.
bool iban_valid(std::string_view iban);
// Length of an IBAN for the country code ("DE" -> 22), 0 when unknown.
std::size_t iban_length(std::string_view country);

// SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000.
bool us_ssn_valid(std::string_view nine_digits);

// Dotted quad, each octet 0-255, no sign, no more than three digits.
bool ipv4_valid(std::string_view text);
// RFC 4291 text forms: eight groups, one "::" compression, an embedded IPv4 tail.
bool ipv6_valid(std::string_view text);

// The address itself (no surrounding text): local part and a domain of at least
// two labels with an alphabetic top-level label that is not a file extension.
bool email_address_valid(std::string_view address);

// Shannon entropy of the byte distribution, in bits per byte.
double shannon_entropy(std::string_view s);

// A phone number as written ("+49 30 901820", "(415) 555-0132"); `context` is
// the text before it, which the weakest formats (bare digit strings) need.
bool phone_number_valid(std::string_view candidate, std::string_view context = {});

}  // namespace llmux::privacy
