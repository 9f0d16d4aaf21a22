// The gateway, run as the built binary against sims on loopback: routing, retries,
// fallback under every fault the sim injects, breaker, disconnects, reload,
// ledger, metrics and keys.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <algorithm>
#include <thread>

#include "e2e/canned_server.hpp"
#include "e2e/e2e_support.hpp"
#include "gateway/gateway_fixture.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;

using Gateway = GatewayProcess;

std::string chat_body(bool stream, int max_tokens = 5, bool include_usage = false) {
  json b = {{"model", "chat"}, {"messages", {{{"role", "user"}, {"content", "how fast is it"}}}}, {"max_tokens", max_tokens},
            {"stream", stream}};
  if (include_usage) b["stream_options"] = {{"include_usage", true}};
  return b.dump();
}

TEST(Gateway, ServesChatStreamedAndNotThroughTheRoute) {
  SimProcess sim({"--ttft", "5ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
  auto r = http_request("POST", gw.url() + "/chat/completions", chat_body(false));
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = json::parse(r.body);
  EXPECT_EQ(j["model"], "chat");
  EXPECT_EQ(j["usage"]["completion_tokens"], 5);
  auto s = http_request("POST", gw.url() + "/chat/completions", chat_body(true, 4));
  ASSERT_EQ(s.status, 200);
  EXPECT_NE(s.body.find("data: [DONE]"), std::string::npos);
  EXPECT_EQ(s.body.find("\"usage\""), std::string::npos) << "usage only when the client asks";
  auto u = http_request("POST", gw.url() + "/chat/completions", chat_body(true, 4, true));
  EXPECT_NE(u.body.find("\"completion_tokens\":4"), std::string::npos) << u.body;
  auto models = json::parse(http_request("GET", gw.url() + "/models").body);
  EXPECT_EQ(models["data"][0]["id"], "chat");
  auto claude = json::parse(http_request("GET", gw.url() + "/models", "", {"anthropic-version: 2023-06-01"}).body);
  EXPECT_EQ(claude["data"][0]["type"], "model") << "Anthropic's shape for Anthropic's SDKs: " << claude.dump();
  EXPECT_EQ(claude["data"][0]["id"], "chat");
  EXPECT_EQ(claude["has_more"], false);
}

TEST(Gateway, UnknownModelIsA404ThatListsRoutes) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
  auto r = http_request("POST", gw.url() + "/chat/completions",
                        R"({"model":"caht","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("did you mean: chat"), std::string::npos) << r.body;
  auto bad = http_request("POST", gw.url() + "/chat/completions", "{not json");
  EXPECT_EQ(bad.status, 400);
}

struct FallbackCase {
  std::string name;
  std::vector<std::string> broken_sim;  // sim flags for the failing first deployment
  std::string broken_extra;             // deployment config lines
};

class GatewayFallback : public ::testing::TestWithParam<FallbackCase> {};

TEST_P(GatewayFallback, FailuresBeforeTheFirstByteFallBackToTheNextDeployment) {
  const auto& c = GetParam();
  SimProcess good({"--ttft", "5ms", "--itl", "1ms"});
  std::unique_ptr<SimProcess> broken;
  std::string broken_url = "http://127.0.0.1:1/v1";  // connect refused unless a sim is given
  if (!c.broken_sim.empty()) {
    broken = std::make_unique<SimProcess>(c.broken_sim);
    broken_url = broken->url();
  }
  TempDir dir;
  Gateway gw(dir, deployment("broken", broken_url, c.broken_extra) + deployment("good", good.url()) +
                      route("chat", {"broken", "good"}, "retries = 1\nretry_backoff = \"10ms\""));
  for (bool stream : {false, true}) {
    auto r = http_request("POST", gw.url() + "/chat/completions", chat_body(stream));
    EXPECT_EQ(r.status, 200) << c.name << ": " << r.body;
    EXPECT_EQ(r.body.find("error"), std::string::npos) << r.body;
  }
  auto m = gw.metrics();
  EXPECT_EQ(metric(m, R"(llmux_requests_total{route="chat",deployment="good",status="200"})"), 2) << m;
  EXPECT_GE(metric(m, R"(llmux_fallbacks_total{from="broken",to="good"})"), 2) << m;
}

INSTANTIATE_TEST_SUITE_P(
    Faults, GatewayFallback,
    ::testing::Values(
        FallbackCase{"http500", {"--error-rate", "1", "--error-status", "500"}, ""},
        FallbackCase{"http429", {"--rate-limit-rate", "1", "--retry-after", "0"}, ""},
        FallbackCase{"connect_refused", {}, ""},
        FallbackCase{"stall", {"--stall-rate", "1", "--stall", "30s", "--stall-after", "0"}, "read_timeout = \"300ms\""},
        FallbackCase{"cut_before_first_byte", {"--cut-rate", "1", "--cut-after", "0"}, ""}),
    [](const auto& info) { return info.param.name; });

TEST(Gateway, RetryAfterIsHonouredAndA429ReachesTheClientWhenNothingElseWorks) {
  SimProcess limited({"--rate-limit-rate", "1", "--retry-after", "1"});
  TempDir dir;
  Gateway gw(dir, deployment("only", limited.url()) + route("chat", {"only"}, "retries = 1"));
  auto t0 = std::chrono::steady_clock::now();
  auto r = http_request("POST", gw.url() + "/chat/completions", chat_body(false));
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.headers["retry-after"], "1");
  EXPECT_GE(waited, std::chrono::milliseconds(950)) << "the retry waited for Retry-After";
  EXPECT_EQ(limited.stats()["requests"], 2);
  // The second of waiting was the upstream's doing: it is not the gateway's own time.
  double own = metric(gw.metrics(), R"(llmux_gateway_overhead_seconds{quantile="0.99"})");
  EXPECT_LT(own, 0.5) << "the Retry-After wait counted as gateway overhead";
}

