#pragma once
// The detectors fed by digit runs (see digit_scan.cpp). Each looks at one
// numeric token, or at the text around one digit run, and appends what it
// confirms.
#include <cstddef>
#include <string_view>

#include "privacy/detectors.hpp"
#include "privacy/numeric_token.hpp"

namespace llmux::privacy::detail {

void find_cards(std::string_view text, const NumericToken& t, Hits& out);
void find_us_ssn(std::string_view text, const NumericToken& t, Hits& out);
void find_phone(std::string_view text, const NumericToken& t, Hits& out);
void find_ipv4(std::string_view text, const NumericToken& t, Hits& out);

// IPv6 around the digit run starting at `digit`; returns the end of the span examined.
std::size_t confirm_ipv6(std::string_view text, std::size_t digit, Hits& out);
// An IBAN whose check digits start at `digit` ("DE" + "89..."); returns the end examined.
std::size_t confirm_iban(std::string_view text, std::size_t digit, Hits& out);

// An SSN keyword ("SSN", "social security", ...) in the 40 bytes before `pos`.
bool ssn_keyword_before(std::string_view text, std::size_t pos);

// The byte before `begin` (after `end`) does not glue the token to a word or a
// code: "SN-4402", "A123", "ISBN-10", "555-1234-A".
bool free_left(std::string_view text, std::size_t begin);
bool free_right(std::string_view text, std::size_t end);

// A keyword from `words` (lower case; ASCII letters in the text match either
// case, and ASCII words must start a word)
// occurs in the `window` bytes before `pos`.
bool keyword_before(std::string_view text, std::size_t pos, std::size_t window,
                    std::initializer_list<std::string_view> words);

}  // namespace llmux::privacy::detail
