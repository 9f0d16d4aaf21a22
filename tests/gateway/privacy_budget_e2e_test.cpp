// Privacy rules and budgets in the running gateway, against sims on loopback
// standing for a local runtime and a cloud API.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/e2e_support.hpp"
#include "gateway/gateway_fixture.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;

const char* kPrivacy = R"(
[privacy]
detectors = ["email", "credit_card", "secret", "us_ssn"]
[privacy.actions]
credit_card = "local-only"
secret = "block"
email = "redact"
default = "allow"
[[privacy.patterns]]
name = "project_codename"
regex = "\\bPROJECT-[A-Z]{4}\\b"
action = "local-only"
)";

std::string ask(const std::string& text, bool stream = false, const std::string& model = "chat") {
  return json{{"model", model}, {"messages", {{{"role", "user"}, {"content", text}}}}, {"max_tokens", 4}, {"stream", stream}}.dump();
}

TEST(Privacy, LocalOnlyDataNeverReachesTheCloudEvenWhenLocalFails) {
  SimProcess local({"--ttft", "1ms", "--itl", "1ms"});
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, kPrivacy + deployment("cloud", cloud.url(), "locality = \"cloud\"") +
                              deployment("local", local.url(), "locality = \"local\"") +
                              route("chat", {"cloud", "local"}));
  EXPECT_EQ(gw.chat(ask("my card is 4539 1488 0343 6467, charge it")).status, 200);
  EXPECT_EQ(gw.chat(ask("status of PROJECT-ABCD?", true)).status, 200);
  EXPECT_EQ(gw.chat(ask("hello there")).status, 200);  // nothing sensitive: the route's first, cloud
  EXPECT_EQ(cloud.stats()["requests"], 1);
  EXPECT_EQ(local.stats()["requests"], 2);
}

TEST(Privacy, NoLocalDeploymentMeansA503NotACloudCall) {
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, kPrivacy + deployment("cloud", cloud.url(), "locality = \"cloud\"") + route("chat", {"cloud"}));
  auto r = gw.chat(ask("card 5273 8491 0265 8431 please"));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("credit_card"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("must stay on local"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("5273"), std::string::npos) << "never the matched text";
  EXPECT_EQ(r.headers["x-should-retry"], "false") << "no local deployment to wait for: SDKs must not retry";
  EXPECT_EQ(cloud.stats()["requests"], 0);
}

TEST(Privacy, LocalFailuresDoNotFallBackToTheCloud) {
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, kPrivacy + deployment("local", "http://127.0.0.1:1/v1", "locality = \"local\"") +
                              deployment("cloud", cloud.url(), "locality = \"cloud\"") + route("chat", {"local", "cloud"}));
  auto r = gw.chat(ask("card 4539-1488-0343-6467"));
  EXPECT_GE(r.status, 500) << r.body;
  EXPECT_EQ(cloud.stats()["requests"], 0);
}

