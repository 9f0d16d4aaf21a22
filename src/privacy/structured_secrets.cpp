// Secrets with a structure of their own: JSON Web Tokens, PEM private key
// blocks, passwords inside URLs, and `mysql -p'...'` style command lines.
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/secret_detectors.hpp"

namespace llmux::privacy::detail {

namespace {

int b64url_value(char c) {
  if (is_upper(c)) return c - 'A';
  if (is_lower(c)) return c - 'a' + 26;
  if (is_digit(c)) return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

// Decodes up to `max` bytes of base64url (no padding needed).
std::string b64url_decode(std::string_view in, std::size_t max) {
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (char c : in) {
    int v = b64url_value(c);
    if (v < 0) break;
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
      if (out.size() >= max) break;
    }
  }
  return out;
}

std::size_t b64url_run_end(std::string_view text, std::size_t i) {
  while (i < text.size() && is_b64url(text[i])) ++i;
  return i;
}

}  // namespace

// Trigger: "eyJ" (base64url of '{"'). Three base64url parts; the header decodes
// to a JSON object naming its "alg".
std::size_t confirm_jwt(std::string_view text, std::size_t end, Hits& out) {
  const std::size_t b = end - 3;
  std::size_t dot1 = b64url_run_end(text, end);
  if (is_b64url(before(text, b)) || at(text, dot1) != '.' || dot1 - b < 10) return dot1;
  std::size_t dot2 = b64url_run_end(text, dot1 + 1);
  if (at(text, dot2) != '.' || dot2 - dot1 - 1 < 4) return dot2;
  std::size_t e = b64url_run_end(text, dot2 + 1);
  std::string header = b64url_decode(text.substr(b, dot1 - b), 512);
  if (header.empty() || header[0] != '{' || header.find("\"alg\"") == std::string::npos) return e;
  bool unsigned_token = header.find("\"none\"") != std::string::npos;
  if (e - dot2 - 1 < 16 && !unsigned_token) return e;
  out.push_back(Hit{Builtin::secret, b, e});
  return e;
}

// Trigger: "-----BEGIN ". A private key label; the finding covers the whole block.
std::size_t confirm_private_key(std::string_view text, std::size_t end, Hits& out) {
  const std::size_t b = end - 11;
  std::size_t label_end = text.find("-----", end);
  if (label_end == std::string_view::npos || label_end - end > 40) return end;
  if (text.substr(end, label_end - end).find("PRIVATE KEY") == std::string_view::npos) return label_end;
  std::size_t e = label_end + 5;
  std::size_t footer = text.find("-----END", e);
  if (footer != std::string_view::npos && footer - e < 64 * 1024) {
    std::size_t close = text.find("-----", footer + 8);
    if (close != std::string_view::npos) e = close + 5;
  }
  out.push_back(Hit{Builtin::secret, b, e});
  return e;
}

// Trigger: "://". With "user:password@" in the authority, the password is the finding.
std::size_t confirm_url_credentials(std::string_view text, std::size_t end, Hits& out) {
  std::size_t i = end;
  std::size_t colon = std::string_view::npos;
  while (i < text.size() && i - end < 256) {
    char c = text[i];
    if (c == '@' || c == '/' || is_space(c) || c == '"' || c == '\'' || c == '<' || c == '>') break;
    if (c == ':' && colon == std::string_view::npos) colon = i;
    ++i;
  }
  if (at(text, i) != '@' || colon == std::string_view::npos) return end;
  std::string_view value = text.substr(colon + 1, i - colon - 1);
  if (!secret_value(value, ValueKind::password, Separator::assignment)) return i;
  out.push_back(Hit{Builtin::secret, colon + 1, i});
  return i;
}

// Trigger: " -p'" or " -p\"", the quoted password of mysql and friends.
std::size_t confirm_cli_password(std::string_view text, std::size_t end, Hits& out) {
  char quote = text[end - 1];
  std::size_t close = text.find(quote, end);
  if (close == std::string_view::npos || close - end > 200) return end;
  std::string_view value = text.substr(end, close - end);
  if (!secret_value(value, ValueKind::password, Separator::assignment)) return close;
  out.push_back(Hit{Builtin::secret, end, close});
  return close;
}

}  // namespace llmux::privacy::detail
