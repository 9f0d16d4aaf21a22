#pragma once
// Numbers written to slip past the strict readers: "4539.1488.0343.6467",
// "4539  1488  0343  6467", "45 39 14 88 ...", "4539_1488_...", a line break or
// an invisible U+200B inside, an en dash in "123–45–6789". A loose number is
// one run of digits joined by separators of one kind; a line break or
// zero-width characters may sit anywhere. Only whole loose numbers are
// validated (no windows), which keeps the false positives of so lax a reader
// to what Luhn, issuer prefixes and SSA rules let through.
#include <array>
#include <cstddef>
#include <string_view>

#include "privacy/detectors.hpp"

namespace llmux::privacy::detail {

// What joins two digits (or two IBAN groups).
struct LooseSeparator {
  std::size_t length = 0;  // bytes; 0 with `ok` false: nothing joins here
  bool ok = false;
  bool wildcard = false;   // only invisible characters, or a line break: any number may hold one
  unsigned signature = 0;  // spaces * 256 + mark ('-' for every dash); equal for equal kinds
};

// The separator starting at `i`; `ok` only when a digit (or, with `alnum`, a
// letter or digit) follows it.
LooseSeparator loose_separator(std::string_view text, std::size_t i, bool alnum = false);

// Bytes of zero-width characters (U+200B-U+200D, U+2060, U+FEFF, U+00AD) at `i`, else 0.
std::size_t invisible_at(std::string_view text, std::size_t i);

struct LooseNumber {
  static constexpr std::size_t kMaxDigits = 19;
  std::size_t begin = 0;  // first digit
  std::size_t end = 0;    // one past the last digit
  std::size_t count = 0;  // kMaxDigits + 1 means "longer than any class"
  std::array<char, kMaxDigits + 1> digits{};
  std::size_t groups = 0;  // digit groups between visible separators
  std::array<std::size_t, kMaxDigits + 1> group_size{};
  unsigned signature = 0;  // of the visible separators, all of one kind (0: none)
  std::size_t restart = 0; // where another kind of separator began a new number (0: none)
};

LooseNumber read_loose_number(std::string_view text, std::size_t first_digit);

// Cards and SSNs in the loose number starting at `first_digit` (the enabled
// ones); returns the end of the bytes examined.
std::size_t find_loose_numbers(std::string_view text, std::size_t first_digit, bool cards, bool ssns,
                               Hits& out);

}  // namespace llmux::privacy::detail