TEST(Gateway, AClientErrorIsNotRetriedElsewhere) {
  SimProcess small({"--max-context", "2"});
  SimProcess other({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("small", small.url()) + deployment("other", other.url()) + route("chat", {"small", "other"}));
  auto r = http_request("POST", gw.url() + "/chat/completions", chat_body(false));
  EXPECT_EQ(r.status, 400) << r.body;
  // The upstream's own words, as it said them: SDKs read code and param.
  auto e = json::parse(r.body)["error"];
  EXPECT_EQ(e["message"], "This model's maximum context length is 2 tokens; the prompt has 4") << r.body;
  EXPECT_EQ(e["code"], "context_length_exceeded") << r.body;
  EXPECT_EQ(e["param"], "messages") << r.body;
  EXPECT_EQ(e["type"], "invalid_request_error") << r.body;
  EXPECT_EQ(other.stats()["requests"], 0);
  // An Anthropic client gets the same words in Anthropic's shape.
  auto a = http_request("POST", gw.url() + "/messages",
                        R"({"model":"chat","max_tokens":5,"messages":[{"role":"user","content":"how fast is it"}]})");
  EXPECT_EQ(a.status, 400) << a.body;
  auto ae = json::parse(a.body);
  EXPECT_EQ(ae["type"], "error") << a.body;
  EXPECT_EQ(ae["error"]["message"], "This model's maximum context length is 2 tokens; the prompt has 4") << a.body;
}

TEST(Gateway, AFailureAfterTheFirstByteEndsTheStreamWithAnErrorEvent) {
  SimProcess cut({"--ttft", "5ms", "--itl", "2ms", "--cut-rate", "1", "--cut-after", "3"});
  SimProcess good({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("cut", cut.url()) + deployment("good", good.url()) + route("chat", {"cut", "good"}));
  auto r = http_request("POST", gw.url() + "/chat/completions", chat_body(true, 10));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"error\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("mid-stream"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("data: [DONE]"), std::string::npos) << "the stream ends cleanly, not silently";
  EXPECT_EQ(good.stats()["requests"], 0) << "no fallback once bytes reached the client";
}

TEST(Gateway, BreakerOpensThenProbesAfterCooldown) {
  SimProcess bad({"--error-rate", "1", "--error-status", "503"});
  SimProcess good({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, "[breaker]\nfailures = 2\ncooldown = \"1s\"\n" + deployment("bad", bad.url()) +
                      deployment("good", good.url()) + route("chat", {"bad", "good"}, "retries = 0"));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(false)).status, 200);
  EXPECT_EQ(bad.stats()["requests"], 2) << "after two failures the breaker keeps traffic away";
  EXPECT_EQ(metric(gw.metrics(), R"(llmux_breaker_state{deployment="bad"})"), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the cooldown itself is what is tested
  EXPECT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(false)).status, 200);
  EXPECT_EQ(bad.stats()["requests"], 3) << "one half-open probe";
}

TEST(Gateway, GaugesShowEachDeploymentsRequestsInFlightAndBreakerNow) {
  SimProcess slow({"--ttft", "400ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("slow", slow.url()) + deployment("idle", slow.url()) + route("chat", {"slow"}) +
                      route("other", {"idle"}));
  const std::string in_flight = R"(llmux_in_flight_requests{deployment="slow"})";
  std::thread request([&] { http_request("POST", gw.url() + "/chat/completions", chat_body(false)); });
  double seen = 0;
  for (int i = 0; i < 100 && seen != 1; ++i) {
    seen = metric(gw.metrics(), in_flight);
    if (seen != 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(seen, 1) << "the request waiting on the slow deployment shows while it runs";
  request.join();
  auto text = gw.metrics();
  ASSERT_NE(text.find(in_flight + " 0"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(llmux_in_flight_requests{deployment="idle"} 0)"), std::string::npos)
      << "every configured deployment has its series, used or not";
  EXPECT_NE(text.find(R"(llmux_breaker_state{deployment="slow"} 0)"), std::string::npos) << text;
}

TEST(Gateway, AClientThatLeavesCancelsItsUpstreamAtOnce) {
  SimProcess slow({"--ttft", "5ms", "--itl", "200ms"});
  TempDir dir;
  Gateway gw(dir, deployment("slow", slow.url()) + route("chat", {"slow"}));
  auto got = http_read_then_disconnect(gw.url() + "/chat/completions", chat_body(true, 200), 100);
  EXPECT_FALSE(got.empty());
  for (int i = 0; i < 50 && slow.stats()["client_gone"] != 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(slow.stats()["client_gone"], 1) << "the sim saw the gateway close the upstream stream";
  EXPECT_EQ(slow.stats()["active_streams"], 0);
}

TEST(Gateway, KeysAreRequiredWhenConfigured) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  auto created = run({binary(), "keys", "create", "--id", "team-a", "--routes", "chat"});
  ASSERT_EQ(created.status, 0);
  std::string secret = created.out.substr(0, created.out.find('\n'));
  auto hash_at = created.err.find("sha256:");
  std::string hash = created.err.substr(hash_at, 7 + 64);
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}) + route("other", {"local"}) +
                      "[[keys]]\nid = \"team-a\"\nhash = \"" + hash + "\"\nroutes = [\"chat\"]\n");
  EXPECT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(false)).status, 401);
  EXPECT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(false), {"Authorization: Bearer wrong"}).status, 401);
  EXPECT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(false), {"Authorization: Bearer " + secret}).status, 200);
  auto other = json::parse(chat_body(false));
  other["model"] = "other";
  EXPECT_EQ(http_request("POST", gw.url() + "/chat/completions", other.dump(), {"Authorization: Bearer " + secret}).status, 403);
}

