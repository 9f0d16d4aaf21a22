// IBANs (ISO 13616): country code, two check digits, the national part; printed
// in groups of four or written without spaces. Confirmed by the per-country
// length and the mod-97 check.
#include <array>
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"
#include "privacy/loose_number.hpp"
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

namespace {

// An ASCII letter, or a Cyrillic or Greek capital that looks like one ("DЕ89"
// with a Cyrillic Е), ending at `end`: its letter and its bytes, else 0.
struct Letter {
  char c = 0;
  std::size_t bytes = 0;
};
Letter letter_before(std::string_view text, std::size_t end) {
  if (end >= 1 && is_alpha(text[end - 1])) return {upper(text[end - 1]), 1};
  if (end < 2 || (text[end - 2] != '\xD0' && text[end - 2] != '\xD1' && text[end - 2] != '\xCE')) return {};
  // Lead byte, continuation byte and the Latin capital it imitates.
  static constexpr struct {
    unsigned char lead, cont;
    char latin;
  } kLookAlikes[] = {
      {0xD0, 0x90, 'A'}, {0xD0, 0x92, 'B'}, {0xD0, 0x95, 'E'}, {0xD0, 0x9A, 'K'}, {0xD0, 0x9C, 'M'},
      {0xD0, 0x9D, 'H'}, {0xD0, 0x9E, 'O'}, {0xD0, 0xA0, 'P'}, {0xD0, 0xA1, 'C'}, {0xD0, 0xA2, 'T'},
      {0xD0, 0xA5, 'X'}, {0xD0, 0x86, 'I'}, {0xD0, 0x85, 'S'}, {0xD0, 0x88, 'J'}, {0xD0, 0xB0, 'A'},
      {0xD0, 0xB5, 'E'}, {0xD0, 0xBE, 'O'}, {0xD1, 0x80, 'P'}, {0xD1, 0x81, 'C'}, {0xD1, 0x85, 'X'},
      {0xCE, 0x91, 'A'}, {0xCE, 0x92, 'B'}, {0xCE, 0x95, 'E'}, {0xCE, 0x96, 'Z'}, {0xCE, 0x97, 'H'},
      {0xCE, 0x99, 'I'}, {0xCE, 0x9A, 'K'}, {0xCE, 0x9C, 'M'}, {0xCE, 0x9D, 'N'}, {0xCE, 0x9F, 'O'},
      {0xCE, 0xA1, 'P'}, {0xCE, 0xA4, 'T'}, {0xCE, 0xA5, 'Y'}, {0xCE, 0xA7, 'X'}};
  auto lead = static_cast<unsigned char>(text[end - 2]), cont = static_cast<unsigned char>(text[end - 1]);
  for (const auto& l : kLookAlikes) {
    if (l.lead == lead && l.cont == cont) return {l.latin, 2};
  }
  return {};
}

}  // namespace

std::size_t confirm_iban(std::string_view text, std::size_t digit, Hits& out) {
  // Country code: two letters (look-alikes included), not the end of a longer word.
  Letter second = letter_before(text, digit);
  Letter first = second.bytes ? letter_before(text, digit - second.bytes) : Letter{};
  if (!first.bytes) return digit;
  const std::size_t begin = digit - second.bytes - first.bytes;
  if (is_word(before(text, begin))) return digit;
  char normal[40] = {first.c, second.c};
  const std::size_t length = iban_length(std::string_view(normal, 2));
  if (length == 0 || !is_digit(at(text, digit + 1))) return digit;
  // Groups of four characters, joined by nothing (electronic form) or by
  // separators (print form: a space; also dashes, dots, no-break or double
  // spaces; mixed kinds too, mod 97 decides); invisible characters and a line
  // break may sit anywhere.
  std::size_t i = digit, taken = 2;
  bool separated = false;
  while (taken < length) {
    if (taken % 4 == 0) {
      LooseSeparator s = loose_separator(text, i, true);
      if (!s.ok && s.length == 0 && !is_alnum(at(text, i))) return i;
      if (s.ok && !s.wildcard) {
        if (taken > 4 && !separated) return i;  // electronic so far, grouped from here
        separated = true;
      } else if (taken > 4 && separated && !s.ok) {
        return i;  // print form so far, a group glued to the next
      }
      i += s.length;
    } else {
      i += invisible_at(text, i);
    }
    if (!is_alnum(at(text, i))) return i;
    normal[taken++] = upper(text[i++]);
  }
  if (is_alnum(at(text, i))) return i;
  if (iban_valid(std::string_view(normal, length))) out.push_back(Hit{Builtin::iban, begin, i});
  return i;
}

}  // namespace detail

}  // namespace llmux::privacy
