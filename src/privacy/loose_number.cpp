#include "privacy/loose_number.hpp"

#include <string_view>

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy::detail {

namespace {

constexpr std::size_t kMaxSeparatorBytes = 16;

bool bytes_at(std::string_view text, std::size_t i, std::string_view b) { return text.substr(i, b.size()) == b; }

// Horizontal space: ' ', tab, U+00A0, U+2009 thin space, U+202F narrow no-break space.
std::size_t space_at(std::string_view text, std::size_t i) {
  char c = at(text, i);
  if (c == ' ' || c == '\t') return 1;
  if (bytes_at(text, i, "\xC2\xA0")) return 2;
  if (bytes_at(text, i, "\xE2\x80\x89") || bytes_at(text, i, "\xE2\x80\xAF")) return 3;
  return 0;
}

// A mark that may join digit groups; every dash reads as '-'.
std::size_t mark_at(std::string_view text, std::size_t i, char& mark) {
  char c = at(text, i);
  if (c == '-' || c == '.' || c == '/' || c == '_') {
    mark = c;
    return 1;
  }
  // U+2010-U+2015 hyphens and dashes, U+2212 minus sign.
  if (bytes_at(text, i, "\xE2\x80") && static_cast<unsigned char>(at(text, i + 2)) >= 0x90 &&
      static_cast<unsigned char>(at(text, i + 2)) <= 0x95) {
    mark = '-';
    return 3;
  }
  if (bytes_at(text, i, "\xE2\x88\x92")) {
    mark = '-';
    return 3;
  }
  return 0;
}

// The word (letters and digits) around [begin, end) has a letter that is not a
// hex digit: "cc4539148803436467exp" is a card glued to words, a hash is not.
bool word_has_non_hex_letter(std::string_view text, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i > 0 && begin - i < 64 && is_alnum(text[i - 1]); --i) {
    if (is_alpha(text[i - 1]) && !is_hex(text[i - 1])) return true;
  }
  for (std::size_t i = end; i < text.size() && i - end < 64 && is_alnum(text[i]); ++i) {
    if (is_alpha(text[i]) && !is_hex(text[i])) return true;
  }
  return false;
}

// Not part of a longer token: free boundaries, or (for one unbroken run) glued
// to a word that is not a hex string.
bool loose_boundaries(std::string_view text, const LooseNumber& n) {
  char l = before(text, n.begin), r = at(text, n.end);
  if (l == '+') return false;
  if ((l == '-' || l == '.' || l == '/' || l == '_') && is_alnum(before(text, n.begin - 1))) return false;
  if ((r == '-' || r == '/' || r == '_') && is_alnum(at(text, n.end + 1))) return false;  // "123-45-6789-B"
  if (r == '.' && is_digit(at(text, n.end + 1))) return false;
  bool glued = is_word(l) || is_word(r);
  return !glued || (n.signature == 0 && word_has_non_hex_letter(text, n.begin, n.end));
}

// 3-2-4 with one space or one dash of any kind ("123–45–6789"), or any
// consistent form after an SSN keyword ("SSN 123.45.6789", "SSN 1 2 3 4 5 6 7 8 9").
bool loose_ssn(std::string_view text, const LooseNumber& n) {
  if (n.count != 9) return false;
  if (!us_ssn_valid(std::string_view(n.digits.data(), 9))) return false;
  bool dashed = n.groups == 3 && n.group_size[0] == 3 && n.group_size[1] == 2 && n.group_size[2] == 4 &&
                (n.signature == 256 || n.signature == '-');
  return dashed || ssn_keyword_before(text, n.begin);
}

}  // namespace