TEST(Gateway, AnthropicClientsGetAnthropicErrorsAndAWrongMethodIsA405) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}), {}, "max_body_bytes = \"4KiB\"");
  auto anthropic_type = [](const HttpResult& r) {
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.value("type", "") == "error" ? j["error"].value("type", "") : "not Anthropic's shape: " + r.body;
  };
  std::string big = R"({"model":"chat","max_tokens":5,"messages":[{"role":"user","content":")" + std::string(8000, 'x') + R"("}]})";
  auto too_big = http_request("POST", gw.url() + "/messages", big);
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(anthropic_type(too_big), "request_too_large");
  auto openai_big = http_request("POST", gw.url() + "/chat/completions", big);
  EXPECT_EQ(openai_big.status, 413);
  EXPECT_TRUE(json::parse(openai_big.body)["error"].is_object()) << "OpenAI clients keep OpenAI's shape: " << openai_big.body;

  auto no_max = http_request("POST", gw.url() + "/messages", R"({"model":"chat","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(no_max.status, 400);
  EXPECT_EQ(anthropic_type(no_max), "invalid_request_error");
  EXPECT_NE(no_max.body.find("max_tokens"), std::string::npos) << no_max.body;

  auto get = http_request("GET", gw.url() + "/chat/completions");
  EXPECT_EQ(get.status, 405) << get.body;
  EXPECT_EQ(get.headers["allow"], "POST");
  auto post_models = http_request("POST", gw.url() + "/models", "{}");
  EXPECT_EQ(post_models.status, 405);
  EXPECT_EQ(post_models.headers["allow"], "GET");
  EXPECT_EQ(anthropic_type(http_request("GET", gw.url() + "/messages")), "invalid_request_error");
  EXPECT_EQ(http_request("GET", gw.url() + "/nowhere").status, 404);
}

TEST(Gateway, ARequestAnUpstreamsAPICannotExpressIsA400AndLeavesItsBreakerAlone) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("openai", sim.url()) + route("chat", {"openai"}));
  const std::string pdf = R"({"model":"chat","max_tokens":5,"messages":[{"role":"user","content":[
    {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}},
    {"type":"text","text":"summarise"}]}]})";
  for (int i = 0; i < 6; ++i) {  // more than the breaker's 5 failures
    auto r = http_request("POST", gw.url() + "/messages", pdf);
    EXPECT_EQ(r.status, 400) << r.body;
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_EQ(j["error"]["type"], "invalid_request_error") << r.body;
    EXPECT_NE(r.body.find("'document' from the anthropic API has no equivalent in the openai API"), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(sim.stats()["requests"], 0) << "nothing was sent";
  auto ok = http_request("POST", gw.url() + "/messages",
                         R"({"model":"chat","max_tokens":5,"messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(ok.status, 200) << "the deployment did nothing wrong: its breaker stays closed: " << ok.body;
  EXPECT_EQ(metric(gw.metrics(), R"(llmux_breaker_state{deployment="openai"})"), 0);
}

TEST(Gateway, AnthropicUpstreamsGetTheClientsBetasAndTheirStopSequenceAndEmptyAnswersComeBackWhole) {
  auto answer = [](const std::string& body) {
    return CannedServer([body](const std::string&) { return CannedServer::response(200, "application/json", body); });
  };
  CannedServer stopped = answer(
      R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"done"}],)"
      R"("stop_reason":"stop_sequence","stop_sequence":"END","usage":{"input_tokens":3,"output_tokens":2}})");
  CannedServer empty = answer(
      R"({"id":"msg_2","type":"message","role":"assistant","model":"m","content":[],)"
      R"("stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":0}})");
  TempDir dir;
  Gateway gw(dir, deployment("stopped", stopped.url(), "dialect = \"anthropic\"") +
                      deployment("empty", empty.url(), "dialect = \"anthropic\"") + route("chat", {"stopped"}) +
                      route("quiet", {"empty"}));
  auto ask = [&](const std::string& model) {
    auto r = http_request("POST", gw.url() + "/messages",
                          R"({"model":")" + model + R"(","max_tokens":5,"stop_sequences":["END"],"messages":[{"role":"user","content":"x"}]})",
                          {"anthropic-beta: context-1m-2025-08-07"});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  };
  auto s = ask("chat");
  ASSERT_EQ(stopped.heads().size(), 1u);
  std::string head = stopped.heads()[0];
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_NE(head.find("anthropic-beta: context-1m-2025-08-07"), std::string::npos)
      << "an Anthropic client's beta opt-in reaches the Anthropic upstream: " << head;
  EXPECT_EQ(s["stop_reason"], "stop_sequence") << s.dump();
  EXPECT_EQ(s["stop_sequence"], "END") << s.dump();
  auto e = ask("quiet");
  EXPECT_TRUE(e["content"].is_array() && e["content"].empty())
      << "Anthropic refuses empty text blocks when the conversation is sent back: " << e.dump();
}

TEST(Gateway, AnUpstreamThatRefusesTheGatewaysKeyIsA502ThatNeverEchoesTheKey) {
  const std::string key = "sk-test-SECRET-0123456789";
  CannedServer refusing([&](const std::string&) {
    return CannedServer::response(
        401, "application/json",
        R"({"error":{"message":"Incorrect API key provided: Bearer )" + key + R"(","type":"invalid_request_error","code":"invalid_api_key"}})");
  });
  TempDir dir;
  Gateway gw(dir, deployment("cloud", refusing.url(), "api_key_env = \"LLMUX_TEST_UPSTREAM_KEY\"") +
                      route("chat", {"cloud"}, "retries = 0"),
             {"LLMUX_TEST_UPSTREAM_KEY=" + key});
  for (bool stream : {false, true}) {
    auto r = gw.chat(chat_body(stream));
    EXPECT_EQ(r.status, 502) << "the client's own key was fine: " << r.body;
    EXPECT_EQ(r.body.find(key), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("[redacted]"), std::string::npos) << r.body;
  }
  auto e = http_request("POST", gw.url() + "/embeddings", R"({"model":"chat","input":"x"})");
  EXPECT_EQ(e.status, 502) << e.body;
  EXPECT_EQ(e.body.find(key), std::string::npos) << e.body;
  EXPECT_EQ(gw.process().err().find(key), std::string::npos) << "nor in the log";
}

