#include "net/url.hpp"

#include <charconv>

#include "core/text.hpp"

namespace llmux::net {

std::string Url::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string Url::origin() const {
  std::string out;
  append_origin(out);
  return out;
}

void Url::append_origin(std::string& out) const {
  char port_text[8];
  auto end = std::to_chars(port_text, port_text + sizeof port_text, port).ptr;
  bool v6 = host.find(':') != std::string::npos;
  out += scheme;
  out += "://";
  if (v6) out += '[';
  out += host;
  if (v6) out += ']';
  out += ':';
  out.append(port_text, end);
}

Result<Url> parse_url(std::string_view text) {
  auto bad = [&](std::string why) {
    return fail(ErrorCode::usage, "invalid URL '" + std::string(text) + "': " + why,
                "expected http://host[:port]/path or https://...");
  };
  Url u;
  auto sep = text.find("://");
  if (sep == std::string_view::npos) return bad("missing scheme");
  u.scheme = to_lower(text.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") return bad("scheme must be http or https");
  std::string_view rest = text.substr(sep + 3);
  auto slash = rest.find_first_of("/?#");
  std::string_view auth = rest.substr(0, slash);
  std::string_view tail = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (auto at = auth.rfind('@'); at != std::string_view::npos) auth = auth.substr(at + 1);  // drop userinfo
  if (auth.empty()) return bad("missing host");
  std::string_view port_text;
  if (auth.front() == '[') {
    auto close = auth.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    u.host = std::string(auth.substr(1, close - 1));
    auto after = auth.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after IPv6 literal");
      port_text = after.substr(1);
    }
  } else {
    auto colon = auth.find(':');
    u.host = std::string(auth.substr(0, colon));
    if (colon != std::string_view::npos) port_text = auth.substr(colon + 1);
    if (port_text.find(':') != std::string_view::npos)
      return bad("more than one ':' after the host; give one port, and put IPv6 addresses in brackets");
  }
  if (u.host.empty()) return bad("missing host");
  if (!port_text.empty()) {
    unsigned p = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || p == 0 || p > 65535)
      return bad("port must be 1-65535");
    u.port = static_cast<std::uint16_t>(p);
  } else {
    u.port = u.tls() ? 443 : 80;
  }
  if (auto hash = tail.find('#'); hash != std::string_view::npos) tail = tail.substr(0, hash);
  u.target = tail.empty() ? "/" : std::string(tail);
  if (u.target.front() == '?') u.target = "/" + u.target;
  return u;
}

std::string join_url(std::string_view base, std::string_view path) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  out += '/';
  out += path;
  return out;
}

}  // namespace llmux::net
