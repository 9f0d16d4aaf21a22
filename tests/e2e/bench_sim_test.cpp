// End to end: the built llmux binary benches the built llmux sim on loopback, and
// bench's figures agree with what the sim was told to do. Tolerances are wide
// enough for a loaded two-core machine; lower bounds are exact (a client cannot
// see a token before the server sends it).
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "e2e/canned_server.hpp"
#include "e2e/e2e_support.hpp"

namespace llmux::test {
namespace {

using nlohmann::json;

const json& level(const BenchRun& b, std::size_t i = 0) { return b.result["runs"][i]["summary"]; }

TEST(BenchSim, FixedProfileTimingIsMeasuredExactly) {
  SimProcess sim({"--ttft", "80ms", "--itl", "20ms"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "--model", "m", "-c", "2", "-n", "10", "--input-tokens", "64",
                      "--output-tokens", "16"}, dir);
  ASSERT_EQ(b.status, 0) << b.err << b.out;
  const json& s = level(b);
  EXPECT_EQ(s["requests_completed"], 10);
  EXPECT_GE(s["ttft_ms"]["min"].get<double>(), 79.9);
  EXPECT_LT(s["ttft_ms"]["p50"].get<double>(), 80 + 25);
  EXPECT_GE(s["tpot_ms"]["p50"].get<double>(), 19.0);
  EXPECT_LT(s["tpot_ms"]["p50"].get<double>(), 20 + 5);
  EXPECT_NEAR(s["itl_ms"]["p50"].get<double>(), 20, 4);
  EXPECT_GE(s["e2e_ms"]["min"].get<double>(), 80 + 15 * 20 - 0.5);
  EXPECT_EQ(s["output_tokens"]["mean"].get<double>(), 16);
  EXPECT_EQ(s["output_tokens_source"], "server");
  EXPECT_EQ(s["input_tokens_source"], "server");
  EXPECT_EQ(s["output_length_match"].get<double>(), 1.0);
  EXPECT_FALSE(s["itl_apportioned"].get<bool>());
  // The prompt was calibrated against the sim's /tokenize: the server counted what was asked.
  EXPECT_TRUE(b.result["workload"]["input_calibrated"].get<bool>());
  EXPECT_NEAR(s["input_tokens"]["mean"].get<double>(), 64, 3);
  EXPECT_EQ(b.result["schema_version"], 1);
}

TEST(BenchSim, MultiTokenChunksWithServerCountsGivePerTokenItl) {
  SimProcess sim({"--ttft", "30ms", "--itl", "15ms", "--tokens-per-chunk", "3", "--annotate"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "-c", "1", "-n", "4", "--output-tokens", "12"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  const json& s = level(b);
  EXPECT_NEAR(s["itl_ms"]["p50"].get<double>(), 15, 3);
  EXPECT_NEAR(s["inter_chunk_ms"]["p50"].get<double>(), 45, 6);
  EXPECT_FALSE(s["itl_apportioned"].get<bool>());
  // The annotated chunks carry the sim's write time: bench's own timing error is visible.
  ASSERT_TRUE(s.contains("timing_error_ms"));
  EXPECT_GE(s["timing_error_ms"]["min"].get<double>(), 0.0);
  EXPECT_LT(s["timing_error_ms"]["p50"].get<double>(), 20.0);
}

TEST(BenchSim, MultiTokenChunksWithoutCountsAreApportionedAndSaySo) {
  SimProcess sim({"--ttft", "30ms", "--itl", "10ms", "--tokens-per-chunk", "2"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "-c", "1", "-n", "3", "--output-tokens", "10"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_TRUE(level(b)["itl_apportioned"].get<bool>());
  EXPECT_NE(b.out.find("ITL apportioned"), std::string::npos);
}

TEST(BenchSim, BatchProfileStepTimesShowUp) {
  // A request that joins the batch adds its prefill to the step everyone in it waits for, so how much another
  // request's TPOT grows depends on how arrivals interleave (a loaded machine staggers them). Prefill is kept
  // small (5 ms a prompt) so that at most ~4 joins during a 9-step decode stay inside the tolerance.
  SimProcess sim({"--profile", "batch", "--decode-base", "12ms", "--decode-per-seq", "0", "--prefill-per-token",
                  "0.05ms", "--max-batch", "8"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "-c", "4", "-n", "8", "--input-tokens", "100", "--output-tokens", "10"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  const json& s = level(b);
  EXPECT_NEAR(s["tpot_ms"]["p50"].get<double>(), 12, 3);
  // First token: one step plus prefill of ~100 tokens (5 ms), maybe sharing a step with others.
  EXPECT_GE(s["ttft_ms"]["min"].get<double>(), 12.0 + 4);
  EXPECT_LT(s["ttft_ms"]["p50"].get<double>(), 12 + 4 * 5 + 25);
}

TEST(BenchSim, OpenLoopConstantRateIsHeld) {
  SimProcess sim({"--ttft", "5ms", "--itl", "1ms"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "--rate", "40", "--arrivals", "constant", "-n", "40", "--output-tokens", "5"},
                     dir);
  ASSERT_EQ(b.status, 0) << b.err;
  const json& s = level(b);
  EXPECT_EQ(s["requests_completed"], 40);
  // 40 sends 25 ms apart span 0.975 s, plus the last request's ~9 ms.
  EXPECT_NEAR(s["wall_s"].get<double>(), 0.985, 0.08);
  EXPECT_LT(s["send_lag_ms"]["p50"].get<double>(), 5.0);
  EXPECT_EQ(b.result["runs"][0]["load"]["mode"], "rate");
}

TEST(BenchSim, DurationStopsTheLevelEvenWithALargeRequestCount) {
  // -n 100000 alone would take hours here: the level must end at --duration, whichever comes first.
  SimProcess sim({"--ttft", "20ms", "--itl", "5ms"});
  TempDir dir;
  for (std::vector<std::string> load : {std::vector<std::string>{"-c", "2"}, {"--rate", "20"}}) {
    std::vector<std::string> args = {"--url", sim.url(), "--duration", "1s", "-n", "100000", "--output-tokens", "4"};
    args.insert(args.end(), load.begin(), load.end());
    auto b = run_bench(args, dir);
    ASSERT_EQ(b.status, 0) << load[0] << ": " << b.err;
    const json& s = level(b);
    EXPECT_GT(s["requests_completed"].get<int>(), 0) << load[0];
    EXPECT_LT(s["requests_completed"].get<int>(), 1000) << load[0];
    EXPECT_EQ(b.result["options"]["requests_per_level"], 100000);
    EXPECT_EQ(b.result["options"]["duration_s"].get<double>(), 1.0);
  }
}

struct FaultCase {
  std::vector<std::string> sim_args;
  std::vector<std::string> bench_args;
  std::string kind;
};

class BenchFaults : public ::testing::TestWithParam<FaultCase> {};

TEST_P(BenchFaults, EachFailureIsCountedByKindAndTheRunGoesOn) {
  const auto& c = GetParam();
  auto args = c.sim_args;
  args.insert(args.end(), {"--ttft", "10ms", "--itl", "2ms"});
  SimProcess sim(args);
  TempDir dir;
  std::vector<std::string> bench = {"--url", sim.url(), "-c", "2", "-n", "6", "--output-tokens", "8"};
  bench.insert(bench.end(), c.bench_args.begin(), c.bench_args.end());
  auto b = run_bench(bench, dir);
  EXPECT_EQ(b.status, 1) << "every request failed, so the run fails: " << b.err;
  ASSERT_TRUE(b.result.is_object()) << b.err;
  const json& s = level(b);
  EXPECT_EQ(s["requests_failed"], 6);
  EXPECT_EQ(s["errors"][c.kind], 6) << s["errors"].dump();
  EXPECT_EQ(s["ttft_ms"]["count"], 0) << "failures never enter latency figures";
  EXPECT_NE(b.out.find(c.kind), std::string::npos) << b.out;
}

INSTANTIATE_TEST_SUITE_P(
    Faults, BenchFaults,
    ::testing::Values(FaultCase{{"--error-rate", "1", "--error-status", "503"}, {}, "http_5xx"},
                      FaultCase{{"--rate-limit-rate", "1"}, {}, "http_429"},
                      FaultCase{{"--cut-rate", "1", "--cut-after", "3"}, {}, "stream_cut"},
                      FaultCase{{"--malformed-rate", "1"}, {}, "malformed"},
                      FaultCase{{"--stall-rate", "1", "--stall", "20s", "--stall-after", "2"},
                                {"--read-timeout", "300ms"}, "timeout"}),
    [](const auto& info) { return info.param.kind; });

TEST(BenchSim, AServerThatRejectsEveryRequestStopsTheRunSoon) {
  SimProcess anthropic({"--dialect", "anthropic"});  // no /v1/chat/completions: 404 to each
  TempDir dir;
  auto b = run_bench({"--url", anthropic.url(), "--model", "m", "-n", "5000", "--concurrency", "4,8"}, dir);
  EXPECT_EQ(b.status, 1) << b.err;
  ASSERT_TRUE(b.result.is_object()) << b.err;
  ASSERT_EQ(b.result["runs"].size(), 1u) << "the next level is not tried either";
  std::int64_t failed = level(b)["requests_failed"].get<std::int64_t>();
  EXPECT_GE(failed, 20);
  EXPECT_LT(failed, 100) << "not 5,000 rejected requests";
  EXPECT_EQ(level(b)["errors"]["http_4xx"], failed);
  std::string notes = b.result["notes"].dump();
  EXPECT_NE(notes.find("stopped: the server rejected the first 20 requests of c=4 with client errors (http_4xx: "),
            std::string::npos)
      << notes;
  EXPECT_NE(b.err.find("check --url, --model and --dialect"), std::string::npos) << b.err;
}

TEST(BenchSim, UnreachableServerFailsFastWithAClearMessage) {
  TempDir dir;
  auto b = run_bench({"--url", "http://127.0.0.1:1/v1", "--model", "m", "-n", "1000"}, dir);
  EXPECT_EQ(b.status, 1);
  EXPECT_NE(b.err.find("cannot reach http://127.0.0.1:1/v1"), std::string::npos) << b.err;
  EXPECT_NE(b.err.find("refused"), std::string::npos) << b.err;
}

class BenchSignal : public ::testing::TestWithParam<int> {};

TEST_P(BenchSignal, StopsPromptlyWritesPartialResultsAndExitsWithTheShellsCode) {
  // Each request streams for ~100 s, and stderr is a pipe (progress every 5 s): the run must
  // still stop at once, cancelling what is in flight, and keep what it measured.
  const int sig = GetParam();
  const std::string name = sig == SIGINT ? "SIGINT" : "SIGTERM";
  SimProcess sim({"--ttft", "5ms", "--itl", "50ms"});
  TempDir dir;
  std::string out = dir.file("partial.json");
  Process bench({binary(), "bench", "-o", out, "--url", sim.url(), "--model", "m", "-c", "2", "-n", "1000",
                 "--output-tokens", "2000"});
  for (int i = 0; i < 3000 && sim.stats().value("active_streams", 0) < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(sim.stats().value("active_streams", 0), 2) << bench.err();
  bench.signal(sig);
  int status = bench.wait(std::chrono::seconds(20));
  ASSERT_NE(status, -1) << "still running 20 s after " << name << " (requests last ~100 s)";
  EXPECT_EQ(status, 128 + sig) << bench.err();
  json result = json::parse(read_file(out), nullptr, false);
  ASSERT_TRUE(result.is_object()) << "partial results written: " << bench.err();
  EXPECT_NE(result["notes"].dump().find("interrupted by " + name + " after 0 requests (2 in flight were cancelled"),
            std::string::npos) << result["notes"].dump();
  EXPECT_EQ(result["runs"][0]["summary"]["requests_failed"], 0) << "cancelled requests are not the server's failures";
  EXPECT_NE(bench.out().find("note: interrupted by " + name), std::string::npos) << bench.out();
}

INSTANTIATE_TEST_SUITE_P(Signals, BenchSignal, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& info) { return info.param == SIGINT ? "SIGINT" : "SIGTERM"; });

struct PreRunHang {
  std::string name;
  int sig;
  std::string hangs_on;             // the request line the server never answers
  std::vector<std::string> args;    // beyond --url, -n 1 and -o
};

void PrintTo(const PreRunHang& c, std::ostream* os) { *os << c.name; }

class BenchSignalBeforeTheRun : public ::testing::TestWithParam<PreRunHang> {};

TEST_P(BenchSignalBeforeTheRun, StopsAtOnceSendsNoRequestAndWritesNothing) {
  // The server lists its models but never answers what it hangs on: the signal must end
  // bench at once, not after the side request's own time limit, and no run may follow.
  const auto& c = GetParam();
  std::atomic<bool> hanging{false}, chat_sent{false};
  CannedServer server([&](const std::string& line) {
    if (line.find("/chat/completions") != std::string::npos) chat_sent = true;
    if (line == c.hangs_on) {
      hanging = true;
      return CannedServer::kHang;
    }
    if (line == "GET /v1/models") return CannedServer::response(200, "application/json", R"({"data":[{"id":"m"}]})");
    return CannedServer::kHang;
  });
  TempDir dir;
  std::string out = dir.file("result.json");
  std::vector<std::string> argv = {binary(), "bench", "--url", server.url(), "-n", "1", "-o", out};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  Process bench(argv);
  for (int i = 0; i < 3000 && !hanging; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(hanging) << bench.err();
  bench.signal(c.sig);
  int status = bench.wait(std::chrono::seconds(10));
  ASSERT_NE(status, -1) << "still running 10 s after the signal, waiting on " << c.hangs_on;
  EXPECT_EQ(status, 128 + c.sig) << bench.err();
  EXPECT_FALSE(chat_sent) << "no measured request after a stop";
  EXPECT_NE(bench.err().find(std::string("interrupted by ") + (c.sig == SIGINT ? "SIGINT" : "SIGTERM") +
                             " before the run started: nothing was measured or written"),
            std::string::npos) << bench.err();
  EXPECT_FALSE(std::filesystem::exists(out)) << "no empty result written over the user's file";
}

INSTANTIATE_TEST_SUITE_P(
    Hangs, BenchSignalBeforeTheRun,
    ::testing::Values(PreRunHang{"SIGTERMDuringCalibration", SIGTERM, "POST /tokenize", {}},
                      PreRunHang{"SIGINTDuringCalibration", SIGINT, "POST /tokenize", {"--model", "m"}},
                      PreRunHang{"SIGTERMDuringModelLookup", SIGTERM, "GET /v1/models", {"--model", "m"}},
                      PreRunHang{"SIGINTDuringModelLookupWithoutModel", SIGINT, "GET /v1/models", {}}),
    [](const auto& info) { return info.param.name; });

TEST(BenchSim, UnreachableServerExitsOneWithOrWithoutModel) {
  // Without --model the model lookup meets the dead port first: still "cannot reach", still 1 (2 is for usage).
  TempDir dir;
  auto b = run_bench({"--url", "http://127.0.0.1:1/v1", "-n", "1"}, dir);
  EXPECT_EQ(b.status, 1) << b.err;
  EXPECT_NE(b.err.find("cannot reach http://127.0.0.1:1/v1"), std::string::npos) << b.err;
}

TEST(BenchSim, ASilentServerFailsTheModelLookupWithinItsOwnTimeout) {
  // The server accepts and never answers: the lookup gives up after 10 s (or the user's
  // shorter --timeout), not the 120 s --read-timeout, and says what it waited for. It does
  // not suggest --model: with --model the run waits on the same silent server.
  auto server = CannedServer::silent();
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {{}, "no answer to GET /models within 10 s, sent to pick a model as no --model was given"},
           {{"--model", "m", "--timeout", "2s"}, "no answer to GET /models within 2 s, sent to check the server before the run"}}) {
    std::vector<std::string> argv = {binary(), "bench", "-q", "--url", server.url(), "-n", "1"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = run(argv, std::chrono::seconds(60));
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("cannot reach " + server.url()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("the server accepts connections but does not answer"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("pass --model"), std::string::npos) << r.err;
  }
}

struct OddAnswer {
  std::string name, content_type, body, says;
};

class BenchOddAnswers : public ::testing::TestWithParam<OddAnswer> {};

TEST_P(BenchOddAnswers, A200ThatIsNotAStreamIsSaidForWhatItIs) {
  // Not "stream ended without data: [DONE]": what came back is named.
  const auto& c = GetParam();
  CannedServer server([&](const std::string&) { return CannedServer::response(200, c.content_type, c.body); });
  TempDir dir;
  auto b = run_bench({"--url", server.url(), "--model", "m", "-c", "1", "-n", "2"}, dir);
  EXPECT_EQ(b.status, 1) << b.err;
  ASSERT_TRUE(b.result.is_object()) << b.err;
  const json& s = level(b);
  EXPECT_EQ(s["errors"]["malformed"], 2) << s["errors"].dump();
  EXPECT_NE(s["error_samples"].dump().find(c.says), std::string::npos) << s["error_samples"].dump();
  EXPECT_EQ(b.out.find("[DONE]"), std::string::npos) << b.out;
  EXPECT_FALSE(b.result["endpoint"]["simulated"].get<bool>()) << "only an llmux sim is labelled simulated";
}

INSTANTIATE_TEST_SUITE_P(
    Answers, BenchOddAnswers,
    ::testing::Values(OddAnswer{"html", "text/html; charset=utf-8", "<html><body>Welcome</body></html>",
                                "expected text/event-stream, got text/html"},
                      OddAnswer{"json", "application/json",
                                R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":)"
                                R"({"role":"assistant","content":"hi"},"finish_reason":"stop"}]})",
                                "whole JSON body"}),
    [](const auto& info) { return info.param.name; });

TEST(BenchCli, ModelLookupAnsweredWithAWebPageSaysItWasNotJson) {
  CannedServer server([](const std::string&) { return CannedServer::response(200, "text/html", "<html></html>"); });
  auto r = run({binary(), "bench", "--url", server.url(), "-n", "1"}, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("GET /models answered text/html, not JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pass --model"), std::string::npos) << r.err;
}

TEST(BenchCli, AnEndpointUrlIsAUsageErrorNamingTheBaseUrl) {
  for (std::string path : {"/v1/chat/completions", "/v1/completions/"}) {
    auto r = run({binary(), "bench", "--url", "http://127.0.0.1:9" + path, "--model", "m"}, std::chrono::seconds(30));
    EXPECT_EQ(r.status, 2) << path << ": " << r.err;
    EXPECT_NE(r.err.find("use http://127.0.0.1:9/v1 "), std::string::npos) << r.err;
  }
}

TEST(BenchSim, OutputLengthNotForcedIsReported) {
  SimProcess sim({"--ttft", "5ms", "--itl", "1ms", "--natural-tokens", "4"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "-n", "6", "--output-tokens", "200", "--ignore-eos", "off"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_LT(level(b)["output_length_match"].get<double>(), 0.5);
  EXPECT_NE(b.out.find("output length not forced"), std::string::npos);
}

TEST(BenchSim, SearchFindsTheHighestConcurrencyMeetingTheSlo) {
  // Four sequences decode at once; a fifth waits a whole request (~100 ms) for a slot.
  SimProcess sim({"--profile", "batch", "--max-batch", "4", "--decode-base", "10ms", "--decode-per-seq", "0",
                  "--prefill-per-token", "0"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "-n", "16", "--output-tokens", "10", "--slo", "ttft:p90<50ms", "--search"},
                     dir);
  ASSERT_EQ(b.status, 0) << b.err;
  ASSERT_TRUE(b.result.contains("search"));
  EXPECT_TRUE(b.result["search"]["found"].get<bool>());
  EXPECT_EQ(b.result["search"]["best"].get<double>(), 4);
  EXPECT_NE(b.out.find("highest concurrency meeting every SLO: 4"), std::string::npos) << b.out;
}

TEST(BenchSim, SearchGoesNoHigherThanTheRequestCountAndSaysSo) {
  // Every level meets the SLO; with -n 6 no level can have more than 6 requests in flight.
  SimProcess sim({"--ttft", "2ms", "--itl", "1ms"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "--model", "m", "-n", "6", "--output-tokens", "3", "--slo", "e2e:p90<30s",
                      "--search"},
                     dir);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(b.result["search"]["best"].get<double>(), 6);
  EXPECT_EQ(b.result["search"]["capped_at"].get<double>(), 6);
  for (const auto& p : b.result["search"]["probes"]) EXPECT_LE(p["load"].get<double>(), 6) << p.dump();
  EXPECT_NE(b.result["notes"].dump().find("--search capped at 6 users by -n 6"), std::string::npos)
      << b.result["notes"].dump();
  EXPECT_NE(b.out.find("highest concurrency meeting every SLO: 6 (the most -n allows)"), std::string::npos) << b.out;
}

TEST(BenchSim, ASweptLevelWithMoreUsersThanRequestsIsNotedAsNeverReached) {
  SimProcess sim({"--ttft", "2ms", "--itl", "1ms"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "--model", "m", "-n", "4", "--output-tokens", "3", "-c", "2,8"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  std::string notes = b.result["notes"].dump();
  EXPECT_NE(notes.find("c=8 never reached its concurrency: with -n 4 at most 4 measured requests were in flight"),
            std::string::npos) << notes;
  EXPECT_EQ(notes.find("c=2 "), std::string::npos) << notes;
}

TEST(BenchSim, CsvAndPerRequestRecords) {
  SimProcess sim({"--ttft", "5ms", "--itl", "1ms"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "-c", "1,2", "-n", "5", "--output-tokens", "4", "--per-request", "--csv",
                      dir.file("out.csv")}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  ASSERT_EQ(b.result["runs"].size(), 2u);
  EXPECT_EQ(b.result["runs"][1]["requests"].size(), 5u);
  EXPECT_TRUE(b.result["runs"][1]["requests"][0]["ttft_ms"].is_number());
  auto csv = read_file(dir.file("out.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_EQ(csv.rfind("mode,load,completed", 0), 0u);
}

TEST(BenchSim, PerRequestRecordsHaveNoNegativeTimesIntegerCountsAndNullsForFailures) {
  TempDir dir;
  SimProcess sim({"--ttft", "5ms", "--itl", "1ms"});
  auto ok = run_bench({"--url", sim.url(), "-c", "2", "-n", "6", "--output-tokens", "4", "--per-request"}, dir);
  ASSERT_EQ(ok.status, 0) << ok.err;
  for (const auto& r : ok.result["runs"][0]["requests"]) {
    EXPECT_GE(r["scheduled_ms"].get<double>(), 0.0) << r.dump();
    EXPECT_GE(r["sent_ms"].get<double>(), 0.0) << r.dump();
    EXPECT_TRUE(r["completion_tokens"].is_number_integer()) << r.dump();
    EXPECT_EQ(r["completion_tokens"], 4);
  }
  SimProcess cut({"--ttft", "5ms", "--itl", "1ms", "--cut-rate", "1", "--cut-after", "2"});
  auto failed = run_bench({"--url", cut.url(), "-c", "1", "-n", "2", "--output-tokens", "8", "--per-request"}, dir);
  ASSERT_EQ(failed.status, 1) << failed.err;
  for (const auto& r : failed.result["runs"][0]["requests"]) {
    EXPECT_FALSE(r["ok"].get<bool>());
    for (const char* k : {"ttft_ms", "tpot_ms", "e2e_ms"}) EXPECT_TRUE(r[k].is_null()) << k << ": " << r.dump();
    EXPECT_TRUE(r["completion_tokens"].is_number_integer()) << r.dump();
  }
}

TEST(BenchSim, WithoutModelTheFirstListedIsBenchedAndASimStillSaysWhatItIs) {
  // The model lookup that picks the model is also the one that reads the Server header.
  SimProcess sim({"--ttft", "5ms", "--itl", "1ms", "--model-name", "first-model,second-model"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "-c", "1", "-n", "2", "--output-tokens", "4"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(b.result["endpoint"]["model"], "first-model");
  EXPECT_NE(b.err.find("using model first-model (the first the server lists)"), std::string::npos) << b.err;
  EXPECT_TRUE(b.result["endpoint"]["simulated"].get<bool>());
}

TEST(BenchSim, NoTargetBenchesTheBuiltInSimulatedEndpoint) {
  TempDir dir;
  auto b = run_bench({"-c", "2", "-n", "4", "--output-tokens", "8"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_TRUE(b.result["endpoint"]["simulated"].get<bool>());
  EXPECT_NE(b.out.find("SIMULATED"), std::string::npos);
  EXPECT_EQ(level(b)["requests_completed"], 4);
}

TEST(BenchCli, UsageErrorsExitTwoWithAClearMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{{{"--url", "ftp://x"}, "scheme"},
                                         {{"--url", "http://127.0.0.1:9/v1", "-c", "0"}, "concurrency"},
                                         {{"--url", "http://127.0.0.1:9/v1", "-c", "1", "--rate", "2"}, "either"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--slo", "fast"}, "SLO"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--search"}, "--slo"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--input-tokens", "x:1"}, "--input-tokens"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--api-key-env", "LLMUX_SURELY_UNSET"}, "LLMUX_SURELY_UNSET"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--header", "no colon"}, "Name: value"},
                                         {{"--bogus-flag"}, "bogus"},
                                         {{"--url", "http://127.0.0.1:9/v1", "-n", "-1"}, "--requests must be at least 1"},
                                         {{"--url", "http://127.0.0.1:9/v1", "-n", "0"}, "--requests must be at least 1"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--duration", "5s", "-n", "0"}, "--requests"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--warmup", "-1"}, "--warmup must be at least 0"},
                                         {{"--url", "http://127.0.0.1:9/v1", "-r", "2", "--max-inflight", "-3"}, "--max-inflight"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--shared-prefix", "-5"}, "--shared-prefix"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--prefix-groups", "0"}, "--prefix-groups"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--search-max", "-1"}, "--search-max"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--shared-prefix", "200", "--input-tokens", "150"},
                                          "--shared-prefix 200 is not shorter than the prompts"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--prefix-groups", "4"}, "--prefix-groups needs --shared-prefix"},
                                         {{"--url", "http://127.0.0.1:9/v1", "-c", "2", "--max-inflight", "4"},
                                          "--max-inflight caps the open loop"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--slo", "ttft:p90<500"}, "needs a unit"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--no-stream", "--slo", "ttft:p90<1s,tpot:p90<50ms"},
                                          "SLO 'tpot:p90<50ms' needs streaming: with --no-stream each answer arrives whole"},
                                         {{"--url", "http://127.0.0.1:9/v1", "--no-stream", "--slo", "itl:p99<50ms"},
                                          "ITL cannot be measured"}}) {
    std::vector<std::string> argv = {binary(), "bench"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = run(argv, std::chrono::seconds(30));
    EXPECT_EQ(r.status, 2) << c.args.back() << ": " << r.err;
    EXPECT_NE((r.err + r.out).find(c.says), std::string::npos) << r.err;
  }
}

TEST(BenchCli, BadOutputPathsAndPromptFilesAreUsageErrorsFoundBeforeTheRun) {
  // The server is unreachable: a check that came after contacting it would exit 1 ("cannot reach").
  TempDir dir;
  write_file(dir.file("bad.jsonl"), "{\"prompt\":\"ok\"}\n{not json}\n");
  write_file(dir.file("bad.json"), "[\n  {\"conversations\": []},\n  {oops}\n]\n");
  write_file(dir.file("empty.json"), "");
  write_file(dir.file("empty.jsonl"), "\n");
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {{"-o", "/nonexistent/dir/x.json"}, "cannot write /nonexistent/dir/x.json: directory /nonexistent/dir does not exist"},
           {{"--csv", "/nonexistent/x.csv"}, "--csv"},
           // access() lets root "write" anywhere; no one can create a file in /proc.
           {{"--csv", "/proc/llmux-test.csv"}, "cannot write /proc/llmux-test.csv: cannot create a file in /proc"},
           {{"-o", "/proc/llmux-test.json"}, "cannot write /proc/llmux-test.json: cannot create a file in /proc"},
           {{"-o", dir.path()}, "is a directory"},
           {{"--prompts", dir.file("missing.jsonl")}, "--prompts: cannot read prompt file"},
           {{"--prompts", dir.file("bad.jsonl")}, "bad.jsonl:2"},
           {{"--prompts", dir.file("empty.jsonl")}, "no prompts"},
           {{"--prompts", dir.path()}, "--prompts: cannot read prompt file"},
           {{"--sharegpt", dir.file("bad.json")}, "bad.json:3"},
           {{"--sharegpt", dir.file("empty.json")}, "ShareGPT file is empty"}}) {
    std::vector<std::string> argv = {binary(), "bench", "--url", "http://127.0.0.1:1/v1", "--model", "m"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = run(argv, std::chrono::seconds(30));
    EXPECT_EQ(r.status, 2) << c.args.back() << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("cannot reach"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace llmux::test

namespace llmux::test {
namespace {

TEST(SimFromPlan, TimingFollowsTheSpeedModel) {
  // Llama 3.1 8B at Q4_K_M on one RTX 4090: the plan predicts a decode step of a few ms.
  SimProcess sim({"--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--gpu", "rtx-4090"});
  TempDir dir;
  auto b = run_bench({"--url", sim.url(), "-c", "1", "-n", "4", "--input-tokens", "256", "--output-tokens", "32"}, dir);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(b.result["endpoint"]["model"], "llama-3.1-8b");
  double tpot = b.result["runs"][0]["summary"]["tpot_ms"]["p50"].get<double>();
  auto plan = run({binary(), "plan", "--model", "llama-3.1-8b", "--quant", "Q4_K_M", "--gpu", "rtx-4090", "--concurrency", "1",
                   "--format", "json"});
  ASSERT_EQ(plan.status, 0) << plan.err;
  auto p = nlohmann::json::parse(plan.out);
  ASSERT_TRUE(p.contains("options") && !p["options"].empty()) << plan.out.substr(0, 400);
  double per_user = p["options"][0]["speed"]["decode_tokens_per_s_per_user"].get<double>();
  EXPECT_NEAR(tpot, 1000.0 / per_user, 0.25 * 1000.0 / per_user) << "sim TPOT vs the plan's decode speed";
}

TEST(SimCli, BadSpinIsAUsageErrorNamingTheFlag) {
  for (std::string spin : {"50ms", "fast", "-1ms"}) {
    auto r = run({binary(), "sim", "--spin", spin}, std::chrono::seconds(30));
    EXPECT_EQ(r.status, 2) << spin << ": " << r.err;
    EXPECT_NE(r.err.find("--spin"), std::string::npos) << spin << ": " << r.err;
  }
}

TEST(SimCli, NegativeFaultValuesAreUsageErrorsNamingTheFlag) {
  for (auto [flag, value] : {std::pair<std::string, std::string>{"--retry-after", "-1"}, {"--cut-after", "-3"},
                             {"--stall-after", "-1"}, {"--max-context", "0"}}) {
    auto r = run({binary(), "sim", flag, value}, std::chrono::seconds(30));
    EXPECT_EQ(r.status, 2) << flag << ": " << r.err;
    EXPECT_NE(r.err.find(flag), std::string::npos) << flag << ": " << r.err;
  }
}

// The kernel grows a process's descriptor table by doubling, and in a process with
// several threads each growth waits for an RCU grace period (15-25 ms here): the sim
// would stall every stream at its 256th, 512th, ... connection. It grows the table to
// its open-files limit (at most 65,536) at start instead.
TEST(SimCli, TheDescriptorTableIsGrownBeforeTheFirstConnection) {
  SimProcess sim({"--ttft", "0", "--itl", "0"});
  int pid = sim.process().pid();
  long long limit = proc_field(pid, "limits", "Max open files");
  if (limit <= 1024) GTEST_SKIP() << "open-files limit " << limit << ": nothing to grow";
  EXPECT_GE(proc_field(pid, "status", "FDSize:"), std::min(limit, 65536LL));
}

TEST(SimCli, AnyBadPortGetsOneRangeMessage) {
  // CLI11 alone said "At Most 1 required but received 2" for 99999 and "Could not convert" for 70000.
  for (std::string command : {"sim", "serve"})
    for (std::string port : {"99999", "70000", "-1", "http"}) {
      auto r = run({binary(), command, "--port", port}, std::chrono::seconds(30));
      EXPECT_EQ(r.status, 2) << command << " " << port << ": " << r.err;
      EXPECT_NE(r.err.find("--port: must be a port number from 0 to 65535"), std::string::npos)
          << command << " " << port << ": " << r.err;
    }
}

TEST(SimFromPlan, UnknownDeviceSuggestsNames) {
  auto r = run({binary(), "sim", "--model", "llama-3.1-8b", "--gpu", "rtx-9090"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("did you mean"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace llmux::test
