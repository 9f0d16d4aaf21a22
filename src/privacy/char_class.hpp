#pragma once
// Byte classes the detectors share. ASCII only on purpose: every structured
// class is ASCII, and bytes >= 0x80 (UTF-8 letters of any script) are treated as
// "not a digit, not an ASCII letter", which is what token boundaries need.
#include <cstddef>
#include <string_view>

namespace llmux::privacy::detail {

inline bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool is_upper(char c) { return static_cast<unsigned char>(c - 'A') < 26; }
inline bool is_lower(char c) { return static_cast<unsigned char>(c - 'a') < 26; }
inline bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
inline bool is_word(char c) { return is_alnum(c) || c == '_'; }
inline bool is_hex(char c) { return is_digit(c) || static_cast<unsigned char>((c | 0x20) - 'a') < 6; }
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool is_high(char c) { return static_cast<unsigned char>(c) >= 0x80; }
inline char lower(char c) { return is_upper(c) ? static_cast<char>(c | 0x20) : c; }
inline char upper(char c) { return is_lower(c) ? static_cast<char>(c & ~0x20) : c; }
inline bool is_b64url(char c) { return is_alnum(c) || c == '-' || c == '_'; }

// Character at i, or '\0' outside the text (a neutral boundary).
inline char at(std::string_view s, std::size_t i) { return i < s.size() ? s[i] : '\0'; }
inline char before(std::string_view s, std::size_t i) { return i > 0 && i <= s.size() ? s[i - 1] : '\0'; }

// Case-insensitive (ASCII) comparison of s[pos, pos+word.size()) with `word`.
inline bool matches_icase_at(std::string_view s, std::size_t pos, std::string_view word) {
  if (pos > s.size() || s.size() - pos < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(s[pos + i]) != lower(word[i])) return false;
  }
  return true;
}

}  // namespace llmux::privacy::detail