TEST(Privacy, SecretsAreBlockedWithA403NamingTheClassOnly) {
  SimProcess any({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, kPrivacy + deployment("local", any.url(), "locality = \"local\"") + route("chat", {"local"}));
  std::string key = "sk-proj-" + std::string("Zx8kQ2mN4pR7tV1wY5bC9dF3gH6jK0lA2sD4fG7hJ1kL3");
  auto r = gw.chat(ask("use this key: " + key));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(r.body.find("Zx8kQ2"), std::string::npos);
  EXPECT_EQ(any.stats()["requests"], 0);
}

TEST(Privacy, DecisionsAreInTheLedgerWithoutTheMatchedText) {
  SimProcess local({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  {
    GatewayProcess gw(dir, kPrivacy + deployment("local", local.url(), "locality = \"local\"") + route("chat", {"local"}));
    EXPECT_EQ(gw.chat(ask("card 4539 1488 0343 6467")).status, 200);
  }
  auto rows = run({binary(), "usage", "--ledger", dir.file("ledger.db"), "--by", "route", "--format", "json"});
  ASSERT_EQ(rows.status, 0);
  auto dump = run({"/usr/bin/env", "sh", "-c", "strings " + dir.file("ledger.db") + "*"});
  EXPECT_NE(dump.out.find("credit_card x1"), std::string::npos);
  EXPECT_NE(dump.out.find("local-only"), std::string::npos);
  EXPECT_EQ(dump.out.find("4539"), std::string::npos) << "the ledger never holds matched text";
}

TEST(Budgets, RateLimitIsExactOverTheWindow) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  std::string secret;
  GatewayProcess gw(dir, deployment("local", sim.url()) + route("chat", {"local"}) + key_entry("a", "t", secret) +
                              "[[budgets]]\nkey = \"a\"\nrequests_per_minute = 5\n");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(gw.chat(ask("hi"), {"Authorization: Bearer " + secret}).status, 200);
  auto r = gw.chat(ask("hi"), {"Authorization: Bearer " + secret});
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.body.find("requests per minute"), std::string::npos) << r.body;
  EXPECT_GE(std::stoi(r.headers["retry-after"]), 1);
  EXPECT_EQ(sim.stats()["requests"], 5);
}

TEST(Budgets, MoneyLimitSteersTrafficToFreeLocalDeployments) {
  SimProcess local({"--ttft", "1ms", "--itl", "1ms"});
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  std::string secret;
  // A cloud request reserves ~21 tokens at $10000/1M ($0.21) and really costs 5 tokens ($0.05):
  // the cloud takes requests while $0.21 still fits in what is left of $0.50.
  GatewayProcess gw(dir, deployment("cloud", cloud.url(), "locality = \"cloud\"\nprice_input = 10000.0\nprice_output = 10000.0") +
                              deployment("local", local.url(), "locality = \"local\"") +
                              route("chat", {"cloud", "local"}) + key_entry("a", "t", secret) +
                              "[[budgets]]\nteam = \"t\"\nusd_per_day = 0.5\n");
  for (int i = 0; i < 12; ++i) EXPECT_EQ(gw.chat(ask("hello"), {"Authorization: Bearer " + secret}).status, 200);
  int cloud_requests = cloud.stats()["requests"];
  EXPECT_GE(cloud_requests, 3);
  EXPECT_LE(cloud_requests, 8);
  EXPECT_EQ(local.stats()["requests"].get<int>(), 12 - cloud_requests) << "once the budget is spent, local takes the traffic";
}

TEST(Budgets, ConcurrentRequestsNeverOvershootAMoneyLimit) {
  SimProcess cloud({"--ttft", "20ms", "--itl", "2ms"});
  TempDir dir;
  std::string secret;
  const double limit = 0.05;
  auto gw = std::make_unique<GatewayProcess>(
      dir, deployment("cloud", cloud.url(), "locality = \"cloud\"\nprice_input = 100.0\nprice_output = 100.0") +
               route("chat", {"cloud"}) + key_entry("a", "t", secret) + "[[budgets]]\nkey = \"a\"\nusd_per_day = 0.05\n");
  // 500 requests, 100 at a time, through the real load generator, with the key.
  auto r = run({binary(), "bench", "-q", "--url", gw->url(), "--model", "chat", "--api-key-env", "LLMUX_TEST_KEY", "-c", "100",
                "-n", "500", "--input-tokens", "16", "--output-tokens", "8", "-o", dir.file("b.json")},
               std::chrono::seconds(120), {"LLMUX_TEST_KEY=" + secret});
  auto j = json::parse(read_file(dir.file("b.json")));
  auto done = j["runs"][0]["summary"]["requests_completed"].get<int>();
  EXPECT_GT(done, 0);
  EXPECT_GT(j["runs"][0]["summary"]["errors"]["http_429"].get<int>(), 0);
  // What was spent: from the ledger, after a graceful stop.
  std::string ledger = gw->ledger();
  gw.reset();
  auto u = run({binary(), "usage", "--ledger", ledger, "--by", "key", "--format", "json"});
  auto usage = json::parse(u.out);
  double spent = usage[0]["cost_cloud_usd"].get<double>();
  // A reservation is the worst case (prompt estimate + max_tokens), never less than
  // what a request really costs: however many arrive at once, spend cannot pass the limit.
  EXPECT_LE(spent, limit + 1e-9) << "spent " << spent;
  double tokens = usage[0]["prompt_tokens"].get<double>() + usage[0]["completion_tokens"].get<double>();
  EXPECT_NEAR(spent, tokens * 100.0 / 1e6, 1e-9) << "every completed request was charged for what it used";
  EXPECT_EQ(usage[0]["completion_tokens"].get<int>(), done * 8);
  EXPECT_EQ(done + j["runs"][0]["summary"]["errors"]["http_429"].get<int>(), 500);
}

TEST(PrivacyConfig, APatternWithoutAnActionIsAllowedAndConfigCheckSaysSo) {
  TempDir dir;
  write_file(dir.file("p.toml"), std::string("[[deployments]]\nname = \"d\"\nurl = \"http://127.0.0.1:1/v1\"\nmodel = \"m\"\n") +
                                     "[[routes]]\nalias = \"chat\"\ndeployments = [\"d\"]\n[privacy]\n[[privacy.patterns]]\n" +
                                     "name = \"codename\"\nkeywords = [\"Zeus\"]\n");
  auto r = run({binary(), "config", "check", dir.file("p.toml")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("pattern 'codename' has no action and the default is allow"), std::string::npos) << r.err;
}

TEST(PrivacyConfig, BadPatternFailsConfigCheckWithItsLine) {
  TempDir dir;
  write_file(dir.file("p.toml"), "[privacy]\n[[privacy.patterns]]\nname = \"broken\"\nregex = \"(unclosed\"\n");
  auto r = run({binary(), "config", "check", dir.file("p.toml")});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("broken"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("p.toml:2"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace llmux::test

namespace llmux::test {
namespace {

// Concatenated delta content of an OpenAI stream.
std::string streamed_content(const std::string& sse) {
  std::string out;
  std::size_t pos = 0;
  while ((pos = sse.find("data: {", pos)) != std::string::npos) {
    auto end = sse.find('\n', pos);
    auto chunk = json::parse(sse.substr(pos + 6, end - pos - 6), nullptr, false);
    pos = end;
    if (!chunk.is_object() || !chunk.contains("choices") || chunk["choices"].empty()) continue;
    const auto& delta = chunk["choices"][0]["delta"];
    if (delta.contains("content") && delta["content"].is_string()) out += delta["content"].get<std::string>();
  }
  return out;
}

class Redaction : public ::testing::TestWithParam<int> {};

TEST_P(Redaction, CloudSeesPlaceholdersAndTheClientGetsTheOriginalsBack) {
  int per_chunk = GetParam();  // "<EMAIL_1>" is five sim tokens: every split point is covered
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms", "--echo", "--record", "--tokens-per-chunk", std::to_string(per_chunk)});
  TempDir dir;
  GatewayProcess gw(dir, "[privacy]\ndetectors = [\"email\"]\n[privacy.actions]\nemail = \"redact\"\n" +
                              deployment("cloud", cloud.url(), "locality = \"cloud\"") + route("chat", {"cloud"}));
  std::string text = "mail jane.doe@example.com and ops@example.org, then jane.doe@example.com again";
  json body = {{"model", "chat"}, {"max_tokens", 200}, {"stream", true}, {"messages", {{{"role", "user"}, {"content", text}}}}};
  auto r = gw.chat(body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(streamed_content(r.body), text);
  body["stream"] = false;
  auto whole = json::parse(gw.chat(body.dump()).body);
  EXPECT_EQ(whole["choices"][0]["message"]["content"], text);
  auto received = json::parse(http_get(cloud.root() + "/sim/received"));
  ASSERT_EQ(received.size(), 2u);
  for (const auto& b : received) {
    auto sent = b.get<std::string>();
    EXPECT_EQ(sent.find("example.com"), std::string::npos) << sent;
    EXPECT_EQ(sent.find("example.org"), std::string::npos) << sent;
    EXPECT_NE(sent.find("<EMAIL_1> and <EMAIL_2>, then <EMAIL_1> again"), std::string::npos) << sent;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryChunkSize, Redaction, ::testing::Values(1, 2, 3, 4, 5, 7));

// A user's own "<EMAIL_1>" written across two content parts, with other members (a
// cache_control) between them in the request: still the user's, so the real address
// gets another number, and the answer's "<EMAIL_1>" stays as the user wrote it.
TEST(Redaction, ALookAlikeSplitAcrossPartsStaysTheUsers) {
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms", "--echo", "--record"});
  TempDir dir;
  GatewayProcess gw(dir, "[privacy]\ndetectors = [\"email\"]\n[privacy.actions]\nemail = \"redact\"\n" +
                              deployment("cloud", cloud.url(), "locality = \"cloud\"") + route("chat", {"cloud"}));
  json parts = json::array({{{"type", "text"}, {"text", "mail jane.doe@example.com, not <EMAI"}, {"cache_control", {{"type", "ephemeral"}}}},
                            {{"type", "text"}, {"text", "L_1>"}}});
  json body = {{"model", "chat"}, {"max_tokens", 200}, {"messages", {{{"role", "user"}, {"content", parts}}}}};
  auto r = http_request("POST", gw.url() + "/messages", body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  auto received = json::parse(http_get(cloud.root() + "/sim/received"));
  ASSERT_EQ(received.size(), 1u);
  auto sent = received[0].get<std::string>();
  EXPECT_EQ(sent.find("jane.doe"), std::string::npos) << sent;
  EXPECT_NE(sent.find("<EMAIL_2>"), std::string::npos) << "the user's <EMAIL_1> is taken: " << sent;
  auto answer = json::parse(r.body)["content"][0]["text"].get<std::string>();
  EXPECT_NE(answer.find("jane.doe@example.com"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("jane.doe@example.com, not jane.doe"), std::string::npos) << "the user's own text stays: " << answer;
}

TEST(Redaction, LocalDeploymentsGetTheOriginalText) {
  SimProcess local({"--ttft", "1ms", "--itl", "1ms", "--echo", "--record"});
  TempDir dir;
  GatewayProcess gw(dir, "[privacy]\ndetectors = [\"email\"]\n[privacy.actions]\nemail = \"redact\"\n" +
                              deployment("local", local.url(), "locality = \"local\"") + route("chat", {"local"}));
  ASSERT_EQ(gw.chat(ask("write to jane.doe@example.com")).status, 200);
  auto received = json::parse(http_get(local.root() + "/sim/received"));
  ASSERT_EQ(received.size(), 1u);
  EXPECT_NE(received[0].get<std::string>().find("jane.doe@example.com"), std::string::npos);
}

// Every string that goes upstream is scanned, not only the messages' text: a card
// number anywhere in the request keeps it off the cloud.
TEST(Privacy, EveryFieldThatGoesUpstreamIsScanned) {
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, kPrivacy + deployment("cloud", cloud.url(), "locality = \"cloud\"") + route("chat", {"cloud"}));
  const std::string card = "4539148803436467";
  json base = json::parse(ask("hello"));
  json tool = {{"type", "function"},
               {"function", {{"name", "pay"}, {"description", "pays"}, {"parameters", {{"type", "object"}}}}}};
  std::vector<std::pair<std::string, json>> cases;
  auto with = [&](const std::string& name, auto edit) {
    json b = base;
    edit(b);
    cases.emplace_back(name, b);
  };
  with("tool description", [&](json& b) { tool["function"]["description"] = "card " + card; b["tools"] = {tool}; });
  with("tool schema default", [&](json& b) {
    json t = tool;
    t["function"]["parameters"] = {{"type", "object"}, {"properties", {{"card", {{"type", "string"}, {"default", card}}}}}};
    b["tools"] = {t};
  });
  with("user", [&](json& b) { b["user"] = "customer " + card; });
  with("metadata", [&](json& b) { b["metadata"] = {{"account", card}}; });
  with("a member name", [&](json& b) { b["metadata"] = {{"card " + card, true}}; });
  with("stop", [&](json& b) { b["stop"] = {card}; });
  with("response_format", [&](json& b) {
    b["response_format"] = {{"type", "json_schema"}, {"json_schema", {{"name", "x"}, {"description", card}}}};
  });
  with("message name", [&](json& b) { b["messages"][0]["name"] = card; });
  with("image url", [&](json& b) {
    b["messages"][0]["content"] = {{{"type", "text"}, {"text", "look"}},
                                   {{"type", "image_url"}, {"image_url", {{"url", "https://x.example/i.png?card=" + card}}}}};
  });
  with("json escapes", [&](json& b) { b["metadata"] = json::parse(R"({"n":"\u0034539148803436467"})"); });
  with("a data: URL that is text", [&](json& b) {
    b["messages"][0]["content"] = {{{"type", "image_url"}, {"image_url", {{"url", "data:,card " + card}}}}};
  });
  with("image detail", [&](json& b) {
    b["messages"][0]["content"] = {{{"type", "image_url"}, {"image_url", {{"url", "https://x.example/i.png"}, {"detail", card}}}}};
  });
  with("a tool call's id", [&](json& b) {
    b["messages"].push_back({{"role", "assistant"}, {"content", nullptr},
                             {"tool_calls", {{{"id", card}, {"type", "function"},
                                              {"function", {{"name", "f"}, {"arguments", "{}"}}}}}}});
  });
  with("a JSON number", [&](json& b) { b["metadata"] = {{"card", 4539148803436467}}; });
  with("a card split across two parts", [&](json& b) {
    b["messages"][0]["content"] = {{{"type", "text"}, {"text", "card 4539 1488 "}}, {{"type", "text"}, {"text", "0343 6467"}}};
  });
  with("a card split across two messages", [&](json& b) {
    b["messages"] = {{{"role", "user"}, {"content", "card 4539 1488"}}, {{"role", "user"}, {"content", "0343 6467"}}};
  });
  for (const auto& [name, body] : cases) {
    auto r = gw.chat(body.dump());
    EXPECT_EQ(r.status, 503) << name << ": " << r.body;
    EXPECT_NE(r.body.find("credit_card"), std::string::npos) << name << ": " << r.body;
  }
  // Anthropic's shape: a document block and metadata.user_id.
  json doc = {{"model", "chat"}, {"max_tokens", 4},
              {"messages", {{{"role", "user"}, {"content", {{{"type", "document"}, {"source", {{"type", "text"}, {"media_type", "text/plain"}, {"data", "card " + card}}}}}}}}}};
  EXPECT_EQ(http_request("POST", gw.url() + "/messages", doc.dump()).status, 503) << "document block";
  json meta = {{"model", "chat"}, {"max_tokens", 4}, {"metadata", {{"user_id", card}}},
               {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  EXPECT_EQ(http_request("POST", gw.url() + "/messages", meta.dump()).status, 503) << "metadata.user_id";
  json secret = base;
  tool["function"]["description"] = "use key sk-proj-Abc123XyZ987qwertyUIOP456asdfGHJK789zxcvBNM0";
  secret["tools"] = {tool};
  EXPECT_EQ(gw.chat(secret.dump()).status, 403) << "a secret in a tool description is blocked as in a message";
  json keyed = base;
  keyed["metadata"] = {{"password", "Xk9#mPq2vL"}};
  EXPECT_EQ(gw.chat(keyed.dump()).status, 403) << "a value whose key says what it is, in a field passed through";
  // An email (redact) split so that no part holds it cannot be redacted in place: local-only, so 503 here.
  json split = base;
  split["messages"][0]["content"] = {{{"type", "text"}, {"text", "mail jane.doe@"}}, {{"type", "text"}, {"text", "example.com"}}};
  auto r = gw.chat(split.dump());
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("email"), std::string::npos) << r.body;
  EXPECT_EQ(cloud.stats()["requests"], 0) << "nothing reached the cloud";
  EXPECT_EQ(gw.chat(ask("hello")).status, 200) << "and a clean request still goes";
}

TEST(Redaction, FieldsOutsideTheMessagesAreRedactedAndStayValidJson) {
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms", "--record"});
  TempDir dir;
  GatewayProcess gw(dir, "[privacy]\ndetectors = [\"email\"]\n[privacy.actions]\nemail = \"redact\"\n" +
                              deployment("cloud", cloud.url(), "locality = \"cloud\"") + route("chat", {"cloud"}));
  json body = json::parse(ask("hi"));
  body["user"] = "jane.doe@example.com";
  body["tools"] = {{{"type", "function"},
                    {"function", {{"name", "notify"}, {"description", "mails \"ops@example.org\" about it"},
                                  {"parameters", {{"type", "object"}, {"description", "cc jane.doe@example.com"}}}}}}};
  ASSERT_EQ(gw.chat(body.dump()).status, 200);
  auto received = json::parse(http_get(cloud.root() + "/sim/received"));
  ASSERT_EQ(received.size(), 1u);
  std::string sent = received[0].get<std::string>();
  EXPECT_EQ(sent.find("example.com"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("example.org"), std::string::npos) << sent;
  auto upstream = json::parse(sent, nullptr, false);
  ASSERT_FALSE(upstream.is_discarded()) << sent;
  std::string jane = upstream["user"].get<std::string>();
  EXPECT_TRUE(jane == "<EMAIL_1>" || jane == "<EMAIL_2>") << jane;
  EXPECT_EQ(upstream["tools"][0]["function"]["parameters"]["description"], "cc " + jane)
      << "the same address, the same placeholder";
  std::string ops = jane == "<EMAIL_1>" ? "<EMAIL_2>" : "<EMAIL_1>";
  EXPECT_EQ(upstream["tools"][0]["function"]["description"], "mails \"" + ops + "\" about it");
}

TEST(Privacy, EmbeddingsFollowThePolicyAndAreInTheLedger) {
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, kPrivacy + deployment("cloud", cloud.url(), "locality = \"cloud\"") + route("embed", {"cloud"}));
  auto embed = [&](const std::string& input) {
    return http_request("POST", gw.url() + "/embeddings", json{{"model", "embed"}, {"input", input}}.dump());
  };
  auto card = embed("card 4539 1488 0343 6467");
  EXPECT_EQ(card.status, 503) << card.body;
  EXPECT_NE(card.body.find("must stay local"), std::string::npos) << card.body;
  auto secret = embed("key sk-proj-Abc123XyZ987qwertyUIOP456asdfGHJK789zxcvBNM0");
  EXPECT_EQ(secret.status, 403) << secret.body;
  EXPECT_EQ(cloud.stats()["requests"], 0) << "neither reached the cloud";
  // Redacted: the cloud embeds the placeholder, not the address.
  auto mail = embed("write to jane.doe@example.com");
  ASSERT_EQ(mail.status, 200) << mail.body;
  auto direct = http_request("POST", cloud.url() + "/embeddings", json{{"model", "m-cloud"}, {"input", "write to <EMAIL_1>"}}.dump());
  EXPECT_EQ(json::parse(mail.body)["data"][0]["embedding"], json::parse(direct.body)["data"][0]["embedding"]);
  auto metrics = gw.metrics();
  EXPECT_NE(metrics.find(R"(gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="embeddings",gen_ai_provider_name="openai",gen_ai_request_model="embed")"),
            std::string::npos) << "embeddings are their own GenAI operation, not chat:\n" << metrics;
  EXPECT_EQ(metrics.find(R"(gen_ai_operation_name="chat")"), std::string::npos) << metrics;
  gw.process().signal(SIGTERM);
  gw.process().wait(std::chrono::seconds(20));
  auto u = run({binary(), "usage", "--ledger", gw.ledger(), "--by", "route", "--format", "json"});
  ASSERT_EQ(u.status, 0) << u.err;
  auto rows = json::parse(u.out);
  ASSERT_EQ(rows.size(), 1u) << u.out;
  EXPECT_EQ(rows[0]["requests"], 3) << "refused ones included";
  EXPECT_EQ(rows[0]["errors"], 2);
  EXPECT_GT(rows[0]["prompt_tokens"].get<int>(), 0) << "the upstream's count";
}

}  // namespace
}  // namespace llmux::test
