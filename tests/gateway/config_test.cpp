#include "gateway/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace llmux::gateway {
namespace {

const char* kGood = R"(
[server]
port = 4100
threads = 2
max_body_bytes = "4MiB"
request_timeout = "90s"

[ledger]
path = "/tmp/x.db"
commit_interval = "250ms"

[[deployments]]
name = "llama-local"
url = "http://127.0.0.1:8080/v1"
model = "llama-3.1-8b"
max_concurrent = 8

[[deployments]]
name = "openai"
provider = "openai"
model = "gpt-4o-mini"
api_key_env = "OPENAI_API_KEY"
price_input = 0.15
price_output = 0.6

[[routes]]
alias = "chat"
deployments = ["llama-local", "openai"]
strategy = "least_outstanding"
retries = 2

[[keys]]
id = "team-a"
team = "a"
hash = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
routes = ["chat"]
)";

TEST(GatewayConfig, ParsesAValidFile) {
  auto c = parse_config(kGood, "llmux.toml");
  ASSERT_TRUE(c) << c.error().front().describe();
  EXPECT_EQ(c->server.port, 4100);
  EXPECT_EQ(c->server.threads, 2);
  EXPECT_EQ(c->server.max_body_bytes, 4u << 20);
  EXPECT_EQ(c->server.request_timeout, 90 * kNanosPerSecond);
  EXPECT_EQ(c->ledger.commit_interval, 250 * kNanosPerMilli);
  ASSERT_EQ(c->deployments.size(), 2u);
  EXPECT_EQ(c->deployments[0].locality, Locality::local);     // loopback URL
  EXPECT_TRUE(c->deployments[0].locality_inferred);
  EXPECT_EQ(c->deployments[1].locality, Locality::cloud);     // preset
  EXPECT_EQ(c->deployments[1].url, "https://api.openai.com/v1");
  EXPECT_DOUBLE_EQ(*c->deployments[1].price_output, 0.6);
  EXPECT_EQ(c->route("chat")->strategy, Strategy::least_outstanding);
  EXPECT_EQ(c->keys[0].routes, std::vector<std::string>{"chat"});
}

TEST(GatewayConfig, APresetsKeyIsReadFromWhicheverOfItsUsualVariablesIsSet) {
  const char* kGemini = "[[deployments]]\nname = \"g\"\nprovider = \"gemini\"\nmodel = \"gemini-2.0-flash\"\n"
                        "[[routes]]\nalias = \"chat\"\ndeployments = [\"g\"]\n";
  unsetenv("GEMINI_API_KEY");
  setenv("GOOGLE_API_KEY", "test-key", 1);
  auto c = parse_config(kGemini, "llmux.toml");
  unsetenv("GOOGLE_API_KEY");
  ASSERT_TRUE(c) << c.error().front().describe();
  EXPECT_EQ(c->deployments[0].api_key_env, "GOOGLE_API_KEY") << "docs/dialects.md: GEMINI_API_KEY or GOOGLE_API_KEY";
}

TEST(GatewayConfig, AnUnknownHostIsCloudUnlessSaidOtherwise) {
  auto c = parse_config(R"(
[[deployments]]
name = "box"
url = "http://10.0.0.5:8000/v1"
model = "m"
[[deployments]]
name = "box2"
url = "http://10.0.0.6:8000/v1"
model = "m"
locality = "local"
[[deployments]]
name = "remote-ollama"
provider = "ollama"
url = "https://ollama.example.com/v1"
model = "m"
[[deployments]]
name = "own-ollama"
provider = "ollama"
model = "m"
)", "f.toml");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->deployments[0].locality, Locality::cloud);  // fail closed for privacy rules
  EXPECT_EQ(c->deployments[1].locality, Locality::local);
  EXPECT_EQ(c->deployments[2].locality, Locality::cloud) << "a local runtime's preset on another host is not local";
  EXPECT_EQ(c->deployments[3].locality, Locality::local) << "the preset's own URL is loopback";
}

