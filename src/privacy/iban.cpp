// IBANs (ISO 13616): country code, two check digits, the national part; printed
// in groups of four or written without spaces. Confirmed by the per-country
// length and the mod-97 check.
#include <array>
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy {

namespace {

using detail::is_alnum;
using detail::is_digit;
using detail::upper;

struct CountryLength {
  char cc[3];
  unsigned char length;
};

// SWIFT IBAN registry (release 2024), plus the experimental entries in wide use.
constexpr std::array<CountryLength, 89> kLengths = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30},
}};

int char_value(char c) { return is_digit(c) ? c - '0' : upper(c) - 'A' + 10; }

}  // namespace

std::size_t iban_length(std::string_view country) {
  if (country.size() != 2) return 0;
  char a = upper(country[0]), b = upper(country[1]);
  for (const auto& e : kLengths) {
    if (e.cc[0] == a && e.cc[1] == b) return e.length;
  }
  return 0;
}

bool iban_valid(std::string_view iban) {
  std::string s;
  for (char c : iban) {
    if (c == ' ') continue;
    if (!is_alnum(c)) return false;
    s += upper(c);
  }
  if (s.size() < 15 || s.size() != iban_length(s.substr(0, 2))) return false;
  if (!is_digit(s[2]) || !is_digit(s[3])) return false;
  // Move the first four characters to the end, read letters as 10..35, mod 97.
  int rem = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[(i + 4) % s.size()];
    int v = char_value(c);
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem == 1;
}

namespace detail {

std::size_t confirm_iban(std::string_view text, std::size_t digit, Hits& out) {
  if (digit < 2 || !is_alpha(text[digit - 2]) || !is_alpha(text[digit - 1]) ||
      is_word(before(text, digit - 2))) {
    return digit;
  }
  const std::size_t begin = digit - 2;
  const std::size_t length = iban_length(text.substr(begin, 2));
  if (length == 0 || !is_digit(at(text, digit + 1))) return digit;
  // Electronic form: `length` characters in a row. Print form: groups of four
  // separated by one space, the last group shorter.
  const bool print = at(text, begin + 4) == ' ';
  std::size_t i = begin, taken = 0;
  while (taken < length && i < text.size()) {
    if (print && taken > 0 && taken % 4 == 0) {
      if (text[i] != ' ') return i;
      ++i;
    }
    if (!is_alnum(at(text, i))) return i;
    ++i;
    ++taken;
  }
  if (taken != length || is_alnum(at(text, i))) return i;
  if (iban_valid(text.substr(begin, i - begin))) out.push_back(Hit{Builtin::iban, begin, i});
  return i;
}

}  // namespace detail

}  // namespace llmux::privacy
