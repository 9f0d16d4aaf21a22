// Values assigned to key-like names: `api_key = "..."`, `token: ...`,
// `DB_PASSWORD=...`, `Bearer ...`, `Mot de passe : ...`, `パスワード：...`. The
// name decides what kind of value to expect; the value must look generated
// (token) or like a real password, never like a placeholder or a code reference.
#include <algorithm>
#include <array>
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/secret_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy::detail {

namespace {

struct Key {
  std::size_t end = 0;  // one past the key name
  ValueKind kind = ValueKind::token;
  bool valid = false;
  bool quoted = false;  // 'DB_PASSWORD' in define('DB_PASSWORD', '...')
};

bool ident_char(char c) { return is_word(c) || c == '-' || c == '.'; }

// Keywords that are not ASCII identifiers (or contain spaces): always passwords.
bool phrase_key(std::string_view text, std::size_t end) {
  for (std::string_view w :
       {"contraseña", "mot de passe", "パスワード", "密码", "口令", "senha", "kennwort"}) {
    if (end >= w.size() && matches_icase_at(text, end - w.size(), w)) return true;
  }
  return false;
}

// Last component of "aws_secret_access_key", "X-Auth-Token", "apiKey", "--token".
std::string last_component(std::string_view key) {
  std::size_t start = 0;
  for (std::size_t i = 1; i < key.size(); ++i) {
    char c = key[i];
    if (c == '_' || c == '-' || c == '.') {
      if (i + 1 < key.size()) start = i + 1;
    } else if (is_upper(c) && is_lower(key[i - 1])) {
      start = i;
    }
  }
  std::string out;
  for (char c : key.substr(start)) out += lower(c);
  return out;
}

Key classify_key(std::string_view text, std::size_t end) {
  Key k;
  if (phrase_key(text, end)) return Key{end, ValueKind::password, true};
  std::size_t b = end, e = end;
  while (b > 0 && end - b < 64 && ident_char(text[b - 1])) --b;
  while (e < text.size() && e - end < 32 && ident_char(text[e])) ++e;
  while (e > b && text[e - 1] == '.') --e;
  std::string last = last_component(text.substr(b, e - b));
  static constexpr std::array<std::string_view, 9> kPassword = {
      "password", "passwd", "pwd", "pass", "passwort", "passphrase", "passe", "senha", "pw"};
  static constexpr std::array<std::string_view, 9> kToken = {
      "key", "apikey", "token", "secret", "credential", "credentials", "bearer", "auth", "authorization"};
  k.end = e;
  char q = before(text, b);
  k.quoted = (q == '\'' || q == '"') && at(text, e) == q;
  if (std::find(kPassword.begin(), kPassword.end(), last) != kPassword.end()) {
    k.kind = ValueKind::password;
    k.valid = true;
  } else if (std::find(kToken.begin(), kToken.end(), last) != kToken.end()) {
    k.valid = true;
  }
  return k;
}

std::size_t skip_spaces(std::string_view text, std::size_t i, std::size_t max = 3) {
  std::size_t n = 0;
  while (i < text.size() && n < max && (text[i] == ' ' || text[i] == '\t')) ++i, ++n;
  return i;
}

// What joins the key to its value; the position after it, or npos.
std::size_t read_separator(std::string_view text, std::size_t i, bool quoted_key, Separator& sep) {
  if (at(text, i) == '"' || at(text, i) == '\'' || at(text, i) == '`') ++i;  // "apiKey": ...
  std::size_t j = skip_spaces(text, i);
  // define('DB_PASSWORD', '...'), setenv("TOKEN", "..."): a quoted key, a comma, a quoted value.
  if (quoted_key && at(text, j) == ',') {
    std::size_t v = skip_spaces(text, j + 1);
    if (at(text, v) != '"' && at(text, v) != '\'') return std::string_view::npos;
    sep = Separator::assignment;
    return v;
  }
  for (std::string_view s : {":=", "=>", ":", "=", "\xEF\xBC\x9A"}) {  // last one: full-width colon
    if (text.substr(j, s.size()) == s) {
      sep = Separator::assignment;
      return skip_spaces(text, j + s.size());
    }
  }
  if (j == i) return std::string_view::npos;  // "password_field", "token."
  for (std::string_view w : {"is ", "ist ", "es ", "est ", "lautet ", "は"}) {
    if (matches_icase_at(text, j, w)) {
      sep = Separator::verbal;
      return skip_spaces(text, j + w.size());
    }
  }
  sep = Separator::space;
  return j;
}

// `&`, `;` and `,` end a value only where a new field starts ("&expires_in=",
// "; Path", ", bitte"); inside a password they are just characters.
bool ends_value(std::string_view text, std::size_t i) {
  char c = text[i];
  if (is_space(c) || c == '"' || c == '\'' || c == '`' || c == '<' || c == '>' || c == ')' || c == ']' ||
      c == '}') {
    return true;
  }
  if (c != '&' && c != ';' && c != ',') return false;
  char n = at(text, i + 1);
  if (n == '\0' || is_space(n)) return true;
  std::size_t j = i + 1;
  while (j < text.size() && is_word(text[j])) ++j;
  return j > i + 1 && at(text, j) == '=';
}

struct Value {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool basic = false;  // HTTP Basic credentials: base64 of "user:password"
};

Value read_value(std::string_view text, std::size_t i) {
  // "Authorization: Bearer xyz", "Basic dXNlcjpw..."
  bool basic = matches_icase_at(text, i, "basic ");
  for (std::string_view scheme : {"bearer ", "basic ", "token "}) {
    if (matches_icase_at(text, i, scheme)) i += scheme.size();
  }
  char quote = at(text, i);
  if (quote == '"' || quote == '\'' || quote == '`') {
    std::size_t close = text.find(quote, i + 1);
    if (close == std::string_view::npos || close - i > 512) return {i, i, false};
    return {i + 1, close, basic};
  }
  std::size_t e = i;
  while (e < text.size() && e - i < 512 && !ends_value(text, e)) ++e;
  while (e > i && (text[e - 1] == '.' || text[e - 1] == ',' || text[e - 1] == ';' || text[e - 1] == ':')) --e;
  return {i, e, basic};
}

int b64_value(char c) {
  if (is_upper(c)) return c - 'A';
  if (is_lower(c)) return c - 'a' + 26;
  if (is_digit(c)) return c - '0' + 52;
  return c == '+' ? 62 : c == '/' ? 63 : -1;
}

// Basic credentials decode to printable "user:password".
bool basic_credentials(std::string_view v) {
  std::string decoded;
  unsigned buf = 0;
  int bits = 0;
  for (char c : v) {
    if (c == '=') break;
    int x = b64_value(c);
    if (x < 0) return false;
    buf = (buf << 6) | static_cast<unsigned>(x);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      decoded += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  std::size_t colon = decoded.find(':');
  bool printable = std::all_of(decoded.begin(), decoded.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
  return printable && colon != std::string::npos && colon > 0 && colon + 1 < decoded.size();
}

}  // namespace

std::size_t confirm_key_value(std::string_view text, std::size_t end, Hits& out) {
  Key key = classify_key(text, end);
  if (!key.valid) return key.end;
  Separator sep = Separator::assignment;
  std::size_t v = read_separator(text, key.end, key.quoted, sep);
  if (v == std::string_view::npos) return key.end;
  if (sep == Separator::space && key.kind == ValueKind::token && at(text, key.end) == '.') return key.end;
  Value value = read_value(text, v);
  std::string_view s = text.substr(value.begin, value.end - value.begin);
  bool secret = value.basic ? basic_credentials(s) : secret_value(s, key.kind, sep);
  if (!secret) return std::max(key.end, value.begin);
  out.push_back(Hit{Builtin::secret, value.begin, value.end});
  return value.end;
}

}  // namespace llmux::privacy::detail
