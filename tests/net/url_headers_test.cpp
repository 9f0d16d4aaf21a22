// URL parsing, header lines and header lists: what users type in --url and --header.
#include <gtest/gtest.h>

#include "net/headers.hpp"
#include "net/url.hpp"

namespace llmux::net {
namespace {

TEST(Url, ParsesSchemeHostPortAndTarget) {
  auto u = parse_url("http://localhost:11434/api/chat?stream=true");
  ASSERT_TRUE(u) << u.error().describe();
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "localhost");
  EXPECT_EQ(u->port, 11434);
  EXPECT_EQ(u->target, "/api/chat?stream=true");
  EXPECT_FALSE(u->tls());
  EXPECT_EQ(u->origin(), "http://localhost:11434");
  EXPECT_EQ(u->str(), "http://localhost:11434/api/chat?stream=true");
}

TEST(Url, DefaultsPortsAndTarget) {
  auto https = parse_url("HTTPS://api.openai.com");
  ASSERT_TRUE(https);
  EXPECT_EQ(https->scheme, "https");
  EXPECT_TRUE(https->tls());
  EXPECT_EQ(https->port, 443);
  EXPECT_EQ(https->target, "/");
  auto http = parse_url("http://example.com?x=1#frag");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->port, 80);
  EXPECT_EQ(http->target, "/?x=1");
  auto frag = parse_url("http://example.com/v1#section");
  ASSERT_TRUE(frag);
  EXPECT_EQ(frag->target, "/v1");
}

TEST(Url, BracketedIpv6Literal) {
  auto u = parse_url("http://[::1]:8000/v1");
  ASSERT_TRUE(u) << u.error().describe();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8000);
  EXPECT_EQ(u->authority(), "[::1]:8000");
  EXPECT_EQ(u->origin(), "http://[::1]:8000");
  auto no_port = parse_url("https://[2001:db8::5]/x");
  ASSERT_TRUE(no_port);
  EXPECT_EQ(no_port->host, "2001:db8::5");
  EXPECT_EQ(no_port->port, 443);
}

TEST(Url, DropsUserinfo) {
  auto u = parse_url("http://user:secret@proxy.local:3128/");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "proxy.local");
  EXPECT_EQ(u->port, 3128);
  EXPECT_EQ(u->str().find("secret"), std::string::npos);
}

TEST(Url, RejectsBadUrlsNamingTheUrlAndTheProblem) {
  struct Case {
    const char* url;
    const char* why;
  };
  for (auto c :
       {Case{"localhost:8080", "scheme"}, Case{"ftp://host/", "http or https"}, Case{"http://", "host"},
        Case{"http:///path", "host"}, Case{"http://host:0/", "port"}, Case{"http://host:65536/", "port"},
        Case{"http://host:80x/", "port"}, Case{"http://[::1/", "IPv6"}, Case{"http://[::1]x/", "IPv6"},
        Case{"http://host:80:90/", "port"}}) {
    auto u = parse_url(c.url);
    ASSERT_FALSE(u) << c.url << " parsed as host '" << u->host << "' port " << u->port;
    EXPECT_EQ(u.error().code, ErrorCode::usage);
    EXPECT_NE(u.error().message.find(c.url), std::string::npos) << u.error().message;
    EXPECT_NE(u.error().message.find(c.why), std::string::npos) << c.url << ": " << u.error().message;
  }
}

TEST(Url, JoinsWithExactlyOneSlash) {
  EXPECT_EQ(join_url("http://h/v1", "chat/completions"), "http://h/v1/chat/completions");
  EXPECT_EQ(join_url("http://h/v1/", "/chat/completions"), "http://h/v1/chat/completions");
  EXPECT_EQ(join_url("http://h/v1//", "//models"), "http://h/v1/models");
}

TEST(HeaderLine, ParsesNameAndTrimmedValue) {
  auto h = parse_header_line("Authorization:   Bearer sk-abc:def  ");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->name, "Authorization");
  EXPECT_EQ(h->value, "Bearer sk-abc:def");
  auto empty = parse_header_line("X-Empty:");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->value, "");
}

TEST(HeaderLine, RejectsLinesThatAreNotHeaders) {
  for (const char* bad :
       {"no colon here", ": no name", "Bad Name: x", "X-Inject: a\r\nEvil: 1", "X-Nl: a\nb"})
    EXPECT_FALSE(parse_header_line(bad)) << bad;
}

TEST(Headers, LookupIsCaseInsensitiveAndSetReplacesAll) {
  Headers h;
  h.add("Content-Type", "text/plain");
  h.add("X-Multi", "1");
  h.add("x-multi", "2");
  EXPECT_EQ(h.get("content-type"), "text/plain");
  EXPECT_EQ(h.get("X-MULTI"), "1");
  h.set("X-Multi", "3");
  EXPECT_EQ(h.items().size(), 2u);
  EXPECT_EQ(h.get("x-multi"), "3");
  h.remove("CONTENT-TYPE");
  EXPECT_FALSE(h.has("content-type"));
}

TEST(Headers, SecretHeadersAreRecognised) {
  for (const char* s :
       {"Authorization", "x-api-key", "X-Goog-Api-Key", "api-key", "Proxy-Authorization", "Cookie"})
    EXPECT_TRUE(is_secret_header(s)) << s;
  EXPECT_FALSE(is_secret_header("Content-Type"));
}

}  // namespace
}  // namespace llmux::net
