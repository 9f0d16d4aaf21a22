#include "privacy/numeric_token.hpp"

#include "privacy/char_class.hpp"

namespace llmux::privacy::detail {

namespace {

constexpr std::size_t kMaxTokenBytes = 64;
constexpr std::string_view kNbsp = "\xC2\xA0";

std::size_t digit_run_end(std::string_view text, std::size_t i) {
  while (i < text.size() && is_digit(text[i])) ++i;
  return i;
}

// "(" followed by 1-5 digits and ")": the only parentheses a number may carry.
bool paren_group_at(std::string_view text, std::size_t i) {
  if (at(text, i) != '(') return false;
  std::size_t j = digit_run_end(text, i + 1);
  return j > i + 1 && j - i - 1 <= 5 && at(text, j) == ')';
}

// Length of the separator starting at i (0 when the token ends here). A
// separator is at most two spaces and one of - . / or a parenthesis, e.g.
// " ", "-", " - ", ") ", " (", ")".
std::size_t separator_length(std::string_view text, std::size_t i, bool in_paren) {
  std::size_t j = i;
  int spaces = 0;
  int marks = 0;
  bool open = false;
  while (j < text.size() && j - i < 4) {
    char c = text[j];
    if (c == ' ') {
      ++spaces;
      ++j;
    } else if (text.substr(j, 2) == kNbsp) {
      ++spaces;
      j += 2;
    } else if (c == '-' || c == '.' || c == '/') {
      ++marks;
      ++j;
    } else if (c == ')' && in_paren && !open) {
      in_paren = false;
      ++j;
    } else if (c == '(' && !open && paren_group_at(text, j)) {
      open = true;
      ++j;
    } else {
      break;
    }
    if (spaces > 2 || marks > 1) return 0;
  }
  if (j == i || !is_digit(at(text, j))) return 0;
  if (spaces == 2 && marks == 0) return 0;  // a double space separates, it does not join
  return j - i;
}

}  // namespace

std::size_t NumericToken::copy_digits(std::string_view text, std::size_t first, std::size_t last, char* out,
                                      std::size_t cap) const {
  std::size_t n = 0;
  for (std::size_t g = first; g < last && g < count; ++g) {
    for (std::size_t i = groups[g].begin; i < groups[g].end && n < cap; ++i) out[n++] = text[i];
  }
  return n;
}

bool is_space_sep(std::string_view sep) {
  if (sep.empty()) return false;
  for (std::size_t i = 0; i < sep.size();) {
    if (sep[i] == ' ') {
      ++i;
    } else if (sep.substr(i, 2) == kNbsp) {
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

NumericToken read_numeric_token(std::string_view text, std::size_t first_digit) {
  NumericToken t;
  t.begin = first_digit;
  bool in_paren = false;
  if (before(text, first_digit) == '(' && paren_group_at(text, first_digit - 1)) {
    t.begin = first_digit - 1;
    in_paren = true;
  }
  if (before(text, t.begin) == '+') {
    --t.begin;
    t.plus = true;
  }
  std::size_t i = first_digit;
  while (t.count < NumericToken::kMaxGroups) {
    std::size_t e = digit_run_end(text, i);
    t.groups[t.count++] = DigitGroup{i, e};
    t.digits += e - i;
    t.end = e;
    std::size_t s = separator_length(text, e, in_paren);
    if (s == 0 || e + s - t.begin > kMaxTokenBytes) break;
    for (char c : text.substr(e, s)) {
      if (c == '(') in_paren = true;
      if (c == ')') in_paren = false;
    }
    i = e + s;
  }
  // "(555)" at the end of a token keeps its closing parenthesis.
  if (in_paren && at(text, t.end) == ')') ++t.end;
  return t;
}

}  // namespace llmux::privacy::detail