std::size_t invisible_at(std::string_view text, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(at(text, i));
  if (c != 0xE2 && c != 0xEF && c != 0xC2 && c != 0xCD && c != 0xE1) return 0;
  if (bytes_at(text, i, "\xC2\xAD")) return 2;  // soft hyphen
  if (bytes_at(text, i, "\xCD\x8F")) return 2;  // combining grapheme joiner
  if (bytes_at(text, i, "\xE1\xA0\x8E")) return 3;  // Mongolian vowel separator
  // Zero-width space/joiners, left-to-right and right-to-left marks, word joiner,
  // invisible function application/times/separator/plus, byte order mark.
  if (c == 0xE2 && static_cast<unsigned char>(at(text, i + 1)) == 0x80) {
    unsigned char d = static_cast<unsigned char>(at(text, i + 2));
    return d >= 0x8B && d <= 0x8F ? 3 : 0;
  }
  if (c == 0xE2 && static_cast<unsigned char>(at(text, i + 1)) == 0x81) {
    unsigned char d = static_cast<unsigned char>(at(text, i + 2));
    return d >= 0xA0 && d <= 0xA4 ? 3 : 0;
  }
  if (bytes_at(text, i, "\xEF\xBB\xBF")) return 3;
  return 0;
}

LooseSeparator loose_separator(std::string_view text, std::size_t i, bool alnum) {
  LooseSeparator s;
  std::size_t j = i;
  unsigned spaces = 0, marks = 0, breaks = 0;
  char mark = 0;
  while (j < text.size() && j - i < kMaxSeparatorBytes) {
    char m = 0;
    if (std::size_t k = invisible_at(text, j)) {
      j += k;
    } else if (std::size_t k = space_at(text, j)) {
      ++spaces;
      j += k;
    } else if (std::size_t k = mark_at(text, j, m)) {
      ++marks;
      mark = m;
      j += k;
    } else if (text[j] == '\n' || (text[j] == '\r' && at(text, j + 1) == '\n')) {
      ++breaks;
      j += text[j] == '\r' ? 2 : 1;
    } else {
      break;
    }
  }
  bool next = alnum ? is_alnum(at(text, j)) : is_digit(at(text, j));
  if (j == i || !next || marks > 1 || breaks > 1 || spaces > (breaks ? 8u : 3u)) return s;
  s.ok = true;
  s.length = j - i;
  s.wildcard = breaks == 1 || (spaces == 0 && marks == 0);
  s.signature = s.wildcard ? 0 : spaces * 256 + static_cast<unsigned char>(mark);
  return s;
}

LooseNumber read_loose_number(std::string_view text, std::size_t first_digit) {
  LooseNumber n;
  n.begin = first_digit;
  n.groups = 1;
  std::size_t i = first_digit, group_begin = first_digit;
  while (true) {
    for (; is_digit(at(text, i)); ++i) {
      if (n.count > LooseNumber::kMaxDigits) {
        n.end = i;
        return n;
      }
      n.digits[n.count++] = text[i];
      ++n.group_size[n.groups - 1];
    }
    n.end = i;
    LooseSeparator s = loose_separator(text, i);
    if (!s.ok) return n;
    if (s.signature != 0) {
      if (n.signature != 0 && n.signature != s.signature) {
        n.restart = group_begin;  // "12 4539.1488...": the dotted number starts at 4539
        return n;
      }
      n.signature = s.signature;
      if (n.groups <= LooseNumber::kMaxDigits) ++n.groups;
      group_begin = i + s.length;
    }
    i += s.length;
  }
}

std::size_t find_loose_numbers(std::string_view text, std::size_t first_digit, bool cards, bool ssns,
                               Hits& out) {
  for (std::size_t from = first_digit;;) {
    LooseNumber n = read_loose_number(text, from);
    if (n.count >= 9 && n.count <= LooseNumber::kMaxDigits && loose_boundaries(text, n)) {
      std::string_view digits(n.digits.data(), n.count);
      if (cards && n.count >= 13 && card_number_valid(digits))
        out.push_back(Hit{Builtin::credit_card, n.begin, n.end});
      if (ssns && loose_ssn(text, n)) out.push_back(Hit{Builtin::us_ssn, n.begin, n.end});
    }
    if (n.restart == 0) return n.end;
    from = n.restart;
  }
}

}  // namespace llmux::privacy::detail