TEST(Gateway, EmbeddingsPassThroughToTheFirstDeploymentThatHasThem) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  SimProcess messages_only({"--dialect", "anthropic"});  // answers 404 to /v1/embeddings
  TempDir dir;
  Gateway gw(dir, deployment("none", messages_only.url()) + deployment("emb", sim.url()) +
                      route("embed", {"none", "emb"}) + route("nowhere", {"none"}));
  auto r = http_request("POST", gw.url() + "/embeddings",
                        R"({"model":"embed","input":["hello world","hello world","other text"],"dimensions":8})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = json::parse(r.body);
  EXPECT_EQ(j["model"], "m-emb") << "the deployment's model went upstream";
  ASSERT_EQ(j["data"].size(), 3u);
  double norm = 0;
  for (double x : j["data"][0]["embedding"]) norm += x * x;
  EXPECT_EQ(j["data"][0]["embedding"].size(), 8u);
  EXPECT_NEAR(norm, 1.0, 1e-9);
  EXPECT_EQ(j["data"][0]["embedding"], j["data"][1]["embedding"]) << "the same text embeds the same way";
  EXPECT_NE(j["data"][0]["embedding"], j["data"][2]["embedding"]);
  EXPECT_EQ(j["data"][2]["index"], 2);
  auto count = [&](const std::string& text) {
    return json::parse(http_request("POST", sim.url().substr(0, sim.url().size() - 3) + "/tokenize",
                                    json{{"prompt", text}}.dump()).body)["count"].get<int>();
  };
  EXPECT_EQ(j["usage"]["prompt_tokens"], 2 * count("hello world") + count("other text")) << "the sim's own counts";

  auto none = http_request("POST", gw.url() + "/embeddings", R"({"model":"nowhere","input":"x"})");
  EXPECT_EQ(none.status, 502);
  EXPECT_NE(none.body.find("none: HTTP 404"), std::string::npos) << "what the deployment said, not its own page: "
                                                                  << none.body;
  auto bad = http_request("POST", sim.url() + "/embeddings", R"({"model":"x","input":[1,2]})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  json huge = {{"model", "x"}, {"input", std::vector<std::string>(2048, "a")}, {"dimensions", 4096}};
  auto too_big = http_request("POST", sim.url() + "/embeddings", huge.dump());
  EXPECT_EQ(too_big.status, 400) << "8M values would be a 160 MB answer";
  // The Ollama dialect's own /api/embed, as ollama's clients call it.
  SimProcess ollama({"--dialect", "ollama"});
  std::string root = ollama.url().substr(0, ollama.url().rfind('/'));
  auto o = http_request("POST", root + "/api/embed", R"({"model":"x","input":["hello world","other text"],"dimensions":8})");
  ASSERT_EQ(o.status, 200) << o.body;
  auto oj = json::parse(o.body);
  ASSERT_EQ(oj["embeddings"].size(), 2u) << o.body;
  EXPECT_EQ(oj["embeddings"][0], j["data"][0]["embedding"]) << "the same text embeds the same way in every dialect";
  EXPECT_EQ(oj["prompt_eval_count"], count("hello world") + count("other text"));
}

TEST(Gateway, LedgerAndUsageAreExact) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  {
    Gateway gw(dir, deployment("local", sim.url(), "price_input = 2.0\nprice_output = 4.0\nlocality = \"cloud\"") +
                        route("chat", {"local"}));
    for (int i = 0; i < 7; ++i) ASSERT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(i % 2, 6, true)).status, 200);
  }  // graceful stop commits the ledger
  auto u = run({binary(), "usage", "--ledger", dir.file("ledger.db"), "--by", "deployment", "--format", "json"});
  ASSERT_EQ(u.status, 0) << u.err;
  auto j = json::parse(u.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["requests"], 7);
  EXPECT_EQ(j[0]["completion_tokens"], 42);
  EXPECT_EQ(j[0]["prompt_tokens"], 7 * 4);
  EXPECT_NEAR(j[0]["cost_cloud_usd"].get<double>(), (28 * 2.0 + 42 * 4.0) / 1e6, 1e-12);
  // CSV carries the cost exactly, not rounded to four decimals.
  auto csv = run({binary(), "usage", "--ledger", dir.file("ledger.db"), "--by", "deployment", "--format", "csv"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  auto row = csv.out.substr(csv.out.find('\n') + 1);
  std::vector<std::string> fields;
  for (std::size_t at = 0, comma; (comma = row.find_first_of(",\n", at)) != std::string::npos; at = comma + 1)
    fields.push_back(row.substr(at, comma - at));
  ASSERT_GE(fields.size(), 7u) << csv.out;
  EXPECT_EQ(fields[0], "local");
  EXPECT_NEAR(std::stod(fields[6]), (28 * 2.0 + 42 * 4.0) / 1e6, 1e-12) << "cost_cloud_usd, unrounded: " << csv.out;
}

TEST(Gateway, UsageCsvQuotesNamesClientsChoseAndTheTableEscapesThem) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  {
    Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
    for (std::string model : {"a,b\"c", "line1\nline2", "=HYPERLINK(\"http://x\")"})
      http_request("POST", gw.url() + "/chat/completions",
                   json{{"model", model}, {"messages", {{{"role", "user"}, {"content", "x"}}}}}.dump());
  }
  auto csv = run({binary(), "usage", "--ledger", dir.file("ledger.db"), "--by", "route", "--format", "csv"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_NE(csv.out.find("\"a,b\"\"c\",1,1,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("\"line1\nline2\",1,1,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("\"'=HYPERLINK(\"\"http://x\"\")\",1,1,"), std::string::npos) << "a formula is defused: " << csv.out;
  for (const char* vague : {"1", "5M"}) {
    auto r = run({binary(), "usage", "--ledger", dir.file("ledger.db"), "--since", vague});
    EXPECT_EQ(r.status, 2) << vague << ": " << r.out;
    EXPECT_NE(r.err.find("--since " + std::string(vague)), std::string::npos) << r.err;
  }
  auto table = run({binary(), "usage", "--ledger", dir.file("ledger.db"), "--by", "route"});
  EXPECT_NE(table.out.find("line1\\nline2"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("line1\nline2"), std::string::npos) << "no forged line: " << table.out;
}

// Every answer carries its request id in the header the client's SDK reads it from
// (OpenAI's x-request-id, Anthropic's request-id), errors included: the ledger's id.
TEST(Gateway, AnswersCarryTheLedgersRequestId) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  std::vector<std::string> ids;
  {
    Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
    auto whole = http_request("POST", gw.url() + "/chat/completions", chat_body(false));
    auto streamed = http_request("POST", gw.url() + "/chat/completions", chat_body(true));
    auto unknown = http_request("POST", gw.url() + "/chat/completions", json{{"model", "nope"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}}.dump());
    auto anthropic = http_request("POST", gw.url() + "/messages",
                                  json{{"model", "chat"}, {"max_tokens", 3}, {"messages", {{{"role", "user"}, {"content", "x"}}}}}.dump());
    EXPECT_EQ(unknown.status, 404);
    for (const auto* r : {&whole, &streamed, &unknown}) {
      ASSERT_EQ(r->headers.count("x-request-id"), 1u) << r->status;
      ids.push_back(r->headers.at("x-request-id"));
    }
    ASSERT_EQ(anthropic.headers.count("request-id"), 1u) << anthropic.body;
    EXPECT_EQ(anthropic.headers.count("x-request-id"), 0u);
    ids.push_back(anthropic.headers.at("request-id"));
    auto again = http_request("POST", gw.url() + "/chat/completions", chat_body(false));
    EXPECT_NE(again.headers["x-request-id"], ids[0]) << "a new id for each request";
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("ledger.db").c_str(), &db), SQLITE_OK);
  for (const auto& id : ids) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM requests WHERE request_id = ?", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 1) << id;
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
}

TEST(Gateway, LedgerIsConsistentAfterKill9) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
  for (int i = 0; i < 20; ++i) ASSERT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(false)).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // > the 50 ms commit interval
  gw.process().signal(SIGKILL);
  gw.process().wait();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(gw.ledger().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM requests", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 20);
  sqlite3_finalize(st);
  sqlite3_close(db);
  // A restart opens the same ledger and carries on; its request ids are new ones.
  {
    Gateway again(dir, deployment("local", sim.url()) + route("chat", {"local"}));
    ASSERT_EQ(again.ledger(), gw.ledger());
    ASSERT_EQ(http_request("POST", again.url() + "/chat/completions", chat_body(false)).status, 200);
  }
  ASSERT_EQ(sqlite3_open(gw.ledger().c_str(), &db), SQLITE_OK);
  sqlite3_prepare_v2(db, "SELECT COUNT(*), COUNT(DISTINCT request_id) FROM requests", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 21);
  EXPECT_EQ(sqlite3_column_int(st, 1), 21) << "no request id used twice across runs";
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(Gateway, MetricsMatchTheTrafficSent) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
  for (int i = 0; i < 6; ++i) http_request("POST", gw.url() + "/chat/completions", chat_body(i < 2, 3));
  for (const char* made_up : {"nope", "gpt-9", "caht"})
    http_request("POST", gw.url() + "/chat/completions",
                 std::string(R"({"model":")") + made_up + R"(","messages":[{"role":"user","content":"x"}]})");
  auto m = gw.metrics();
  EXPECT_EQ(metric(m, R"(llmux_requests_total{route="chat",deployment="local",status="200"})"), 6) << m;
  // Names no route has share one series: clients cannot grow /metrics without bound.
  EXPECT_EQ(metric(m, R"x(llmux_requests_total{route="(unknown)",deployment="",status="404"})x"), 3) << m;
  EXPECT_EQ(m.find("gpt-9"), std::string::npos) << m;
  EXPECT_EQ(metric(m, R"(llmux_tokens_total{deployment="local",type="output"})"), 18);
  EXPECT_NE(m.find("gen_ai_client_operation_duration_seconds_bucket"), std::string::npos);
  EXPECT_EQ(metric(m, R"(gen_ai_server_time_to_first_token_seconds_count{gen_ai_provider_name="openai",gen_ai_request_model="chat",llmux_deployment="local"})"), 2)
      << "time to first token of the two streamed requests only: " << m;
}

TEST(Gateway, InvalidReloadIsRejectedAndTheOldConfigStays) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
  auto original = read_file(gw.config_path());
  write_file(gw.config_path(), original + "\n[[routes]]\nalias = \"x\"\ndeployments = [\"nowhere\"]\n");
  gw.process().signal(SIGHUP);
  for (int i = 0; i < 100 && gw.process().err().find("reload rejected") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_NE(gw.process().err().find("unknown deployment 'nowhere'"), std::string::npos) << gw.process().err();
  EXPECT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(false)).status, 200);
}

