// Is this assigned value a real secret? Rejects placeholders, masks, variable
// and code references; then asks passwords for mixed character classes and
// tokens for length and entropy.
#include <algorithm>
#include <array>
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/secret_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy::detail {

namespace {

bool placeholder_word(std::string_view v) {
  static constexpr std::array<std::string_view, 28> kWords = {
      "null",     "none",     "nil",      "true",    "false",    "undefined",   "changeme",
      "password", "secret",   "token",    "example", "redacted", "placeholder", "string",
      "str",      "required", "optional", "empty",   "hidden",   "masked",      "removed",
      "n/a",      "tbd",      "todo",     "xxx",     "dummy",    "test",        "sample"};
  std::string low;
  for (char c : v) low += lower(c);
  if (std::find(kWords.begin(), kWords.end(), low) != kWords.end()) return true;
  for (std::string_view p :
       {"your", "<", "os.", "process.", "env.", "self.", "this.", "config.", "settings."}) {
    if (low.substr(0, p.size()) == p) return true;
  }
  return false;
}

// "secrets.GITHUB_TOKEN", "settings.api_key", "SLACK_BOT_TOKEN", "access_token_from_vault".
bool code_reference(std::string_view v) {
  bool has_digit = std::any_of(v.begin(), v.end(), is_digit);
  bool has_lower = std::any_of(v.begin(), v.end(), is_lower);
  bool only_ident =
      std::all_of(v.begin(), v.end(), [](char c) { return is_word(c) || c == '.' || c == '-'; });
  bool separated = v.find_first_of("_.-") != std::string_view::npos;
  if (only_ident && separated && !has_digit) return true;                       // snake/dotted names
  return only_ident && !has_lower && separated && v.size() < 40 && !has_digit;  // ENV_VAR_NAMES
}

bool masked(std::string_view v) {
  std::size_t stars = std::count(v.begin(), v.end(), '*');
  std::size_t xs = std::count_if(v.begin(), v.end(), [](char c) { return c == 'x' || c == 'X'; });
  return stars * 2 >= v.size() || xs * 2 > v.size() || v.find("...") != std::string_view::npos ||
         std::all_of(v.begin(), v.end(), [&](char c) { return c == v[0]; });
}

int char_classes(std::string_view v) {
  bool lo = false, up = false, dig = false, sym = false;
  for (char c : v) {
    lo |= is_lower(c);
    up |= is_upper(c);
    dig |= is_digit(c);
    sym |= !is_alnum(c);
  }
  return int(lo) + int(up) + int(dig) + int(sym);
}

}  // namespace

bool secret_value(std::string_view v, ValueKind kind, Separator sep) {
  if (v.size() < 6 || v.size() > 512) return false;
  char first = v[0];
  if (first == '$' || first == '%' || first == '{' || first == '[' || first == '(' || first == '#' ||
      first == '&') {
    return false;
  }
  if (v.find("{{") != std::string_view::npos || v.find("${") != std::string_view::npos) return false;
  if ((v.find('(') != std::string_view::npos && v.find(')') != std::string_view::npos) ||
      placeholder_word(v) || masked(v) || code_reference(v)) {
    return false;
  }
  const int classes = char_classes(v);
  const bool has_digit = std::any_of(v.begin(), v.end(), is_digit);
  if (kind == ValueKind::password) {
    if (sep == Separator::space) return v.size() >= 8 && classes >= 3;
    return classes >= 2 && (has_digit || classes >= 3);
  }
  const double h = shannon_entropy(v);
  const std::size_t min_len = sep == Separator::space ? 20 : 16;
  if (v.size() < min_len || h < (sep == Separator::space ? 3.5 : 3.0) || classes < 2) return false;
  return has_digit || (v.size() >= 32 && h >= 4.0);
}

}  // namespace llmux::privacy::detail
