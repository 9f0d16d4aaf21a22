#include "net/proxy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "core/text.hpp"

namespace llmux::net {

namespace {
std::string env_either(const char* upper, const char* lower) {
  if (const char* v = std::getenv(lower); v && *v) return v;
  if (const char* v = std::getenv(upper); v && *v) return v;
  return {};
}

using IpBytes = std::array<unsigned char, 16>;

// An IP literal as 16 bytes (IPv4 as ::ffff:a.b.c.d), or nullopt for a host name.
std::optional<IpBytes> parse_ip(std::string_view text) {
  std::string s(text);
  IpBytes out{};
  in_addr v4;
  in6_addr v6;
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(&out[12], &v4, 4);
    return out;
  }
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool is_v4(const IpBytes& ip) {
  static constexpr IpBytes kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(ip.begin(), ip.begin() + 12, kMapped.begin());
}

bool same_prefix(const IpBytes& a, const IpBytes& b, int bits) {
  for (int i = 0; i < bits; ++i) {
    int mask = 0x80 >> (i % 8);
    if ((a[static_cast<std::size_t>(i / 8)] & mask) != (b[static_cast<std::size_t>(i / 8)] & mask))
      return false;
  }
  return true;
}

// "10.0.0.0/8", "fd00::/8": does the (IP literal) host fall in the range?
bool cidr_matches(const std::optional<IpBytes>& host, std::string_view entry) {
  auto slash = entry.find('/');
  auto net = parse_ip(entry.substr(0, slash));
  auto bits = parse_int(entry.substr(slash + 1));
  if (!host || !net || !bits || is_v4(*host) != is_v4(*net)) return false;
  int max_bits = is_v4(*net) ? 32 : 128;
  if (*bits < 0 || *bits > max_bits) return false;
  return same_prefix(*host, *net, static_cast<int>(*bits) + (128 - max_bits));
}

// Splits "host:port" / "[v6]:port" / "[v6]" into the host; false when the entry names
// another port (or is malformed).
bool strip_port(std::string& entry, std::uint16_t port) {
  if (entry.front() == '[') {
    auto close = entry.find(']');
    if (close == std::string::npos) return false;
    std::string rest = entry.substr(close + 1);
    entry = entry.substr(1, close - 1);
    if (rest.empty()) return true;
    if (rest.front() != ':') return false;
    return rest.substr(1) == std::to_string(port);
  }
  auto colon = entry.find(':');
  if (colon == std::string::npos || entry.find(':', colon + 1) != std::string::npos)
    return true;  // none, or bare IPv6
  bool same = entry.substr(colon + 1) == std::to_string(port);
  entry.resize(colon);
  return same;
}

// NO_PROXY entries: "*", exact hosts, ".suffix", "*.suffix" or "suffix" domain matches,
// IP literals (IPv6 with or without brackets), CIDR ranges, each with an optional ":port".
bool no_proxy_matches(const Url& target, std::string_view no_proxy) {
  std::string host = to_lower(target.host);
  auto host_ip = parse_ip(host);
  for (auto raw : split(no_proxy, ',')) {
    auto entry = to_lower(trim(raw));
    if (entry == "*") return true;
    if (entry.find('/') != std::string::npos) {
      if (cidr_matches(host_ip, entry)) return true;
      continue;
    }
    if (entry.empty() || !strip_port(entry, target.port)) continue;
    if (entry.starts_with("*.")) entry.erase(0, 1);
    if (entry.starts_with('.')) entry.erase(0, 1);
    if (entry.empty()) continue;
    if (host_ip) {
      if (auto ip = parse_ip(entry); ip && *ip == *host_ip) return true;
      continue;
    }
    if (host == entry) return true;
    if (host.size() > entry.size() && host.ends_with(entry) && host[host.size() - entry.size() - 1] == '.')
      return true;
  }
  return false;
}
}  // namespace

ProxyEnv ProxyEnv::from_environment() {
  return ProxyEnv{env_either("HTTP_PROXY", "http_proxy"), env_either("HTTPS_PROXY", "https_proxy"),
                  env_either("NO_PROXY", "no_proxy")};
}

bool is_loopback_host(std::string_view host) {
  auto h = to_lower(host);
  if (h == "localhost" || h.ends_with(".localhost")) return true;
  // By address, not by spelling: "127.example.com" is a name, "0:0::1" is ::1.
  auto ip = parse_ip(h);
  if (!ip) return false;
  if (is_v4(*ip)) return (*ip)[12] == 127;
  static constexpr IpBytes kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return *ip == kLoopback6;
}

Result<std::optional<Url>> proxy_for(const Url& target, const ProxyEnv& env) {
  if (is_loopback_host(target.host)) return std::optional<Url>{};
  const std::string& var = target.tls() ? env.https_proxy : env.http_proxy;
  if (var.empty() || no_proxy_matches(target, env.no_proxy)) return std::optional<Url>{};
  std::string text = var.find("://") == std::string::npos ? "http://" + var : var;
  auto url = parse_url(text);
  if (!url || url->scheme != "http")
    return fail(ErrorCode::config,
                "proxy variable " + std::string(target.tls() ? "HTTPS_PROXY" : "HTTP_PROXY") +
                    " is not an http:// proxy URL: '" + var + "'",
                "set it to http://host:port or unset it");
  return std::optional<Url>{*url};
}

}  // namespace llmux::net