TEST(Gateway, AnEditThenSighupReloadsOnce) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a new mtime, even on a coarse clock
  write_file(gw.config_path(), read_file(gw.config_path()) + "\n[[routes]]\nalias = \"also\"\ndeployments = [\"local\"]\n");
  gw.process().signal(SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // the watcher looks every second
  auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
    return n;
  };
  EXPECT_EQ(count(gw.process().err(), "llmux serve: reloaded "), 1u) << gw.process().err();
  auto models = json::parse(http_request("GET", gw.url() + "/models").body);
  EXPECT_EQ(models["data"].size(), 2u);
}

TEST(Gateway, AReloadSaysWhichChangedSettingsWaitForTheNextStart) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
  auto cfg = read_file(gw.config_path());
  auto at = cfg.find("port = 0\n");
  ASSERT_NE(at, std::string::npos) << cfg;
  cfg.replace(at, 9, "port = 0\nthreads = 2\nbusy_poll = \"20us\"\n");
  write_file(gw.config_path(), cfg);
  gw.process().signal(SIGHUP);
  for (int i = 0; i < 100 && gw.process().err().find("next start") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_NE(gw.process().err().find("take effect only at the next start (the running ones stay): server.threads, "
                                    "server.busy_poll"),
            std::string::npos)
      << gw.process().err();
  EXPECT_EQ(http_request("POST", gw.url() + "/chat/completions", chat_body(false)).status, 200);
}

