// Payment card numbers: issuer prefix and length, Luhn, and the published test
// numbers that documentation and tutorials are full of.
#include <algorithm>
#include <array>
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy {

namespace {

using detail::is_digit;

int prefix_value(std::string_view d, std::size_t n) {
  int v = 0;
  for (std::size_t i = 0; i < n && i < d.size(); ++i) v = v * 10 + (d[i] - '0');
  return v;
}

// Lengths an issuer range allows, as a bit set over 12..19.
bool issuer_allows(std::string_view d) {
  const std::size_t n = d.size();
  const int p2 = prefix_value(d, 2), p3 = prefix_value(d, 3), p4 = prefix_value(d, 4);
  auto in = [n](std::size_t lo, std::size_t hi) { return n >= lo && n <= hi; };
  switch (d[0]) {
    case '1':
      return n == 15;  // UATP
    case '2':
      if (p4 >= 2221 && p4 <= 2720) return n == 16;   // Mastercard 2-series
      return p4 >= 2200 && p4 <= 2204 && in(16, 19);  // Mir
    case '3':
      if (p2 == 34 || p2 == 37) return n == 15;         // American Express
      if (p4 >= 3528 && p4 <= 3589) return in(16, 19);  // JCB
      if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39)
        return in(14, 19);  // Diners
      return false;
    case '4':
      return n == 13 || n == 16 || n == 19;  // Visa
    case '5':
      if (p2 >= 51 && p2 <= 55) return n == 16;                        // Mastercard
      return p2 == 50 || (p2 >= 56 && p2 <= 59) ? in(13, 19) : false;  // Maestro, Dankort
    case '6':
      return in(13, 19);  // Discover, UnionPay, Maestro, RuPay
    case '8':
      return (p2 == 81 || p2 == 82) && in(16, 19);  // UnionPay / RuPay 8-series
    case '9':
      return p4 == 9792 && n == 16;  // Troy
    default:
      return false;
  }
}

// Numbers nobody is issued: long runs of one digit, or a 1-2 digit period.
bool low_complexity(std::string_view d) {
  std::size_t run = 1;
  for (std::size_t i = 1; i < d.size(); ++i) {
    run = d[i] == d[i - 1] ? run + 1 : 1;
    if (run >= 8) return true;
  }
  for (std::size_t period = 1; period <= 2; ++period) {
    bool periodic = true;
    for (std::size_t i = period; i + 1 < d.size() && periodic; ++i) periodic = d[i] == d[i - period];
    if (periodic) return true;
  }
  return false;
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  int count = 0;
  bool dbl = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!is_digit(*it)) continue;
    int v = *it - '0';
    if (dbl) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
    dbl = !dbl;
    ++count;
  }
  return count > 0 && sum % 10 == 0;
}

bool is_test_card_number(std::string_view d) {
  // Published by Stripe, Adyen, Braintree, PayPal and the card schemes for testing.
  static constexpr std::array<std::string_view, 24> kTestNumbers = {
      "4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222", "5200828282828210",
      "5105105105105100", "378282246310005",  "371449635398431",  "378734493671000",  "6011111111111117",
      "6011000990139424", "6011981111111113", "3056930009020004", "36227206271667",   "3566002020360505",
      "3530111333300000", "6200000000000005", "4111111111111111", "4012888888881881", "4222222222222",
      "5019717010103742", "30569309025904",   "38520000023237",   "370000000000002"};
  return std::find(kTestNumbers.begin(), kTestNumbers.end(), d) != kTestNumbers.end();
}

bool card_number_valid(std::string_view digits) {
  if (digits.size() < 13 || digits.size() > 19) return false;
  if (!std::all_of(digits.begin(), digits.end(), is_digit)) return false;
  return issuer_allows(digits) && luhn_valid(digits) && !is_test_card_number(digits) &&
         !low_complexity(digits);
}

namespace detail {

namespace {

// 4-4-4-4, 4-4-4-4-3, 4-4-5 ... (groups of four, the last one shorter or up to
// six), 4-6-5 (Amex), 4-6-4 (Diners); or one unbroken group.
bool card_grouping(const NumericToken& t, std::size_t first, std::size_t last) {
  const std::size_t n = last - first;
  if (n == 1) return true;
  auto size = [&](std::size_t k) { return t.groups[first + k].size(); };
  if (n == 3 && size(0) == 4 && size(1) == 6 && (size(2) == 5 || size(2) == 4)) return true;
  for (std::size_t k = 0; k + 1 < n; ++k) {
    if (size(k) != 4) return false;
  }
  return n >= 3 && size(n - 1) >= 1 && size(n - 1) <= 6;
}

// Separators inside the window are all the same single space or dash.
bool card_separators(std::string_view text, const NumericToken& t, std::size_t first, std::size_t last) {
  std::string_view s0;
  for (std::size_t g = first + 1; g < last; ++g) {
    std::string_view s = t.sep(text, g);
    if (s != " " && s != "-" && s != "\xC2\xA0") return false;
    if (g > first + 1 && s != s0) return false;
    s0 = s;
  }
  return true;
}

// A window that continues a longer grouped number ("4000 1234 5678 9010 0000",
// "DE05 6750 1992 0453 8058 03") is part of something else; so is a run glued
// to a word.
bool continues_grouping(std::string_view text, const NumericToken& t, std::size_t first, std::size_t last) {
  if (first == 0 && !free_left(text, t.groups[0].begin)) return true;
  if (last - first < 2) return first > 0 && t.sep(text, first).size() == 1;
  std::string_view inner = t.sep(text, first + 1);
  if (first > 0 && t.sep(text, first) == inner) return true;
  return last < t.count && t.sep(text, last) == inner && t.groups[last].size() == 4;
}

}  // namespace

void find_cards(std::string_view text, const NumericToken& t, Hits& out) {
  if (t.digits < 13 || t.plus) return;
  std::array<char, 20> buf{};
  for (std::size_t first = 0; first < t.count; ++first) {
    std::size_t digits = 0;
    for (std::size_t last = first + 1; last <= t.count; ++last) {
      digits += t.groups[last - 1].size();
      if (digits > 19) break;
      if (digits < 13 || !card_grouping(t, first, last) || !card_separators(text, t, first, last)) continue;
      if (continues_grouping(text, t, first, last)) continue;
      std::size_t n = t.copy_digits(text, first, last, buf.data(), buf.size());
      if (!card_number_valid(std::string_view(buf.data(), n))) continue;
      out.push_back(Hit{Builtin::credit_card, t.groups[first].begin, t.groups[last - 1].end});
      first = last - 1;
      break;
    }
  }
}

}  // namespace detail

}  // namespace llmux::privacy