TEST(GatewayConfig, ReportsEveryProblemWithFileAndLine) {
  auto c = parse_config(R"(
[server]
port = "four thousand"
colour = "blue"

[[deployments]]
name = "a"
provider = "opnai"
model = "m"
locality = "moon"

[[deployments]]
name = "a"
url = "ftp://x"
model = "m"

[[routes]]
alias = "chat"
deployments = ["a", "missing"]
strategy = "fastest"

[[keys]]
id = "k"
hash = "plaintext-secret"
)", "bad.toml");
  ASSERT_FALSE(c);
  std::string all;
  for (const auto& p : c.error()) all += p.context + " " + p.message + "\n";
  EXPECT_NE(all.find("bad.toml:3 server.port: must be an integer"), std::string::npos) << all;
  EXPECT_NE(all.find("bad.toml:4 server: unknown key 'colour'"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown provider 'opnai'; did you mean: openai"), std::string::npos) << all;
  EXPECT_NE(all.find("locality: must be \"local\" or \"cloud\""), std::string::npos) << all;
  EXPECT_NE(all.find("deployment name 'a' is used twice"), std::string::npos) << all;
  EXPECT_NE(all.find("scheme must be http or https"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown deployment 'missing'"), std::string::npos) << all;
  EXPECT_NE(all.find("strategy: must be priority"), std::string::npos) << all;
  EXPECT_NE(all.find("hash: must be \"sha256:"), std::string::npos) << all;
  EXPECT_GE(c.error().size(), 9u);
  // In line order, as one walks the file (the cross-checks come last in the code, not in the list).
  long last = 0;
  for (const auto& p : c.error()) {
    long line = std::stol(p.context.substr(p.context.rfind(':') + 1));
    EXPECT_GE(line, last) << all;
    last = line;
  }
}

TEST(GatewayConfig, OneProblemPerKeyInPlainNumbersWithASuggestion) {
  auto c = parse_config(R"([[deployments]]
name = "a"
url = 12
model = "m"
price_input = -1
max_concurent = 4
)", "x.toml");
  ASSERT_FALSE(c);
  std::string all;
  for (const auto& p : c.error()) all += p.context + " " + p.message + "\n";
  EXPECT_EQ(c.error().size(), 3u) << "url's wrong type is one problem, not also a missing url:\n" << all;
  EXPECT_NE(all.find("x.toml:3 deployments[0].url: must be a string"), std::string::npos) << all;
  EXPECT_NE(all.find("price_input: must be between 0 and 1000000\n"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown key 'max_concurent'; did you mean: max_concurrent?"), std::string::npos) << all;
}

TEST(GatewayConfig, BusyPollIsADurationOfAtMostTenMilliseconds) {
  auto c = parse_config("[server]\nbusy_poll = \"50us\"\n", "f.toml");
  ASSERT_TRUE(c) << c.error().front().describe();
  EXPECT_EQ(c->server.busy_poll, 50 * kNanosPerMicro);
  EXPECT_EQ(parse_config("", "f.toml")->server.busy_poll, 0);  // off unless asked for
  auto bad = parse_config("[server]\nbusy_poll = \"2s\"\n", "f.toml");
  ASSERT_FALSE(bad);
  std::string said = bad.error().front().context + " " + bad.error().front().message;
  EXPECT_NE(said.find("f.toml:2 server.busy_poll"), std::string::npos) << said;
  EXPECT_NE(said.find("between 0 and 10ms"), std::string::npos) << said;
}

TEST(GatewayConfig, SyntaxErrorsNameTheLine) {
  auto c = parse_config("[server]\nport = 4000\n[[deployments]\n", "broken.toml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().front().context, "broken.toml:3");
  EXPECT_NE(c.error().front().message.find("not valid TOML"), std::string::npos);
}

TEST(GatewayConfig, MissingFileIsAClearError) {
  auto c = load_config("/nonexistent/llmux.toml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().front().message.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace llmux::gateway

namespace llmux::gateway {
namespace {

TEST(GatewayConfig, EveryPrivacyProblemIsReportedAndEnabledFalseTurnsTheStageOff) {
  auto bad = parse_config(R"([privacy]
detectors = ["email", "emial"]
colour = "red"
[privacy.actions]
email = "shred"
)", "p.toml");
  ASSERT_FALSE(bad);
  EXPECT_GE(bad.error().size(), 3u) << "serve and reload list them all, as config check does";
  std::string all;
  for (const auto& p : bad.error()) all += p.context + " " + p.message + "\n";
  EXPECT_NE(all.find("emial"), std::string::npos) << all;
  EXPECT_NE(all.find("colour"), std::string::npos) << all;
  EXPECT_NE(all.find("shred"), std::string::npos) << all;
  auto off = parse_config(R"([privacy]
enabled = false
detectors = ["credit_card"]
[privacy.actions]
credit_card = "block"
)", "p.toml");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->scanner, nullptr) << "enabled = false: nothing is scanned";
  auto on = parse_config("[privacy]\ndetectors = [\"credit_card\"]\n", "p.toml");
  ASSERT_TRUE(on);
  EXPECT_NE(on->scanner, nullptr);
}

}  // namespace
}  // namespace llmux::gateway