TEST(Gateway, HotReloadUnderLoadFailsNoRequest) {
  SimProcess a({"--ttft", "2ms", "--itl", "1ms"});
  SimProcess b({"--ttft", "2ms", "--itl", "1ms"});
  TempDir dir;
  Gateway gw(dir, deployment("a", a.url()) + deployment("b", b.url()) + route("chat", {"a"}));
  std::thread load([&] {
    auto r = run({binary(), "bench", "-q", "--url", gw.url(), "--model", "chat", "-c", "8", "-n", "400",
                  "--output-tokens", "8", "--input-tokens", "16", "-o", dir.file("load.json")});
    EXPECT_EQ(r.status, 0) << r.err;
  });
  std::string cfg = read_file(gw.config_path());
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    auto next = cfg;
    auto at = next.find("deployments = [\"a\"]");
    next.replace(at, 19, i % 2 ? "deployments = [\"a\"]" : "deployments = [\"b\"]");
    write_file(gw.config_path(), next);
    gw.process().signal(SIGHUP);
  }
  load.join();
  auto j = json::parse(read_file(dir.file("load.json")));
  EXPECT_EQ(j["runs"][0]["summary"]["requests_failed"], 0);
  EXPECT_EQ(j["runs"][0]["summary"]["requests_completed"], 400);
  EXPECT_GT(b.stats()["requests"].get<int>(), 0) << "the reload took effect";
}

TEST(GatewayCli, ConfigCheckListsProblemsAndExitsTwo) {
  TempDir dir;
  write_file(dir.file("bad.toml"), "[server]\nprot = 1\n[[routes]]\nalias = \"x\"\ndeployments = [\"y\"]\n");
  auto r = run({binary(), "config", "check", dir.file("bad.toml")});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("bad.toml:2: server: unknown key 'prot'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown deployment 'y'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 problems found"), std::string::npos) << r.err;
}

TEST(GatewayCli, ConfigCheckWarnsOfASecretThisMachineLacks) {
  TempDir dir;
  write_file(dir.file("gw.toml"), "[admin]\nenabled = true\nkey_env = \"LLMUX_TEST_UNSET_ADMIN\"\n" +
                                      deployment("cloud", "https://api.example.com/v1",
                                             "api_key_env = \"LLMUX_TEST_UNSET_KEY_VARIABLE\"") +
                                      deployment("filed", "https://api.example.com/v1",
                                                 "api_key_file = \"" + dir.file("missing.key") + "\"") +
                                      route("chat", {"cloud", "filed"}));
  auto r = run({binary(), "config", "check", dir.file("gw.toml")});
  EXPECT_EQ(r.status, 0) << "the file itself is valid: " << r.err;
  EXPECT_NE(r.err.find("warning: [admin] is enabled but $LLMUX_TEST_UNSET_ADMIN is not set here"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("gw.toml:4: warning: deployment 'cloud': environment variable LLMUX_TEST_UNSET_KEY_VARIABLE is "
                       "not set here; llmux serve will not start without it"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("gw.toml:9: warning: deployment 'filed': api_key_file"), std::string::npos) << r.err;
}

TEST(GatewayCli, KeysCreatePrintsAnEntryTheConfigAccepts) {
  auto empty = run({binary(), "keys", "create", "--id", " "});
  EXPECT_EQ(empty.status, 2) << empty.out;
  EXPECT_TRUE(empty.out.empty()) << "no key is made for an entry that could not be used";
  EXPECT_NE(empty.err.find("--id"), std::string::npos) << empty.err;
  auto created = run({binary(), "keys", "create", "--id", "team \"a\" \\ b", "--team", "ops\"x", "--routes", "chat"});
  ASSERT_EQ(created.status, 0) << created.err;
  std::string entry = created.err.substr(created.err.find("[[keys]]"));
  TempDir dir;
  write_file(dir.file("gw.toml"), "[[deployments]]\nname = \"d\"\nurl = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\n" +
                                      route("chat", {"d"}) + entry);
  auto check = run({binary(), "config", "check", dir.file("gw.toml")});
  EXPECT_EQ(check.status, 0) << entry << check.err;
  EXPECT_NE(check.out.find("1 keys"), std::string::npos) << check.out;
}

}  // namespace
}  // namespace llmux::test

