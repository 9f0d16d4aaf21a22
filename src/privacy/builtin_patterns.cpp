#include "privacy/builtin_patterns.hpp"

#include <hs/hs.h>

namespace llmux::privacy::detail {

namespace {

// Every built-in trigger is a plain literal: literal matching is the fastest
// thing vectorscan does and is exact on every code path (vectorscan_runtime.hpp).
std::string escape_literal(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// Key-like words whose value may be a secret ("api_key=", "Passwort ist", "パスワード：").
constexpr std::string_view kKeyWords[] = {
    "key",
    "token",
    "secret",
    "pass",
    "pwd",
    "auth",
    "bearer",
    "credential",
    "kennwort",
    "contrase\xC3\xB1"
    "a",
    "mot de passe",
    "senha",
    "\xE3\x83\x91\xE3\x82\xB9\xE3\x83\xAF\xE3\x83\xBC\xE3\x83\x89",  // パスワード
    "\xE5\xAF\x86\xE7\xA0\x81",                                      // 密码
    "\xE5\x8F\xA3\xE4\xBB\xA4",                                      // 口令
};

}  // namespace

std::vector<BuiltinPattern> builtin_patterns(const EnabledSet& enabled) {
  std::vector<BuiltinPattern> out;
  auto add = [&](std::string_view literal, unsigned flags, Builtin cls, Trigger t,
                 const TokenFormat* f = nullptr) {
    out.push_back(BuiltinPattern{escape_literal(literal), flags, cls, t, f, literal.size(), out.size()});
  };
  if (enabled.has(Builtin::email)) {
    add("@", 0, Builtin::email, Trigger::email);
    add("%40", 0, Builtin::email, Trigger::email);
  }
  if (!enabled.has(Builtin::secret)) return out;
  for (const auto& f : token_formats()) add(f.prefix, 0, Builtin::secret, Trigger::token, &f);
  add("eyJ", 0, Builtin::secret, Trigger::jwt);
  add("-----BEGIN ", 0, Builtin::secret, Trigger::private_key);
  add("://", 0, Builtin::secret, Trigger::url_credentials);
  add(" -p'", 0, Builtin::secret, Trigger::cli_password);
  add(" -p\"", 0, Builtin::secret, Trigger::cli_password);
  // Key words share one guard: "X-Auth-Token" is one key, however many words it holds.
  const std::size_t first_key_word = out.size();
  for (std::string_view w : kKeyWords) {
    add(w, HS_FLAG_CASELESS, Builtin::secret, Trigger::key_value);
    out.back().guard = first_key_word;
  }
  return out;
}

std::size_t confirm_trigger(const BuiltinPattern& p, std::string_view text, std::size_t end, Hits& out) {
  switch (p.trigger) {
    case Trigger::email:
      return confirm_email(text, end, out);
    case Trigger::token:
      return confirm_token(text, end, *p.format, out);
    case Trigger::jwt:
      return confirm_jwt(text, end, out);
    case Trigger::private_key:
      return confirm_private_key(text, end, out);
    case Trigger::url_credentials:
      return confirm_url_credentials(text, end, out);
    case Trigger::key_value:
      return confirm_key_value(text, end, out);
    case Trigger::cli_password:
      return confirm_cli_password(text, end, out);
  }
  return end;
}

std::string_view builtin_name(Builtin b) {
  switch (b) {
    case Builtin::email:
      return "email";
    case Builtin::phone:
      return "phone";
    case Builtin::credit_card:
      return "credit_card";
    case Builtin::iban:
      return "iban";
    case Builtin::us_ssn:
      return "us_ssn";
    case Builtin::ip_address:
      return "ip_address";
    case Builtin::secret:
      return "secret";
  }
  return "secret";
}

std::optional<Builtin> builtin_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kBuiltinCount; ++i) {
    auto b = static_cast<Builtin>(i);
    if (builtin_name(b) == name) return b;
  }
  return std::nullopt;
}

}  // namespace llmux::privacy::detail
