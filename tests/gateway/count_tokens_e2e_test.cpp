// POST /v1/messages/count_tokens through the running gateway, as Anthropic clients
// (Claude Code among them) call it to size their context: exact from Anthropic
// deployments, an estimate marked as such from the others, under the privacy policy,
// and no ledger row.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/canned_server.hpp"
#include "e2e/e2e_support.hpp"
#include "gateway/gateway_fixture.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;

json conversation(const std::string& model, const std::string& text) {
  return {{"model", model},
          {"system", "You answer in one line."},
          {"messages", {{{"role", "user"}, {"content", text}}, {{"role", "assistant"}, {"content", "Which one?"}},
                        {{"role", "user"}, {"content", "The first, please."}}}}};
}

HttpResult count(const GatewayProcess& gw, const json& body, std::vector<std::string> headers = {}) {
  headers.push_back("anthropic-version: 2023-06-01");
  return http_request("POST", gw.url() + "/messages/count_tokens", body.dump(), headers);
}

// The usage of message_start and of message_delta in an Anthropic stream.
std::pair<json, json> stream_usage(const std::string& sse) {
  json start, delta;
  for (std::size_t pos = 0; (pos = sse.find("data: {", pos)) != std::string::npos;) {
    auto end = sse.find('\n', pos);
    auto e = json::parse(sse.substr(pos + 6, end - pos - 6), nullptr, false);
    pos = end;
    if (!e.is_object()) continue;
    if (e["type"] == "message_start") start = e["message"]["usage"];
    if (e["type"] == "message_delta") delta = e["usage"];
  }
  return {start, delta};
}

