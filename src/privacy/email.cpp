// Email addresses, confirmed around each '@' the scanner reports: a local part
// of the characters people use (Latin letters with accents included), a domain
// of at least two labels and an alphabetic top-level label. Not emails: @handles,
// decorators, package@1.2.3, icon@2x.png, git@host:path remotes, URL userinfo.
#include <algorithm>
#include <array>
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy {

namespace {

using namespace detail;

// A two-byte UTF-8 letter (Latin-1 supplement up to Cyrillic and Greek): lead
// byte 0xC3..0xD4 and its continuation. CJK and full-width punctuation are
// three bytes and end an address, as they do in Japanese and Chinese text.
bool two_byte_letter(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(at(s, i));
  unsigned char n = static_cast<unsigned char>(at(s, i + 1));
  return c >= 0xC3 && c <= 0xD4 && (n & 0xC0) == 0x80;
}

bool local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}
bool domain_char(char c) { return is_alnum(c) || c == '.' || c == '-'; }

// Start of the local part ending at `at_sign`.
std::size_t local_begin(std::string_view text, std::size_t at_sign) {
  std::size_t b = at_sign;
  while (b > 0 && at_sign - b < 64) {
    if (local_char(text[b - 1])) {
      --b;
    } else if (b >= 2 && two_byte_letter(text, b - 2)) {
      b -= 2;
    } else {
      break;
    }
  }
  while (b < at_sign && (text[b] == '.' || text[b] == '\'' || text[b] == '-')) ++b;
  return b;
}

std::size_t domain_end(std::string_view text, std::size_t start) {
  std::size_t e = start;
  while (e < text.size() && e - start < 253) {
    if (domain_char(text[e])) {
      ++e;
    } else if (two_byte_letter(text, e)) {
      e += 2;
    } else {
      break;
    }
  }
  while (e > start && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
  return e;
}

// postgres://user:pass@host, https://token@github.com: credentials in a URL.
// Only the authority can hold them: an address in the path or the query
// (https://x.example/?u=jane.doe%40example.com, /u/jane%40example.com/) is an address.
bool url_userinfo(std::string_view text, std::size_t local) {
  std::size_t i = local;
  while (i > 0 && local - i < 256 && !is_space(text[i - 1])) {
    --i;
    char c = text[i];
    if (c == '/' || c == '?' || c == '#' || c == '=' || c == '&') return i >= 2 && text.substr(i - 2, 3) == "://";
  }
  return false;
}

bool file_extension(std::string_view tld) {
  static constexpr std::array<std::string_view, 44> kExt = {
      "png",  "jpg",  "jpeg", "gif",    "svg",   "webp", "bmp",  "ico", "pdf", "txt",         "log",
      "csv",  "json", "yaml", "yml",    "toml",  "xml",  "html", "htm", "css", "js",          "ts",
      "tsx",  "jsx",  "java", "kt",     "class", "jar",  "ckpt", "pth", "bin", "safetensors", "onnx",
      "gguf", "h5",   "pb",   "tflite", "gz",    "tar",  "tgz",  "exe", "dll", "lock",        "hpp"};
  std::string lower_tld;
  for (char c : tld) lower_tld += lower(c);
  return std::find(kExt.begin(), kExt.end(), lower_tld) != kExt.end();
}

bool label_valid(std::string_view label) {
  return !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-';
}

bool domain_valid(std::string_view domain) {
  std::size_t labels = 0;
  std::size_t start = 0;
  std::string_view last;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i < domain.size() && domain[i] != '.') continue;
    last = domain.substr(start, i - start);
    if (!label_valid(last)) return false;
    if (labels == 0 && last.size() == 2 && last[1] == 'x' && is_digit(last[0])) return false;  // icon@2x.png
    ++labels;
    start = i + 1;
  }
  if (labels < 2 || last.size() < 2 || file_extension(last)) return false;
  if (last.substr(0, 4) == "xn--") return true;
  return std::all_of(last.begin(), last.end(), [](char c) { return is_alpha(c) || is_high(c); });
}

bool local_valid(std::string_view local) {
  return !local.empty() && local.size() <= 64 && local.front() != '.' && local.back() != '.' &&
         local.find("..") == std::string_view::npos;
}

}  // namespace

bool email_address_valid(std::string_view address) {
  std::size_t a = address.rfind('@');
  if (a == std::string_view::npos) return false;
  return local_valid(address.substr(0, a)) && domain_valid(address.substr(a + 1));
}

namespace detail {

std::size_t confirm_email(std::string_view text, std::size_t end, Hits& out) {
  // The trigger is the '@', or "%40" in a URL-encoded address (?email=jane%40example.com).
  const std::size_t at_len = text[end - 1] == '@' ? 1 : 3;
  const std::size_t at_sign = end - at_len;
  std::size_t b = local_begin(text, at_sign);
  std::size_t e = domain_end(text, end);
  if (!local_valid(text.substr(b, at_sign - b)) || !domain_valid(text.substr(end, e - end))) return e;
  if (url_userinfo(text, b)) return e;
  if (at(text, e) == ':' && !is_space(at(text, e + 1)) && at(text, e + 1) != '\0')
    return e;  // git@host:org/repo
  if (at(text, e) == '@' || is_word(at(text, e))) return e;
  out.push_back(Hit{Builtin::email, b, e});
  return e;
}

}  // namespace detail

}  // namespace llmux::privacy