namespace llmux::test {
namespace {

// Cross-dialect: clients in either dialect reach backends in any dialect.
struct DialectPair {
  std::string client;   // "openai" or "anthropic"
  std::string backend;  // sim --dialect
};

class GatewayDialects : public ::testing::TestWithParam<DialectPair> {};

TEST_P(GatewayDialects, StreamedAndWholeAnswersTranslate) {
  const auto& p = GetParam();
  SimProcess sim({"--ttft", "2ms", "--itl", "1ms", "--dialect", p.backend});
  TempDir dir;
  GatewayProcess gw(dir, deployment("b", sim.url(), "dialect = \"" + p.backend + "\"") + route("chat", {"b"}));
  std::string path = p.client == "anthropic" ? "/messages" : "/chat/completions";
  for (bool stream : {false, true}) {
    json body = {{"model", "chat"}, {"max_tokens", 5}, {"stream", stream},
                 {"messages", {{{"role", "user"}, {"content", "how fast is it"}}}}};
    if (p.client == "openai" && stream) body["stream_options"] = {{"include_usage", true}};
    auto r = http_request("POST", gw.url() + path, body.dump());
    ASSERT_EQ(r.status, 200) << p.client << "<-" << p.backend << ": " << r.body;
    if (p.client == "anthropic" && stream) {
      for (const char* ev : {"event: message_start", "event: content_block_start", "event: content_block_delta",
                             "event: content_block_stop", "event: message_delta", "event: message_stop"})
        EXPECT_NE(r.body.find(ev), std::string::npos) << ev << " missing:\n" << r.body;
      EXPECT_NE(r.body.find("\"output_tokens\":5"), std::string::npos) << r.body;
      EXPECT_NE(r.body.find("\"stop_reason\":\"max_tokens\""), std::string::npos) << r.body;
    } else if (p.client == "anthropic") {
      auto j = json::parse(r.body);
      EXPECT_EQ(j["type"], "message");
      EXPECT_EQ(j["stop_reason"], "max_tokens");
      EXPECT_EQ(j["usage"]["output_tokens"], 5);
    } else if (stream) {
      EXPECT_NE(r.body.find("\"finish_reason\":\"length\""), std::string::npos) << r.body;
      EXPECT_NE(r.body.find("\"completion_tokens\":5"), std::string::npos) << r.body;
      EXPECT_NE(r.body.find("data: [DONE]"), std::string::npos);
    } else {
      auto j = json::parse(r.body);
      EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
      EXPECT_EQ(j["usage"]["completion_tokens"], 5);
    }
  }
  // OpenTelemetry's name for the provider: the API spoken when no preset names it.
  std::string provider = p.backend == "gemini" ? "gcp.gemini" : p.backend;
  EXPECT_NE(gw.metrics().find("gen_ai_provider_name=\"" + provider + "\""), std::string::npos) << gw.metrics();
}

INSTANTIATE_TEST_SUITE_P(Pairs, GatewayDialects,
                         ::testing::Values(DialectPair{"openai", "openai"}, DialectPair{"openai", "anthropic"},
                                           DialectPair{"openai", "gemini"}, DialectPair{"openai", "ollama"},
                                           DialectPair{"anthropic", "openai"}, DialectPair{"anthropic", "anthropic"},
                                           DialectPair{"anthropic", "gemini"}, DialectPair{"anthropic", "ollama"}),
                         [](const auto& info) { return info.param.client + "_from_" + info.param.backend; });

}  // namespace
}  // namespace llmux::test

namespace llmux::test {
namespace {

TEST(GatewayAdmin, OffByDefaultAuthenticatedWhenOnAndManagesKeys) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  {
    TempDir dir;
    GatewayProcess off(dir, deployment("local", sim.url()) + route("chat", {"local"}));
    EXPECT_EQ(http_request("POST", off.url().substr(0, off.url().size() - 3) + "/admin/reload").status, 404);
  }
  TempDir dir;
  GatewayProcess gw(dir, "[admin]\nenabled = true\nkey_env = \"LLMUX_TEST_ADMIN\"\n" + deployment("local", sim.url()) +
                             route("chat", {"local"}),
                    {"LLMUX_TEST_ADMIN=admin-secret"});
  std::string root = gw.url().substr(0, gw.url().size() - 3);
  EXPECT_EQ(http_request("POST", root + "/admin/reload").status, 401);
  EXPECT_EQ(http_request("POST", root + "/admin/reload", "", {"Authorization: Bearer admin-secret"}).status, 200);
  auto get_reload = http_request("GET", root + "/admin/reload", "", {"Authorization: Bearer admin-secret"});
  EXPECT_EQ(get_reload.status, 405) << get_reload.body;
  EXPECT_EQ(get_reload.headers["allow"], "POST");
  EXPECT_NE(gw.process().out().find("admin endpoints: on (/admin/..., key from $LLMUX_TEST_ADMIN)"), std::string::npos)
      << gw.process().out();
  auto created = http_request("POST", root + "/admin/keys", R"({"id":"app","routes":["chat"]})",
                              {"Authorization: Bearer admin-secret"});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string key = json::parse(created.body)["key"];
  EXPECT_EQ(read_file(gw.config_path()).find(key), std::string::npos) << "only the hash is stored";
  // With a key configured, requests need it.
  EXPECT_EQ(gw.chat(chat_body(false)).status, 401);
  EXPECT_EQ(gw.chat(chat_body(false), {"Authorization: Bearer " + key}).status, 200);
  auto list = json::parse(http_request("GET", root + "/admin/keys", "", {"Authorization: Bearer admin-secret"}).body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], "app");
  EXPECT_EQ(http_request("POST", root + "/admin/keys", R"({"id":"app"})", {"Authorization: Bearer admin-secret"}).status, 400);
}

}  // namespace
}  // namespace llmux::test