TEST(CountTokens, AnthropicDeploymentsCountExactlyAndTheOthersGetAMarkedEstimate) {
  SimProcess anthropic({"--dialect", "anthropic", "--ttft", "1ms", "--itl", "1ms", "--record"});
  SimProcess openai({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  {
    GatewayProcess gw(dir, deployment("anth", anthropic.url(), "dialect = \"anthropic\"") + deployment("loc", openai.url()) +
                               route("claude", {"anth"}) + route("local", {"loc"}));
    json body = conversation("claude", "Name three rivers of Europe and their lengths in kilometres.");
    auto exact = count(gw, body);
    ASSERT_EQ(exact.status, 200) << exact.body;
    EXPECT_EQ(exact.headers.count("llmux-token-count"), 0u) << "the upstream's own count";
    auto counted = json::parse(exact.body);
    ASSERT_TRUE(counted.contains("input_tokens")) << exact.body;
    // The same conversation as a message: the count is what the answer's usage reports.
    json ask = body;
    ask["max_tokens"] = 3;
    auto answer = http_request("POST", gw.url() + "/messages", ask.dump());
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(counted["input_tokens"], json::parse(answer.body)["usage"]["input_tokens"]) << answer.body;
    auto received = json::parse(http_get(anthropic.root() + "/sim/received"));
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(json::parse(received[0].get<std::string>())["model"], "m-anth") << "the deployment's model went upstream";

    // An OpenAI-dialect deployment has no count: the gateway's estimate, said to be one,
    // and the same figure an Anthropic stream from it starts with before the exact count.
    json local = conversation("local", "Name three rivers of Europe and their lengths in kilometres.");
    auto estimate = count(gw, local);
    ASSERT_EQ(estimate.status, 200) << estimate.body;
    EXPECT_EQ(estimate.headers["llmux-token-count"], "estimate");
    auto estimated = json::parse(estimate.body)["input_tokens"].get<int>();
    EXPECT_GT(estimated, 10) << "three messages and a system prompt are not free";
    EXPECT_LT(estimated, 200);
    json streamed = local;
    streamed["max_tokens"] = 3;
    streamed["stream"] = true;
    auto s = http_request("POST", gw.url() + "/messages", streamed.dump());
    ASSERT_EQ(s.status, 200) << s.body;
    auto [start, delta] = stream_usage(s.body);
    EXPECT_EQ(start["input_tokens"], estimated) << s.body;
    EXPECT_NE(delta["input_tokens"], estimated) << "the upstream's count replaces the estimate at the end: " << s.body;
    EXPECT_GT(delta["input_tokens"].get<int>(), 0) << s.body;
    EXPECT_EQ(delta["output_tokens"], 3) << s.body;
    auto m = gw.metrics();
    EXPECT_EQ(metric(m, "gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name=\"count_tokens\","
                        "gen_ai_provider_name=\"anthropic\",gen_ai_request_model=\"claude\",gen_ai_response_model=\"m-anth\","
                        "llmux_deployment=\"anth\"}"),
              1)
        << m;
  }  // a graceful stop commits the ledger
  auto u = run({binary(), "usage", "--ledger", dir.file("ledger.db"), "--by", "route", "--format", "json"});
  ASSERT_EQ(u.status, 0) << u.err;
  auto rows = json::parse(u.out);
  int requests = 0;
  for (const auto& r : rows) requests += r["requests"].get<int>();
  EXPECT_EQ(requests, 2) << "the two messages; counting uses no tokens: " << u.out;
}

TEST(CountTokens, BadRequestsGetAnthropicErrorsAndAFailedUpstreamIsNotAZero) {
  SimProcess openai({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, deployment("down", "http://127.0.0.1:1/v1", "dialect = \"anthropic\"") +
                             deployment("loc", openai.url()) + route("claude", {"down"}) +
                             route("either", {"down", "loc"}, "strategy = \"priority\""));
  auto is_anthropic_error = [](const HttpResult& r, const std::string& type) {
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j["type"] == "error" && j["error"]["type"] == type;
  };
  auto not_json = http_request("POST", gw.url() + "/messages/count_tokens", "{\"model\": \"claude\", \"messages\": [");
  EXPECT_EQ(not_json.status, 400) << not_json.body;
  EXPECT_TRUE(is_anthropic_error(not_json, "invalid_request_error")) << not_json.body;
  auto no_messages = count(gw, json{{"model", "claude"}});
  EXPECT_EQ(no_messages.status, 400);
  EXPECT_NE(no_messages.body.find("messages"), std::string::npos) << no_messages.body;
  auto unknown = count(gw, conversation("claud", "x"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(is_anthropic_error(unknown, "not_found_error")) << unknown.body;
  EXPECT_NE(unknown.body.find("claude"), std::string::npos) << "the nearest alias: " << unknown.body;
  auto get = http_request("GET", gw.url() + "/messages/count_tokens");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.headers["allow"], "POST");
  // Claude Code falls back to its own count on an error, but trusts a 200: a deployment
  // that cannot count is an error, never {"input_tokens": 0}.
  auto failed = count(gw, conversation("claude", "hello"));
  EXPECT_EQ(failed.status, 502) << failed.body;
  EXPECT_TRUE(is_anthropic_error(failed, "api_error")) << failed.body;
  EXPECT_NE(failed.body.find("down"), std::string::npos) << "which deployment failed: " << failed.body;
  // With a deployment after it, as chat would fall back to it: its estimate.
  auto fell_back = count(gw, conversation("either", "hello"));
  EXPECT_EQ(fell_back.status, 200) << fell_back.body;
  EXPECT_EQ(fell_back.headers["llmux-token-count"], "estimate");
}

TEST(CountTokens, KeysAndThePrivacyPolicyApply) {
  SimProcess cloud({"--dialect", "anthropic", "--record"});
  SimProcess local({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  std::string secret;
  std::string keys = key_entry("team-a", "a", secret);
  GatewayProcess gw(dir,
                    "[privacy]\ndetectors = [\"email\", \"credit_card\"]\n[privacy.actions]\nemail = \"redact\"\n"
                    "credit_card = \"local-only\"\n" +
                        keys + deployment("cloud", cloud.url(), "dialect = \"anthropic\"\nlocality = \"cloud\"") +
                        deployment("local", local.url(), "locality = \"local\"") + route("chat", {"cloud", "local"}) +
                        route("cloud-only", {"cloud"}));
  auto anonymous = count(gw, conversation("chat", "hello"));
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  std::vector<std::string> auth = {"x-api-key: " + secret};
  // A card number must stay local: counted by the local deployment's estimate, the
  // cloud never sees it; with no local deployment, a 503 and still nothing sent.
  auto card = count(gw, conversation("chat", "charge 4539 1488 0343 6467 today"), auth);
  EXPECT_EQ(card.status, 200) << card.body;
  EXPECT_EQ(card.headers["llmux-token-count"], "estimate");
  auto kept = count(gw, conversation("cloud-only", "charge 4539 1488 0343 6467 today"), auth);
  EXPECT_EQ(kept.status, 503) << kept.body;
  EXPECT_EQ(kept.body.find("4539"), std::string::npos) << kept.body;
  // A card split across two text parts is found as chat finds it, in the parts read
  // together: it stays local too.
  json split = conversation("cloud-only", "");
  split["messages"][0]["content"] = json::array({{{"type", "text"}, {"text", "card 4539 1488 "}},
                                                  {{"type", "text"}, {"text", "0343 6467 today"}}});
  auto split_card = count(gw, split, auth);
  EXPECT_EQ(split_card.status, 503) << split_card.body;
  auto received = json::parse(http_get(cloud.root() + "/sim/received"));
  EXPECT_TRUE(received.empty()) << received.dump();
  // An email is redacted: the cloud counts the placeholder.
  auto mail = count(gw, conversation("chat", "write to jane.doe@example.com"), auth);
  EXPECT_EQ(mail.status, 200) << mail.body;
  EXPECT_EQ(mail.headers.count("llmux-token-count"), 0u) << "counted by the cloud deployment";
  received = json::parse(http_get(cloud.root() + "/sim/received"));
  ASSERT_EQ(received.size(), 1u);
  auto sent = received[0].get<std::string>();
  EXPECT_EQ(sent.find("example.com"), std::string::npos) << sent;
  EXPECT_NE(sent.find("<EMAIL_1>"), std::string::npos) << sent;
}

// An image's pixels are not text: chat does not scan them, nor does the count (their
// randomness passes for a secret now and then), and a redacted count keeps them intact.
TEST(CountTokens, ImagesPixelsAreLeftAloneAsChatLeavesThem) {
  SimProcess cloud({"--dialect", "anthropic", "--ttft", "1ms", "--itl", "1ms", "--record"});
  TempDir dir;
  GatewayProcess gw(dir, "[privacy]\ndetectors = [\"secret\", \"email\"]\n[privacy.actions]\nsecret = \"block\"\nemail = \"redact\"\n" +
                             deployment("cloud", cloud.url(), "dialect = \"anthropic\"\nlocality = \"cloud\"") +
                             route("claude", {"cloud"}));
  std::string pixels = "iVBORw0KGgo/AKIA2OGYBAH6STMJ5ZXQ+AAAAAElFTkSuQmCC";
  json image = {{"type", "image"}, {"source", {{"type", "base64"}, {"media_type", "image/png"}, {"data", pixels}}}};
  json body = {{"model", "claude"},
               {"messages", {{{"role", "user"}, {"content", {image, {{"type", "text"}, {"text", "mail it to jane.doe@example.com"}}}}}}}};
  json message = body;
  message["max_tokens"] = 3;
  EXPECT_EQ(http_request("POST", gw.url() + "/messages", message.dump()).status, 200) << "chat does not scan pixels";
  auto counted = count(gw, body);
  EXPECT_EQ(counted.status, 200) << "nor does the count: " << counted.body;
  auto received = json::parse(http_get(cloud.root() + "/sim/received"));
  ASSERT_EQ(received.size(), 2u);
  auto sent = json::parse(received[1].get<std::string>());
  EXPECT_EQ(sent["messages"][0]["content"][0]["source"]["data"], pixels) << "the pixels go on as they were";
  EXPECT_EQ(sent["messages"][0]["content"][1]["text"], "mail it to <EMAIL_1>");
  // A secret in the text is still a secret.
  body["messages"][0]["content"][1]["text"] = "key AKIA2OGYBAH6STMJ5ZXQ";
  EXPECT_EQ(count(gw, body).status, 403);
}

// A busy deployment (429) is passed over like a failed one; when none other answers,
// the client gets the 429 with its Retry-After. An answer without a count is no answer.
TEST(CountTokens, A429MovesOnAndOtherwiseKeepsItsRetryAfterAndAnAnswerMustHoldACount) {
  CannedServer busy([](const std::string&) {
    std::string body = R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})";
    return "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 7\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  });
  CannedServer countless([](const std::string&) { return CannedServer::response(200, "application/json", R"({"foo":1})"); });
  SimProcess openai({});
  TempDir dir;
  GatewayProcess gw(dir, deployment("busy", busy.url(), "dialect = \"anthropic\"") +
                             deployment("odd", countless.url(), "dialect = \"anthropic\"") + deployment("loc", openai.url()) +
                             route("busy", {"busy"}) + route("busy-then-local", {"busy", "loc"}) + route("odd", {"odd"}));
  auto only = count(gw, conversation("busy", "hello"));
  EXPECT_EQ(only.status, 429) << only.body;
  EXPECT_EQ(only.headers["retry-after"], "7");
  EXPECT_NE(only.body.find("slow down"), std::string::npos) << only.body;
  auto moved_on = count(gw, conversation("busy-then-local", "hello"));
  EXPECT_EQ(moved_on.status, 200) << moved_on.body;
  EXPECT_EQ(moved_on.headers["llmux-token-count"], "estimate");
  auto odd = count(gw, conversation("odd", "hello"));
  EXPECT_EQ(odd.status, 502) << "not a count the client would take for one: " << odd.body;
  EXPECT_NE(odd.body.find("without an input_tokens count"), std::string::npos) << odd.body;
}

// A route whose every deployment is out (its circuit open) is a 503 with Retry-After
// that says why, as chat answers it.
TEST(CountTokens, NoDeploymentAvailableIsA503ThatSaysWhy) {
  TempDir dir;
  GatewayProcess gw(dir, "[breaker]\nfailures = 1\ncooldown = \"60s\"\n" +
                             deployment("down", "http://127.0.0.1:1/v1", "dialect = \"anthropic\"") + route("claude", {"down"}));
  EXPECT_EQ(count(gw, conversation("claude", "hello")).status, 502) << "the failure that opens the circuit";
  auto r = count(gw, conversation("claude", "hello"));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.headers["retry-after"], "1");
  EXPECT_NE(r.body.find("circuit open for deployment down"), std::string::npos) << r.body;
}

// The same when the health checks took the route's only deployment out: nothing is tried.
TEST(CountTokens, ARouteWhoseDeploymentsFailedTheirHealthChecksIsA503) {
  TempDir dir;
  GatewayProcess gw(dir, deployment("down", "http://127.0.0.1:1/v1", "dialect = \"anthropic\"\nhealth_interval = \"100ms\"") +
                             route("claude", {"down"}));
  std::string ready = gw.url().substr(0, gw.url().size() - 3) + "/ready";
  for (int i = 0; i < 100 && http_request("GET", ready).status != 503; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(http_request("GET", ready).status, 503) << "the health check never failed";
  auto r = count(gw, conversation("claude", "hello"));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.headers["retry-after"], "1");
  EXPECT_NE(r.body.find("skipped down: failed its health check"), std::string::npos) << r.body;
}

// A request chat would refuse for a deployment (a part its API has no equivalent for)
// gets no estimate from it either; images and documents count in the estimate.
TEST(CountTokens, TheEstimateRefusesWhatChatWouldAndCountsImagesAndDocuments) {
  SimProcess openai({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, deployment("loc", openai.url()) + route("local", {"loc"}));
  json document = {{"type", "document"}, {"source", {{"type", "text"}, {"media_type", "text/plain"}, {"data", "x"}}}};
  json body = {{"model", "local"}, {"messages", {{{"role", "user"}, {"content", {document, {{"type", "text"}, {"text", "sum up"}}}}}}}};
  auto counted = count(gw, body);
  auto asked = body;
  asked["max_tokens"] = 5;
  auto created = http_request("POST", gw.url() + "/messages", asked.dump());
  EXPECT_EQ(created.status, 400) << created.body;
  EXPECT_EQ(counted.status, 400) << "as the message itself: " << counted.body;
  EXPECT_NE(counted.body.find("document"), std::string::npos) << counted.body;
  auto tokens = [&](const json& content) {
    json b = {{"model", "local"}, {"messages", {{{"role", "user"}, {"content", content}}}}};
    auto r = count(gw, b);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body)["input_tokens"].get<int>();
  };
  json text = {{"type", "text"}, {"text", "describe it"}};
  json image = {{"type", "image"}, {"source", {{"type", "url"}, {"url", "https://example.com/cat.png"}}}};
  EXPECT_GE(tokens(json::array({image, text})) - tokens(json::array({text})), 1000) << "an image is not free";
}

// The Anthropic sim's own count, the ground truth for the gateway's exact one.
TEST(CountTokens, TheAnthropicSimCountsAsItsMessagesReport) {
  SimProcess sim({"--dialect", "anthropic", "--ttft", "1ms", "--itl", "1ms"});
  json body = conversation("m", "How far is the Moon?");
  auto counted = http_request("POST", sim.url() + "/messages/count_tokens", body.dump());
  ASSERT_EQ(counted.status, 200) << counted.body;
  body["max_tokens"] = 2;
  auto answer = http_request("POST", sim.url() + "/messages", body.dump());
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(json::parse(counted.body)["input_tokens"], json::parse(answer.body)["usage"]["input_tokens"]);
  for (std::string bad : {"", "[1]", R"({"model":"m"})", R"({"model":"m","messages":[{"role":"user","content":7}]})"}) {
    auto r = http_request("POST", sim.url() + "/messages/count_tokens", bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_NE(r.body.find("\"type\":\"error\""), std::string::npos) << r.body;
  }
  SimProcess openai({});
  EXPECT_EQ(http_request("POST", openai.url() + "/messages/count_tokens", body.dump()).status, 404)
      << "only an Anthropic sim counts this way";
}

}  // namespace
}  // namespace llmux::test
