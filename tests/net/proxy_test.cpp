// Proxy selection from HTTP(S)_PROXY / NO_PROXY, as curl and Go users expect.
#include "net/proxy.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace llmux::net {
namespace {

Url url(const char* text) {
  auto u = parse_url(text);
  EXPECT_TRUE(u) << text;
  return *u;
}

// The proxy chosen for `target` as "host:port", "" for direct, or "error: ...".
std::string choose(const char* target, ProxyEnv env) {
  auto p = proxy_for(url(target), env);
  if (!p) return "error: " + p.error().message;
  if (!*p) return "";
  return (*p)->authority();
}

ProxyEnv both(std::string no_proxy = {}) {
  return ProxyEnv{"http://plain-proxy:3128", "http://tls-proxy:3129", std::move(no_proxy)};
}

TEST(Proxy, NoVariablesMeansDirect) {
  EXPECT_EQ(choose("https://api.openai.com/v1", ProxyEnv{}), "");
  EXPECT_EQ(choose("http://10.0.0.5:8000/v1", ProxyEnv{}), "");
}

TEST(Proxy, SchemeSelectsTheVariable) {
  EXPECT_EQ(choose("https://api.openai.com/v1", both()), "tls-proxy:3129");
  EXPECT_EQ(choose("http://gpu-box.lan:8000/v1", both()), "plain-proxy:3128");
  EXPECT_EQ(choose("http://gpu-box.lan:8000/v1", ProxyEnv{"", "http://tls-proxy:3129", ""}), "");
}

TEST(Proxy, ProxyWithoutSchemeIsHttpAndDefaultsItsPort) {
  EXPECT_EQ(choose("https://api.openai.com", ProxyEnv{"", "corp-proxy:8080", ""}), "corp-proxy:8080");
  EXPECT_EQ(choose("https://api.openai.com", ProxyEnv{"", "http://corp-proxy", ""}), "corp-proxy:80");
}

TEST(Proxy, LoopbackIsNeverProxied) {
  for (const char* t : {"http://localhost:11434/api", "http://LOCALHOST:1234/", "http://127.0.0.1:8080/",
                        "http://127.1.2.3:8000/", "http://[::1]:30000/", "https://sim.localhost:8443/"})
    EXPECT_EQ(choose(t, both()), "") << t;
}

TEST(Proxy, HostsThatOnlyLookLikeLoopbackAreProxied) {
  // A DNS name that starts with "127." is not a loopback address.
  EXPECT_EQ(choose("https://127.example.com/", both()), "tls-proxy:3129");
  EXPECT_EQ(choose("http://localhost.example.com/", both()), "plain-proxy:3128");
  EXPECT_FALSE(is_loopback_host("127.example.com"));
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("::1"));
}

TEST(Proxy, NoProxyExactHostAndDomainSuffix) {
  auto env = both("internal.corp, .lan,Example.COM");
  EXPECT_EQ(choose("https://internal.corp/", env), "");
  EXPECT_EQ(choose("https://api.internal.corp/", env), "");
  EXPECT_EQ(choose("http://gpu-box.lan:8000/", env), "");
  EXPECT_EQ(choose("https://EXAMPLE.com/", env), "");
  EXPECT_EQ(choose("https://www.example.com/", env), "");
  // Suffixes match at label boundaries only.
  EXPECT_EQ(choose("https://notinternal.corp/", env), "tls-proxy:3129");
  EXPECT_EQ(choose("https://myexample.com/", env), "tls-proxy:3129");
  EXPECT_EQ(choose("https://api.openai.com/", env), "tls-proxy:3129");
}

TEST(Proxy, NoProxyWildcards) {
  EXPECT_EQ(choose("https://api.openai.com/", both("*")), "");
  EXPECT_EQ(choose("https://a.b.example.com/", both("*.example.com")), "");
  EXPECT_EQ(choose("https://other.com/", both("*.example.com")), "tls-proxy:3129");
}

TEST(Proxy, NoProxyWithPortMatchesThatPortOnly) {
  auto env = both("gpu-box.lan:8000");
  EXPECT_EQ(choose("http://gpu-box.lan:8000/", env), "");
  EXPECT_EQ(choose("http://gpu-box.lan:9000/", env), "plain-proxy:3128");
}

TEST(Proxy, NoProxyIpAddressesAndCidrRanges) {
  auto env = both("10.0.0.0/8, 192.168.1.20, [2001:db8::1]:8000, fd00::/8");
  EXPECT_EQ(choose("http://10.1.2.3:8000/", env), "");
  EXPECT_EQ(choose("http://11.1.2.3:8000/", env), "plain-proxy:3128");
  EXPECT_EQ(choose("http://192.168.1.20:11434/", env), "");
  EXPECT_EQ(choose("http://192.168.1.21:11434/", env), "plain-proxy:3128");
  EXPECT_EQ(choose("http://[2001:db8::1]:8000/", env), "");
  EXPECT_EQ(choose("http://[2001:db8::1]:8001/", env), "plain-proxy:3128");
  EXPECT_EQ(choose("http://[fd12::7]:8000/", env), "");
}

TEST(Proxy, OddNoProxyEntriesDoNotBreakMatching) {
  auto env = both(",, :80 ,.,[],/,gpu-box.lan");
  EXPECT_EQ(choose("http://gpu-box.lan/", env), "");
  EXPECT_EQ(choose("http://other.lan/", env), "plain-proxy:3128");
}

TEST(Proxy, MalformedProxyVariableIsAConfigErrorNamingIt) {
  auto bad = choose("https://api.openai.com/", ProxyEnv{"", "socks5://127.0.0.1:1080", ""});
  EXPECT_NE(bad.find("error: "), std::string::npos) << bad;
  EXPECT_NE(bad.find("HTTPS_PROXY"), std::string::npos) << bad;
  EXPECT_NE(bad.find("socks5://127.0.0.1:1080"), std::string::npos) << bad;
  auto p = proxy_for(url("http://gpu-box.lan/"), ProxyEnv{"http://proxy:notaport", "", ""});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::config);
  EXPECT_NE(p.error().message.find("HTTP_PROXY"), std::string::npos);
  // A malformed variable for the other scheme does not matter.
  EXPECT_EQ(choose("http://gpu-box.lan/", ProxyEnv{"", "::garbage::", ""}), "");
}

// Sets an environment variable for one scope and restores the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(Proxy, ReadsLowerCaseVariablesFirst) {
  ScopedEnv a("HTTPS_PROXY", "http://upper:1"), b("https_proxy", "http://lower:2"), c("NO_PROXY", "skip.me"),
      d("no_proxy", nullptr), e("HTTP_PROXY", "http://only-upper:3"), f("http_proxy", nullptr);
  auto env = ProxyEnv::from_environment();
  EXPECT_EQ(env.https_proxy, "http://lower:2");
  EXPECT_EQ(env.http_proxy, "http://only-upper:3");
  EXPECT_EQ(env.no_proxy, "skip.me");
}

}  // namespace
}  // namespace llmux::net
