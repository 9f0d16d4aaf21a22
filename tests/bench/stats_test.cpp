#include "bench/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "bench/slo.hpp"
#include "bench/summary.hpp"

namespace llmux::bench {
namespace {

TEST(Stats, PercentilesInterpolateLikeNumpy) {
  std::vector<double> v(100);
  std::iota(v.begin(), v.end(), 1.0);  // 1..100
  std::reverse(v.begin(), v.end());
  auto s = summarize(v);
  EXPECT_EQ(s.count, 100u);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 100);
  EXPECT_DOUBLE_EQ(s.mean, 50.5);
  EXPECT_NEAR(s.p50, 50.5, 1e-9);
  EXPECT_NEAR(s.p90, 90.1, 1e-9);
  EXPECT_NEAR(s.p99, 99.01, 1e-9);
  EXPECT_NEAR(s.p999, 99.901, 1e-9);
  EXPECT_NEAR(s.stddev, 29.011491975882016, 1e-9);
}

TEST(Stats, EmptyAndSingleSamples) {
  std::vector<double> none;
  auto e = summarize(none);
  EXPECT_EQ(e.count, 0u);
  EXPECT_TRUE(std::isnan(e.p50));
  std::vector<double> one{7};
  auto s = summarize(one);
  EXPECT_DOUBLE_EQ(s.p99, 7);
  EXPECT_DOUBLE_EQ(s.stddev, 0);
}

TEST(Slo, ParsesTargets) {
  auto slos = parse_slos("ttft:p90<500ms, itl:p99<50ms,e2e:p50<2s");
  ASSERT_TRUE(slos);
  ASSERT_EQ(slos->size(), 3u);
  EXPECT_EQ((*slos)[0].metric, "ttft");
  EXPECT_DOUBLE_EQ((*slos)[0].percentile, 90);
  EXPECT_DOUBLE_EQ((*slos)[0].threshold_ms, 500);
  EXPECT_DOUBLE_EQ((*slos)[2].threshold_ms, 2000);
}

TEST(Slo, RejectsMalformedTargetsNamingThem) {
  for (const char* bad : {"ttft<500ms", "speed:p90<1ms", "ttft:90<1ms", "ttft:p0<1ms", "ttft:p90<fast", ""}) {
    auto r = parse_slos(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::usage);
  }
  EXPECT_NE(parse_slos("speed:p90<1ms").error().message.find("speed"), std::string::npos);
}

TEST(Slo, AThresholdWithoutAUnitIsRejected) {
  // "500" was taken as 500 ms; a user meaning seconds got a target a thousand times tighter.
  auto r = parse_slos("ttft:p90<500");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("needs a unit: 500ms or 500s?"), std::string::npos) << r.error().message;
}

RequestRecord request(std::int64_t index, double ttft, double e2e, bool ok = true) {
  RequestRecord r;
  r.index = index;
  r.scheduled = r.sent = index * 1'000'000'000;
  r.first_token = r.first_content = r.sent + static_cast<Nanos>(ttft * 1e6);
  r.last_token = r.done = r.sent + static_cast<Nanos>(e2e * 1e6);
  r.events = {{r.first_token, 0, 1, 1, api::StreamEvent::Kind::content_delta},
              {r.last_token, 0, 1, 1, api::StreamEvent::Kind::content_delta}};
  r.usage.completion_tokens = 2;
  r.usage.prompt_tokens = 10;
  r.usage.source = api::Usage::Source::server;
  r.output_tokens_planned = 2;
  if (!ok) r.error = ErrorKind::http_5xx;
  return r;
}

TEST(Summary, GoodputCountsOnlyRequestsMeetingEverySlo) {
  LevelRun run;
  run.level = {LoadLevel::Mode::concurrency, 2};
  for (int i = 0; i < 10; ++i) run.records.push_back(request(i, i < 7 ? 100 : 900, 1000));
  auto slos = *parse_slos("ttft:p50<500ms");
  auto s = summarize_level(run, slos);
  EXPECT_EQ(s.completed, 10);
  EXPECT_EQ(s.good_requests, 7);
  EXPECT_TRUE(s.slos_met);  // p50 of TTFT is 100 ms
  EXPECT_NEAR(s.goodput, 7 / s.wall_s, 1e-9);
  EXPECT_NEAR(s.wall_s, 10.0, 1e-9);  // first sent 0 s, last done 9 s + 1 s
  EXPECT_NEAR(s.output_throughput, 20 / 10.0, 1e-9);
}

TEST(Summary, FailedRequestsCountAgainstPercentileTargets) {
  LevelRun run;
  for (int i = 0; i < 10; ++i) run.records.push_back(request(i, 100, 200, i < 8));
  auto s = summarize_level(run, *parse_slos("ttft:p90<500ms"));
  EXPECT_EQ(s.failed, 2);
  EXPECT_EQ(s.errors["http_5xx"], 2);
  EXPECT_FALSE(s.slos_met);  // 2 of 10 failed: p90 lands on a failure
  auto s80 = summarize_level(run, *parse_slos("ttft:p70<500ms"));
  EXPECT_TRUE(s80.slos_met);
}

TEST(Summary, WarmupRequestsAreExcluded) {
  LevelRun run;
  for (int i = 0; i < 5; ++i) {
    auto r = request(i, i < 2 ? 5000 : 100, 6000);
    r.warmup = i < 2;
    run.records.push_back(r);
  }
  auto s = summarize_level(run, {});
  EXPECT_EQ(s.measured, 3);
  EXPECT_DOUBLE_EQ(s.ttft_ms.max, 100);
}

}  // namespace
}  // namespace llmux::bench
