// Phone numbers: E.164 ("+49 30 901820", "0049 ..."), the national layouts of
// the countries users write from (NANP, trunk-0 plans of UK/DE/FR/IT/NL/JP/CN/IN/AU,
// CN/IN/ES mobiles, "(11) 98765-4321"), and bare digit strings only next to a
// phone keyword. Dates, times, dotted quads and codes glued to words are not phones.
#include <array>
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy::detail {

namespace {

struct Digits {
  std::array<char, 24> d{};
  std::size_t n = 0;
  std::string_view view() const { return {d.data(), n}; }
};

Digits digits_of(std::string_view text, const NumericToken& t, std::size_t first = 0) {
  Digits out;
  out.n = t.copy_digits(text, first, t.count, out.d.data(), out.d.size());
  return out;
}

std::size_t group_size(const NumericToken& t, std::size_t g) { return g < t.count ? t.groups[g].size() : 0; }

bool sizes(const NumericToken& t, std::initializer_list<std::size_t> want) {
  if (want.size() != t.count) return false;
  std::size_t g = 0;
  for (std::size_t w : want) {
    if (t.groups[g++].size() != w) return false;
  }
  return true;
}

// ITU-T E.164 country calling codes: length of the code at the start, 0 if none.
std::size_t calling_code_length(std::string_view d) {
  if (d.size() < 3 || d[0] == '0') return 0;
  if (d[0] == '1' || d[0] == '7') return 1;
  static constexpr std::string_view kTwo =
      "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 "
      "82 "
      "84 86 90 91 92 93 94 95 98";
  static constexpr std::string_view kThreeZones =
      "21 22 23 24 25 26 29 35 37 38 42 50 59 67 68 69 80 85 87 88 96 97 99";
  std::string_view two = d.substr(0, 2);
  for (std::size_t i = 0; i + 1 < kTwo.size(); i += 3) {
    if (kTwo.substr(i, 2) == two) return 2;
  }
  for (std::size_t i = 0; i + 1 < kThreeZones.size(); i += 3) {
    if (kThreeZones.substr(i, 2) == two) return 3;
  }
  return 0;
}

// "+44 (0)20 ...": the parenthesised trunk zero is not dialled from abroad.
bool is_trunk_zero_group(std::string_view text, const NumericToken& t, std::size_t g) {
  return t.groups[g].size() == 1 && text[t.groups[g].begin] == '0' && before(text, t.groups[g].begin) == '(';
}

bool international(std::string_view text, const NumericToken& t, std::size_t skip_digits) {
  Digits all;
  for (std::size_t g = 0; g < t.count; ++g) {
    if (g > 0 && is_trunk_zero_group(text, t, g)) continue;
    all.n += t.copy_digits(text, g, g + 1, all.d.data() + all.n, all.d.size() - all.n);
  }
  std::string_view d = all.view().substr(skip_digits);
  std::size_t cc = calling_code_length(d);
  if (cc == 0) return false;
  std::size_t national = d.size() - cc;
  if (cc == 1) return national == 10;  // NANP (+1) and Russia/Kazakhstan (+7)
  return national >= 7 && national <= 12;
}

bool nanp(std::string_view d, const NumericToken& t) {
  if (t.digits == 10 && sizes(t, {3, 3, 4})) return d[0] >= '2';
  return t.digits == 11 && sizes(t, {1, 3, 3, 4}) && d[0] == '1' && d[1] >= '2';
}

bool trunk_zero(std::string_view d, const NumericToken& t) {
  if (d[0] != '0' || d[1] == '0' || t.digits < 9 || t.digits > 12) return false;
  if (group_size(t, 0) < 2 || group_size(t, 0) > 5) return false;
  for (std::size_t g = 0; g + 1 < t.count; ++g) {
    if (t.groups[g].size() < 2) return false;
  }
  return true;
}

bool national_layout(std::string_view text, std::string_view d, const NumericToken& t) {
  if (t.count < 2) return false;
  if (nanp(d, t) || trunk_zero(d, t)) return true;
  if (text[t.begin] == '(' && t.digits >= 9 && t.digits <= 11) return true;  // (11) 98765-4321
  if (d[0] == '8' && t.groups[0].size() == 1 && t.digits == 11 &&
      t.sep(text, 1).find('(') != std::string_view::npos) {
    return true;  // 8 (916) 123-45-67
  }
  if (t.digits == 11 && d[0] == '1' && d[1] >= '3' && sizes(t, {3, 4, 4})) return true;  // CN mobile
  if (t.digits == 10 && d[0] >= '6' && sizes(t, {5, 5})) return true;                    // IN mobile
  return t.digits == 9 && d[0] >= '6' && sizes(t, {3, 2, 2, 2});                         // ES/FR-style mobile
}

int group_value(std::string_view text, const NumericToken& t, std::size_t g) {
  int v = 0;
  for (std::size_t i = t.groups[g].begin; i < t.groups[g].end && i - t.groups[g].begin < 6; ++i)
    v = v * 10 + (text[i] - '0');
  return v;
}

// 12/03/2024, 31.12.2023, 2024-06-12 (real days, months and years), or a token
// running into a time ("2024-06-12 08:15").
bool date_or_time(std::string_view text, const NumericToken& t) {
  if (at(text, t.end) == ':' && is_digit(at(text, t.end + 1))) return true;
  if (t.count < 3) return false;
  std::string_view s1 = t.sep(text, 1), s2 = t.sep(text, 2);
  if (s1 != s2 || (s1 != "/" && s1 != "." && s1 != "-")) return false;
  std::size_t a = t.groups[0].size(), b = t.groups[1].size(), c = t.groups[2].size();
  int x = group_value(text, t, 0), y = group_value(text, t, 1), z = group_value(text, t, 2);
  auto year = [](int v) { return v >= 1900 && v <= 2099; };
  auto day_month = [](int d, int m) { return d >= 1 && d <= 31 && m >= 1 && m <= 12; };
  if (a <= 2 && b <= 2 && c == 4) return year(z) && (day_month(x, y) || day_month(y, x));
  return a == 4 && b <= 2 && c <= 2 && year(x) && day_month(z, y);
}

bool dotted_quad(std::string_view text, const NumericToken& t) {
  if (t.count != 4) return false;
  for (std::size_t g = 1; g < 4; ++g) {
    if (t.sep(text, g) != ".") return false;
  }
  return true;
}

bool phone_context(std::string_view text, const NumericToken& t) {
  static constexpr std::size_t kWindow = 40;
  bool veto = keyword_before(
      text, t.begin, 24,
      {"order",    "invoice", "account", "acct",    "ref",    "id ",      "id:",     "ticket",   "case",
       "tracking", "serial",  "sku",     "isbn",    "pedido", "commande", "bestell", "rechnung", "konto",
       "lot ",     "batch",   "build",   "version", "part",   "订单",     "注文"});
  if (veto) return false;
  if (keyword_before(
          text, t.begin, kWindow,
          {"phone",     "tel",        "mobile",      "mob",       "cell",    "call",      "ring",
           "text me",   "sms",        "whatsapp",    "fax",       "contact", "hotline",   "reach",
           "my number", "new number", "mera number", "number is", "telefon", "handy",     "rufnummer",
           "anruf",     "téléphone",  "portable",    "appel",     "numéro",  "teléfono",  "móvil",
           "llam",      "celular",    "telefone",    "ligue",     "chiam",   "cellulare", "bel me",
           "puhelin",   "телефон",    "Телефон",     "звон",      "Звон",    "моб",       "Моб",
           "電話",      "携帯",       "电话",        "手机",      "手機",    "전화",      "फ़ोन",
           "फोन"})) {
    return true;
  }
  std::string_view after = text.substr(t.end, std::min<std::size_t>(20, text.size() - t.end));
  for (std::string_view w : {"call", "whatsapp", "anytime", "sms"}) {
    for (std::size_t i = 0; i + w.size() <= after.size(); ++i) {
      if (matches_icase_at(after, i, w)) return true;
    }
  }
  return false;
}

bool phone_token(std::string_view text, const NumericToken& t) {
  if (t.digits < 7 || t.digits > 16) return false;
  if (!free_left(text, t.begin) || !free_right(text, t.end)) return false;
  Digits d = digits_of(text, t);
  if (t.plus) return international(text, t, 0);
  if (date_or_time(text, t) || dotted_quad(text, t)) return false;
  if (before(text, t.begin) == '#') return false;
  if (t.count >= 2 && d.view().substr(0, 2) == "00" && t.groups[0].size() >= 4)
    return international(text, t, 2);
  if (national_layout(text, d.view(), t)) return true;
  return t.digits <= 13 && t.count <= 5 && phone_context(text, t);
}

}  // namespace

void find_phone(std::string_view text, const NumericToken& t, Hits& out) {
  if (phone_token(text, t)) out.push_back(Hit{Builtin::phone, t.begin, t.end});
}

}  // namespace llmux::privacy::detail

namespace llmux::privacy {

bool phone_number_valid(std::string_view candidate, std::string_view context) {
  std::string text(context);
  text += ' ';
  std::size_t start = text.size();
  text += candidate;
  std::size_t first = start;
  while (first < text.size() && !detail::is_digit(text[first])) ++first;
  if (first == text.size()) return false;
  detail::NumericToken t = detail::read_numeric_token(text, first);
  if (t.begin != start || t.end != text.size()) return false;
  return detail::phone_token(text, t);
}

}  // namespace llmux::privacy
