// The gateway's deadlines, limits and accounting under faults, run as the built binary
// against sims and silent listeners on loopback: request_timeout while an upstream
// answers, per-deployment timeouts on embeddings, configs that route nothing, huge
// model names, the ledger of cut and abandoned streams, the connection limit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/canned_server.hpp"
#include "e2e/e2e_support.hpp"
#include "gateway/gateway_fixture.hpp"
#include "support/loopback_socket.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;

std::string chat_body(bool stream, int max_tokens) {
  return json{{"model", "chat"},
              {"messages", {{{"role", "user"}, {"content", "how fast is it"}}}},
              {"max_tokens", max_tokens},
              {"ignore_eos", true},
              {"stream", stream}}
      .dump();
}

TEST(GatewayLimits, RequestTimeoutIsA504WhileAnUpstreamIsSlowOrSilentAndTheStreamThatStartedRunsOn) {
  SimProcess slow({"--ttft", "500ms", "--itl", "300ms"});
  CannedServer silent = CannedServer::silent();
  TempDir dir;
  GatewayProcess gw(dir,
                    deployment("slow", slow.url(), "ignore_eos = true") + deployment("silent", silent.url()) +
                        route("chat", {"slow"}, "retries = 0") + route("quiet", {"silent"}, "retries = 0"),
                    {}, "request_timeout = \"2s\"");
  // 20 tokens: over 6 s of work. The client gets its 504 at the deadline.
  auto whole = gw.chat(chat_body(false, 20));
  EXPECT_EQ(whole.status, 504) << whole.body;
  auto j = json::parse(whole.body, nullptr, false);
  ASSERT_TRUE(j.is_object() && j["error"].is_object()) << "OpenAI's error shape: " << whole.body;
  EXPECT_NE(j["error"]["message"].get<std::string>().find("request_timeout"), std::string::npos) << whole.body;
  EXPECT_EQ(metric(gw.metrics(), R"(llmux_in_flight_requests{deployment="slow"})"), 0)
      << "the upstream request was let go at the deadline";

  // A listener that accepts and never answers: the same 504, in Anthropic's shape on /v1/messages.
  auto quiet = http_request("POST", gw.url() + "/messages",
                            R"({"model":"quiet","max_tokens":5,"messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(quiet.status, 504) << quiet.body;
  auto a = json::parse(quiet.body, nullptr, false);
  EXPECT_TRUE(a.is_object() && a.value("type", "") == "error") << quiet.body;

  // A stream whose first token came before the deadline runs to its end (docs/gateway.md).
  auto stream = gw.chat(chat_body(true, 8));  // 2.6 s, its first token at 0.5 s
  EXPECT_EQ(stream.status, 200);
  EXPECT_NE(stream.body.find("data: [DONE]"), std::string::npos) << stream.body;
  EXPECT_EQ(stream.body.find("\"error\""), std::string::npos) << stream.body;
}

TEST(GatewayLimits, AConfigThatRoutesNothingIsRefusedByCheckAndByReload) {
  TempDir dir;
  write_file(dir.file("empty.toml"), "");
  auto empty = run({binary(), "config", "check", dir.file("empty.toml")});
  EXPECT_EQ(empty.status, 2) << empty.out;
  EXPECT_NE(empty.err.find("no [[deployments]]"), std::string::npos) << empty.err;
  EXPECT_NE(empty.err.find("no [[routes]]"), std::string::npos) << empty.err;
  auto directory = run({binary(), "config", "check", dir.path()});
  EXPECT_EQ(directory.status, 2) << directory.out;
  EXPECT_NE(directory.err.find("is a directory"), std::string::npos) << directory.err;

  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  GatewayProcess gw(dir, deployment("local", sim.url()) + route("chat", {"local"}));
  write_file(gw.config_path(), "");  // `: > llmux.toml` while serving
  gw.process().signal(SIGHUP);
  for (int i = 0; i < 100 && gw.process().err().find("no [[routes]]") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_NE(gw.process().err().find("no [[routes]]"), std::string::npos) << gw.process().err();
  EXPECT_EQ(gw.chat(chat_body(false, 3)).status, 200) << "the running config stayed";
}

}  // namespace
}  // namespace llmux::test
