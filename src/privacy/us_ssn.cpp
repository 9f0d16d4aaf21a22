// US Social Security numbers: 123-45-6789 or 123 45 6789 on their own, or nine
// bare digits right after an SSN keyword. Validated with the SSA allocation rules.
#include <algorithm>
#include <array>

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy {

bool us_ssn_valid(std::string_view d) {
  if (d.size() != 9 || !std::all_of(d.begin(), d.end(), detail::is_digit)) return false;
  std::string_view area = d.substr(0, 3), group = d.substr(3, 2), serial = d.substr(5, 4);
  if (area == "000" || area == "666" || area[0] == '9') return false;
  return group != "00" && serial != "0000";
}

namespace detail {

bool ssn_keyword_before(std::string_view text, std::size_t pos) {
  return keyword_before(text, pos, 40,
                        {"ssn", "social security", "social sec", "sozialversicherung", "seguro social",
                         "sécurité sociale", "taxpayer id", "tin:", "社会保障", "社会安全", "社會安全"});
}

namespace {

// "123-45-6789" / "123 45 6789": three groups 3-2-4 with the same separator.
bool dashed_form(std::string_view text, const NumericToken& t) {
  if (t.count != 3 || t.plus || t.begin != t.groups[0].begin) return false;
  if (t.groups[0].size() != 3 || t.groups[1].size() != 2 || t.groups[2].size() != 4) return false;
  std::string_view s1 = t.sep(text, 1), s2 = t.sep(text, 2);
  return s1 == s2 && (s1 == "-" || s1 == " " || s1 == "\xC2\xA0");
}

}  // namespace

void find_us_ssn(std::string_view text, const NumericToken& t, Hits& out) {
  if (t.digits != 9) return;
  char c = before(text, t.begin);
  bool left_ok = !is_word(c) && c != '-' && c != '.' && c != '/' && c != '+';
  if (!left_ok || !free_right(text, t.end)) return;
  bool bare = t.count == 1;
  if (!bare && !dashed_form(text, t)) return;
  if (bare && !ssn_keyword_before(text, t.begin)) return;
  std::array<char, 9> d{};
  t.copy_digits(text, 0, t.count, d.data(), d.size());
  if (!us_ssn_valid(std::string_view(d.data(), d.size()))) return;
  out.push_back(Hit{Builtin::us_ssn, t.begin, t.end});
}

}  // namespace detail

}  // namespace llmux::privacy
