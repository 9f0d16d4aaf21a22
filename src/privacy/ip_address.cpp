// IP addresses: dotted quads with octets <= 255 (not version, section or OID
// numbers, not netmasks), and IPv6 in every RFC 4291 text form.
#include <array>
#include <cstdint>

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy {

namespace {

using detail::is_digit;
using detail::is_hex;

bool octet_valid(std::string_view o) {
  if (o.empty() || o.size() > 3) return false;
  int v = 0;
  for (char c : o) {
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  return v <= 255;
}

// Splits "a.b.c.d" into octets; false unless exactly four valid ones.
bool split_quad(std::string_view s, std::array<int, 4>& out) {
  std::size_t n = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != '.') continue;
    if (n == 4 || !octet_valid(s.substr(start, i - start))) return false;
    int v = 0;
    for (char c : s.substr(start, i - start)) v = v * 10 + (c - '0');
    out[n++] = v;
    start = i + 1;
  }
  return n == 4;
}

// 255.255.240.0: ones then zeros, starting with 255. A mask, not an address.
bool is_netmask(const std::array<int, 4>& o) {
  if (o[0] != 255) return false;
  std::uint32_t v =
      (std::uint32_t(o[0]) << 24) | (std::uint32_t(o[1]) << 16) | (std::uint32_t(o[2]) << 8) | o[3];
  std::uint32_t inverted = ~v;
  return (inverted & (inverted + 1)) == 0;
}

bool hex_group(std::string_view g) {
  if (g.empty() || g.size() > 4) return false;
  for (char c : g) {
    if (!is_hex(c)) return false;
  }
  return true;
}

// Groups of one side of "::" (or of the whole address); the last may be an IPv4 tail.
int count_groups(std::string_view side, bool allow_v4_tail, bool& ok) {
  if (side.empty()) return 0;
  int groups = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= side.size(); ++i) {
    if (i < side.size() && side[i] != ':') continue;
    std::string_view g = side.substr(start, i - start);
    bool last = i == side.size();
    std::array<int, 4> quad{};
    if (last && allow_v4_tail && g.find('.') != std::string_view::npos) {
      ok = ok && split_quad(g, quad);
      groups += 2;
    } else {
      ok = ok && hex_group(g);
      groups += 1;
    }
    start = i + 1;
  }
  return groups;
}

}  // namespace

bool ipv4_valid(std::string_view text) {
  std::array<int, 4> o{};
  return split_quad(text, o);
}

bool ipv6_valid(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return false;
  std::size_t dc = s.find("::");
  bool ok = true;
  if (dc == std::string_view::npos) return count_groups(s, true, ok) == 8 && ok;
  if (s.find("::", dc + 1) != std::string_view::npos) return false;
  std::string_view left = s.substr(0, dc), right = s.substr(dc + 2);
  int n = count_groups(left, false, ok) + count_groups(right, true, ok);
  return ok && n <= 7;
}

namespace detail {

namespace {

bool version_like_context(std::string_view text, std::size_t begin) {
  char c = before(text, begin);
  if (c == 'v' || c == 'V') return true;
  return keyword_before(text, begin, 24,
                        {"version", "ver.",     "build", "release", "firmware", "fw ",    "section", "sect.",
                         "§",       "chapter",  "table", "figure",  "fig.",     "clause", "rule",    "oid",
                         "patch",   "revision", "rev.",  "sdk",     "driver",   "kb"});
}

bool ipv4_at(std::string_view text, std::size_t begin, std::size_t end) {
  std::array<int, 4> o{};
  if (!split_quad(text.substr(begin, end - begin), o) || is_netmask(o)) return false;
  return free_left(text, begin) && !version_like_context(text, begin);
}

}  // namespace

void find_ipv4(std::string_view text, const NumericToken& t, Hits& out) {
  // Chains of groups joined by "."; exactly four make an address ("1.2.3.4.5" does not).
  std::size_t g = 0;
  while (g < t.count) {
    std::size_t last = g + 1;
    while (last < t.count && t.sep(text, last) == ".") ++last;
    std::size_t begin = t.groups[g].begin, end = t.groups[last - 1].end;
    if (last - g == 4 && !is_word(at(text, end)) && ipv4_at(text, begin, end)) {
      out.push_back(Hit{Builtin::ip_address, begin, end});
    }
    g = last;
  }
}

std::size_t confirm_ipv6(std::string_view text, std::size_t digit, Hits& out) {
  auto v6 = [](char c) { return is_hex(c) || c == ':' || c == '.'; };
  std::size_t b = digit, e = digit;
  while (b > 0 && digit - b < 45 && v6(text[b - 1])) --b;
  while (e < text.size() && e - digit < 45 && v6(text[e])) ++e;
  std::size_t examined = e;
  // Trim what cannot end an address: a sentence dot, a lone trailing colon.
  while (e > b && (text[e - 1] == '.' || (text[e - 1] == ':' && before(text, e - 1) != ':'))) --e;
  while (b < e && text[b] == ':' && at(text, b + 1) != ':') ++b;
  std::string_view cand = text.substr(b, e - b);
  std::size_t colons = 0;
  for (char c : cand) colons += c == ':';
  if (colons < 2 || is_alnum(before(text, b)) || is_word(at(text, e))) return examined;
  if (ipv6_valid(cand)) out.push_back(Hit{Builtin::ip_address, b, e});
  return examined;
}

}  // namespace detail

}  // namespace llmux::privacy