namespace llmux::test {
namespace {

// A [[keys]] entry for a new key; its secret goes to `secret`.
// Seconds from now to the first of next month, 00:00 UTC.
long seconds_to_next_month_utc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_mon += 1;
  return static_cast<long>(timegm(&tm) - now);
}

TEST(GatewayBudgets, AMonthlyLimitNamesItselfAndRetriesAfterTheMonth) {
  SimProcess cloud({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  std::string secret;
  // A request reserves ~21 tokens at $10000/1M ($0.21): a few fit in $0.80, then none does.
  GatewayProcess gw(dir, deployment("cloud", cloud.url(), "locality = \"cloud\"\nprice_input = 10000.0\nprice_output = 10000.0") +
                             route("cloudonly", {"cloud"}) + key_entry("kb", "ta", secret) +
                             "[[budgets]]\nteam = \"ta\"\nusd_per_month = 0.8\n");
  json body = {{"model", "cloudonly"}, {"messages", {{{"role", "user"}, {"content", "hello"}}}}, {"max_tokens", 5}};
  HttpResult r;
  for (int i = 0; i < 20; ++i) {
    r = gw.chat(body.dump(), {"Authorization: Bearer " + secret});
    if (r.status != 200) break;
  }
  ASSERT_EQ(r.status, 429) << r.body;
  EXPECT_NE(r.body.find("team:ta: monthly budget $0.8000"), std::string::npos) << r.body;
  long expected = seconds_to_next_month_utc();
  long retry_after = std::stol(r.headers["retry-after"]);
  EXPECT_GE(retry_after, expected - 5) << "the end of the UTC month, not of the day";
  EXPECT_LE(retry_after, expected + 5);
}

TEST(GatewayCli, ConfigCheckListsEveryPrivacyProblemInLineOrder) {
  TempDir dir;
  write_file(dir.file("p.toml"), "[server]\nprot = 1\n"                                         // 1-2
                                 "[privacy]\ncolour = 1\ndetectors = [\"emial\"]\n"            // 3-5
                                 "restore = \"yes\"\n[privacy.actions]\niban = \"mask\"\n");   // 6-8
  auto r = run({binary(), "config", "check", dir.file("p.toml")});
  EXPECT_EQ(r.status, 2);
  std::vector<std::string> in_order = {"p.toml:2: server: unknown key 'prot'", "p.toml:4: unknown key 'colour'",
                                       "p.toml:5: unknown detector 'emial'", "p.toml:6: 'restore' must be true or false",
                                       "p.toml:8: unknown privacy action 'mask'", "5 problems found"};
  std::size_t at = 0;
  for (const auto& line : in_order) {
    auto found = r.err.find(line, at);
    ASSERT_NE(found, std::string::npos) << "'" << line << "' after offset " << at << " in:\n" << r.err;
    at = found;
  }
}

TEST(GatewayBudgets, ARequestThatCanNeverFitIsA400ThatSaysWhatToChange) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  std::string secret;
  GatewayProcess gw(dir, deployment("local", sim.url()) + route("chat", {"local"}) + key_entry("kb", "ta", secret) +
                             "[[budgets]]\nkey = \"kb\"\ntokens_per_minute = 2000\n");
  json body = {{"model", "chat"}, {"messages", {{{"role", "user"}, {"content", "hello"}}}}};  // no max_tokens: 4096
  auto r = gw.chat(body.dump(), {"Authorization: Bearer " + secret});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.headers.count("retry-after"), 0u) << "retrying cannot help";
  EXPECT_NE(r.body.find("key:kb: tokens_per_minute = 2000"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("max_tokens is unset"), std::string::npos) << r.body;
  auto at_most = r.body.find("set max_tokens to at most ");
  ASSERT_NE(at_most, std::string::npos) << r.body;
  int most = std::stoi(r.body.substr(at_most + 26));
  EXPECT_GT(most, 1900);
  EXPECT_LT(most, 2000);
  body["max_tokens"] = most;  // the advice works
  EXPECT_EQ(gw.chat(body.dump(), {"Authorization: Bearer " + secret}).status, 200);
  EXPECT_EQ(sim.stats()["requests"], 1);
}

// A key refused on /v1/models is a refused key like any other: counted (and logged).
TEST(Gateway, ARefusedKeyOnTheModelListIsCountedAndAnsweredInTheClientsShape) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  std::string secret;
  GatewayProcess gw(dir, deployment("local", sim.url()) + route("chat", {"local"}) + key_entry("kb", "ta", secret));
  EXPECT_EQ(http_request("GET", gw.url() + "/models", "", {"Authorization: Bearer " + secret}).status, 200);
  auto wrong = http_request("GET", gw.url() + "/models", "", {"Authorization: Bearer llmux-sk-wrong"});
  EXPECT_EQ(wrong.status, 401);
  auto claude = http_request("GET", gw.url() + "/models", "", {"x-api-key: nope", "anthropic-version: 2023-06-01"});
  EXPECT_EQ(claude.status, 401);
  EXPECT_EQ(json::parse(claude.body)["error"]["type"], "authentication_error") << "in Anthropic's shape: " << claude.body;
  EXPECT_EQ(json::parse(claude.body)["type"], "error") << claude.body;
  auto m = gw.metrics();
  EXPECT_EQ(metric(m, "llmux_requests_total{route=\"\",deployment=\"\",status=\"401\"}"), 2) << m;
}

TEST(GatewayCli, ConfigCheckSummarisesPrivacyAndWarnsOfRoutesThatCanOnlyRefuseLocalOnlyData) {
  TempDir dir;
  std::string config = "[privacy]\ndetectors = [\"email\", \"credit_card\", \"secret\"]\n"
                       "[privacy.actions]\ncredit_card = \"local-only\"\nsecret = \"block\"\nemail = \"redact\"\n"
                       "[[privacy.patterns]]\nname = \"project_codename\"\nkeywords = [\"PROJECT-ABCD\"]\n"
                       "action = \"local-only\"\n" +
                       deployment("cloud", "https://api.example.com/v1", "locality = \"cloud\"") +
                       deployment("local", "http://127.0.0.1:1/v1", "locality = \"local\"") +
                       route("chat", {"cloud", "local"});
  int cloudonly_line = static_cast<int>(std::count(config.begin(), config.end(), '\n')) + 1;
  config += route("cloudonly", {"cloud"});
  write_file(dir.file("gw.toml"), config);
  auto r = run({binary(), "config", "check", dir.file("gw.toml")});
  EXPECT_EQ(r.status, 0) << "a warning, not a problem: " << r.err;
  EXPECT_NE(r.out.find("  privacy: 3 detectors (email, credit_card, secret), 1 patterns (project_codename); block: secret; "
                       "local-only: credit_card, project_codename; redact: email (restored in answers); others: allow\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("gw.toml:" + std::to_string(cloudonly_line) +
                       ": warning: route 'cloudonly' has no local deployment: a request on it that carries credit_card, "
                       "project_codename (local-only) can only be refused (503)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("route 'chat'"), std::string::npos) << "chat has a local deployment: " << r.err;
}

}  // namespace
}  // namespace llmux::test
