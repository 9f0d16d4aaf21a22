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

struct LedgerRowSeen {
  int status = 0;
  std::string error_kind, route;
  long long completion_tokens = -1, prompt_tokens = -1;
  double ttft_ms = -1;
};

// The ledger's rows, oldest first (read after the gateway stopped: a graceful stop commits).
std::vector<LedgerRowSeen> ledger_rows(const std::string& path) {
  std::vector<LedgerRowSeen> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT status, error_kind, route, completion_tokens, ttft_ms, prompt_tokens FROM requests ORDER BY rowid", -1,
                     &st, nullptr);
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    LedgerRowSeen r;
    r.status = sqlite3_column_int(st, 0);
    auto text = [&](int i) {
      auto* p = sqlite3_column_text(st, i);
      return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
    };
    r.error_kind = text(1);
    r.route = text(2);
    r.completion_tokens = sqlite3_column_int64(st, 3);
    r.ttft_ms = sqlite3_column_double(st, 4);
    r.prompt_tokens = sqlite3_column_int64(st, 5);
    out.push_back(r);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
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

TEST(GatewayLimits, AQueuedClientThatLeavesFreesItsPlaceAndOneStillQueuedAtTheDeadlineGetsA504) {
  SimProcess sim({"--ttft", "100ms", "--itl", "400ms"});
  TempDir dir;
  GatewayProcess gw(dir, deployment("q", sim.url(), "ignore_eos = true\nmax_concurrent = 1\nmax_queue = 1") +
                             route("chat", {"q"}, "retries = 0"),
                    {}, "request_timeout = \"1500ms\"");
  // A holds the one slot for ~3.7 s (its stream started before the deadline, so it runs on).
  std::thread a([&] { gw.chat(chat_body(true, 10)); });
  for (int i = 0; i < 200 && metric(gw.metrics(), R"(llmux_in_flight_requests{deployment="q"})") != 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // C takes the one place in the queue, waits 300 ms for an answer and leaves.
  EXPECT_EQ(http_read_then_disconnect(gw.url() + "/chat/completions", chat_body(false, 3), 1, 300), "");
  for (int i = 0; i < 200 && metric(gw.metrics(), R"(llmux_requests_total{route="chat",deployment="q",status="499"})") != 1;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(metric(gw.metrics(), R"(llmux_requests_total{route="chat",deployment="q",status="499"})"), 1)
      << "the client that left is accounted at once, not at its deadline";
  // D finds the place C left (not "queue full": 503), waits, and at request_timeout gets a 504.
  auto d = gw.chat(chat_body(false, 3));
  EXPECT_EQ(d.status, 504) << d.body;
  EXPECT_NE(d.body.find("queued for deployment q"), std::string::npos) << d.body;
  a.join();
}

TEST(GatewayLimits, EmbeddingsKeepTheDeploymentsTimeoutAndSayTimeoutAs504) {
  CannedServer silent = CannedServer::silent();
  TempDir dir;
  GatewayProcess gw(dir, deployment("silent", silent.url(), "timeout = \"1s\"") + route("embed", {"silent"}));
  auto r = http_request("POST", gw.url() + "/embeddings", R"({"model":"embed","input":"hello"})", {}, 20000);
  EXPECT_EQ(r.status, 504) << r.body;
  EXPECT_NE(r.body.find("silent"), std::string::npos) << "names the deployment: " << r.body;
}

TEST(GatewayLimits, EmbeddingsAreBoundedByRequestTimeoutAndCancelledWhenTheClientLeaves) {
  CannedServer hang([](const std::string&) { return CannedServer::kHang; });
  const std::string body = R"({"model":"embed","input":"hello"})";
  TempDir dir;
  {
    GatewayProcess gw(dir, deployment("hang", hang.url(), "timeout = \"60s\"") + route("embed", {"hang"}), {},
                      "request_timeout = \"1s\"");
    auto r = http_request("POST", gw.url() + "/embeddings", body, {}, 20000);
    EXPECT_EQ(r.status, 504) << r.body;
    EXPECT_NE(r.body.find("request_timeout (1.00 s) passed while waiting on deployment hang"), std::string::npos)
        << r.body;
  }
  TempDir dir2;
  GatewayProcess gw(dir2, deployment("hang", hang.url(), "timeout = \"60s\"") + route("embed", {"hang"}));
  EXPECT_EQ(http_read_then_disconnect(gw.url() + "/embeddings", body, 1, 300), "");
  const std::string gone = R"(llmux_requests_total{route="embed",deployment="hang",status="499"})";
  for (int i = 0; i < 200 && metric(gw.metrics(), gone) != 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto m = gw.metrics();
  EXPECT_EQ(metric(m, gone), 1) << "the upstream wait ended when the client left, not at its 60 s timeout: " << m;
  EXPECT_EQ(metric(m, R"(llmux_in_flight_requests{deployment="hang"})"), 0) << m;
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

TEST(GatewayLimits, AHugeUnknownModelNameGetsASmallA404AndABoundedLedgerRow) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  {
    GatewayProcess gw(dir, deployment("local", sim.url()) + route("chat", {"local"}), {}, "max_body_bytes = \"4MiB\"");
    std::string name(1u << 20, 'x');
    auto r = gw.chat(json{{"model", name}, {"messages", {{{"role", "user"}, {"content", "x"}}}}}.dump());
    EXPECT_EQ(r.status, 404);
    EXPECT_LT(r.body.size(), 2048u) << "the name is not echoed whole";
    EXPECT_NE(r.body.find("1048576 bytes"), std::string::npos) << r.body.substr(0, 600);
    auto near = gw.chat(json{{"model", "caht"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}}.dump());
    EXPECT_NE(near.body.find("did you mean: chat"), std::string::npos) << near.body;
  }
  auto rows = ledger_rows(dir.file("ledger.db"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_LT(rows[0].route.size(), 300u);
}

TEST(GatewayLimits, TheLedgerCountsWhatACutStreamDeliveredAndAClientThatLeftIs499) {
  SimProcess cut({"--ttft", "5ms", "--itl", "2ms", "--cut-rate", "1", "--cut-after", "3"});
  SimProcess slow({"--ttft", "5ms", "--itl", "100ms"});
  TempDir dir;
  {
    GatewayProcess gw(dir, deployment("cut", cut.url()) + deployment("slow", slow.url()) + route("chat", {"cut"}) +
                               route("long", {"slow"}));
    auto r = gw.chat(chat_body(true, 10));
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("mid-stream"), std::string::npos) << r.body;
    auto body = json::parse(chat_body(true, 200));
    body["model"] = "long";
    auto got = http_read_then_disconnect(gw.url() + "/chat/completions", body.dump(), 600);
    EXPECT_FALSE(got.empty());
    for (int i = 0; i < 100 && slow.stats()["client_gone"] != 1; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto rows = ledger_rows(dir.file("ledger.db"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].status, 200);
  EXPECT_EQ(rows[0].error_kind, "upstream_stream_cut_mid_stream");
  EXPECT_EQ(rows[0].completion_tokens, 3) << "the three tokens the client got";
  EXPECT_GT(rows[0].ttft_ms, 0);
  EXPECT_EQ(rows[1].status, 499);
  EXPECT_EQ(rows[1].error_kind, "client_gone");
  EXPECT_GT(rows[1].completion_tokens, 0) << "the tokens it got before it left";
  EXPECT_GT(rows[1].prompt_tokens, 0) << "leaving before the usage chunk does not make the prompt free";
  EXPECT_GT(rows[1].ttft_ms, 0);
}

TEST(GatewayLimits, AStopWhoseGraceRunsOutAnswersEveryRequestAndLedgersIt) {
  SimProcess slow({"--ttft", "50ms", "--itl", "200ms"});
  TempDir dir;
  HttpResult whole, stream;
  {
    GatewayProcess gw(dir, deployment("slow", slow.url(), "ignore_eos = true") + route("chat", {"slow"}), {},
                      "shutdown_grace = \"1s\"");
    std::thread a([&] { whole = gw.chat(chat_body(false, 100)); });   // ~20 s of work
    std::thread b([&] { stream = gw.chat(chat_body(true, 100)); });
    for (int i = 0; i < 300 && metric(gw.metrics(), R"(llmux_in_flight_requests{deployment="slow"})") != 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the stream has begun
    gw.process().signal(SIGTERM);
    a.join();
    b.join();
    EXPECT_EQ(gw.process().wait(), 0);
    EXPECT_NE(gw.process().err().find("2 request(s) still running when the stop's grace period ended"), std::string::npos)
        << gw.process().err();
  }
  EXPECT_EQ(whole.status, 503) << whole.body;
  EXPECT_NE(whole.body.find("shutting down"), std::string::npos) << whole.body;
  EXPECT_EQ(stream.status, 200);
  EXPECT_NE(stream.body.find("shutting down"), std::string::npos) << "an error event, not a silent cut: " << stream.body;
  EXPECT_NE(stream.body.find("data: [DONE]"), std::string::npos) << stream.body;
  auto rows = ledger_rows(dir.file("ledger.db"));
  ASSERT_EQ(rows.size(), 2u) << "a row for each, the graceful stop committed them";
  for (const auto& r : rows) EXPECT_EQ(r.error_kind, "shutdown");
}

TEST(GatewayLimits, AnUpstreamThatClosesBeforeItsAnswerIsACutNotAConnectError) {
  SimProcess cut({"--ttft", "5ms", "--itl", "1ms", "--cut-rate", "1", "--cut-after", "0"});
  TempDir dir;
  GatewayProcess gw(dir, deployment("cut", cut.url()) + route("chat", {"cut"}, "retries = 0"));
  auto r = gw.chat(chat_body(false, 5));
  EXPECT_EQ(r.status, 502) << r.body;
  auto m = gw.metrics();
  EXPECT_EQ(metric(m, R"(llmux_upstream_errors_total{deployment="cut",kind="stream_cut"})"), 1) << m;
  EXPECT_EQ(metric(m, R"(llmux_upstream_errors_total{deployment="cut",kind="connect"})"), 0) << m;
}

TEST(GatewayLimits, AClientPastMaxConnectionsGetsA503WithAnErrorBodyAndRetryAfter) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  GatewayProcess gw(dir, deployment("local", sim.url()) + route("chat", {"local"}), {}, "max_connections = 1");
  std::string path, hostport;
  int held = connect_loopback(gw.url(), path, hostport);  // the one connection allowed, kept open
  ASSERT_GE(held, 0);
  auto r = gw.chat(chat_body(false, 3));
  close(held);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers["retry-after"], "1");
  auto j = json::parse(r.body, nullptr, false);
  ASSERT_TRUE(j.is_object() && j["error"].is_object()) << "an error body, not an empty one: '" << r.body << "'";
  EXPECT_NE(j["error"]["message"].get<std::string>().find("connection limit"), std::string::npos) << r.body;
}

TEST(GatewayLimits, MaxConnectionsIsLoweredToFitTheDescriptorLimitAndSaysSo) {
  SimProcess sim({"--ttft", "1ms", "--itl", "1ms"});
  TempDir dir;
  write_file(dir.file("gw.toml"), "[server]\nport = 0\n[ledger]\nenabled = false\n[log]\naccess = \"off\"\n" +
                                      deployment("local", sim.url()) + route("chat", {"local"}));
  Process gw({"/bin/sh", "-c", "ulimit -n 256 && exec " + binary() + " serve -f " + dir.file("gw.toml")});
  std::string url;
  while (auto line = gw.read_line())
    if (auto p = line->find("listening on "); p != std::string::npos) {
      url = line->substr(p + 13);
      break;
    }
  ASSERT_FALSE(url.empty()) << gw.err();
  EXPECT_NE(gw.err().find("max_connections 20000 lowered to 96"), std::string::npos) << gw.err();
  EXPECT_EQ(http_request("POST", url + "/chat/completions", chat_body(false, 2)).status, 200);
  gw.signal(SIGTERM);
  gw.wait();
}

}  // namespace
}  // namespace llmux::test
