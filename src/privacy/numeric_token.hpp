#pragma once
// A run of digit groups joined by the separators people type inside phone
// numbers, card numbers and SSNs: "+49 (0)89 1234-5678", "4539 1488 0343 6467",
// "123-45-6789", "192.168.1.10". The validators reason about groups and the
// separators between them instead of re-parsing bytes.
#include <array>
#include <cstddef>
#include <string_view>

namespace llmux::privacy::detail {

struct DigitGroup {
  std::size_t begin = 0;  // first digit
  std::size_t end = 0;    // one past the last digit
  std::size_t size() const { return end - begin; }
};

struct NumericToken {
  static constexpr std::size_t kMaxGroups = 12;
  std::size_t begin = 0;  // includes a leading '+' or '('
  std::size_t end = 0;    // includes a closing ')' that belongs to the token
  bool plus = false;      // starts with '+'
  std::size_t count = 0;
  std::array<DigitGroup, kMaxGroups> groups;  // the first `count` are set
  std::size_t digits = 0;                     // total digits

  // Separator text between group i-1 and group i (i >= 1).
  std::string_view sep(std::string_view text, std::size_t i) const {
    return text.substr(groups[i - 1].end, groups[i].begin - groups[i - 1].end);
  }
  // Digits of groups [first, last) copied into `out` (no separators); returns count.
  std::size_t copy_digits(std::string_view text, std::size_t first, std::size_t last, char* out,
                          std::size_t cap) const;
};

// Reads the token whose first digit is at `first_digit`.
NumericToken read_numeric_token(std::string_view text, std::size_t first_digit);

// True when the separator is only spaces (including U+00A0 no-break space).
bool is_space_sep(std::string_view sep);

}  // namespace llmux::privacy::detail
