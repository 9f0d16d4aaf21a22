#include "bench/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace llmux::bench {
namespace {

constexpr Nanos ms(double v) { return static_cast<Nanos>(v * 1e6); }

// DESIGN.md's worked example: sent 0, headers 5, role-only chunk 100, content at 120 (1 token),
// 140 (1), 180 (2 in one chunk), 200 (1), usage 5, [DONE] at 205.
RequestRecord worked_example(bool server_counts_per_event) {
  RequestRecord r;
  r.scheduled = r.sent = ms(1000);
  r.headers = ms(1005);
  r.first_event = ms(1100);
  r.first_token = r.first_content = ms(1120);
  r.last_token = ms(1200);
  r.done = ms(1205);
  auto k = api::StreamEvent::Kind::content_delta;
  r.events = {{ms(1120), 0, server_counts_per_event ? 1 : 0, 2, k},
              {ms(1140), 0, server_counts_per_event ? 1 : 0, 2, k},
              {ms(1180), 0, server_counts_per_event ? 2 : 0, 4, k},
              {ms(1200), 0, server_counts_per_event ? 1 : 0, 2, k}};
  r.usage.completion_tokens = 5;
  r.usage.source = api::Usage::Source::server;
  return r;
}

TEST(Metrics, WorkedExampleFromTheDesign) {
  auto m = compute_metrics(worked_example(true));
  ASSERT_TRUE(m.ok);
  EXPECT_DOUBLE_EQ(m.ttft_ms, 120);
  EXPECT_DOUBLE_EQ(m.ttfc_ms, 120);
  EXPECT_DOUBLE_EQ(m.tpot_ms, 20);
  EXPECT_DOUBLE_EQ(m.e2e_ms, 205);
  EXPECT_EQ(m.itl_ms, (std::vector<double>{20, 20, 20, 20}));
  EXPECT_EQ(m.chunk_gap_ms, (std::vector<double>{20, 40, 20}));
  EXPECT_DOUBLE_EQ(m.output_tokens, 5);
  EXPECT_TRUE(m.tokens_from_server);
  EXPECT_FALSE(m.itl_apportioned);
}

TEST(Metrics, ApportionsTheServerTotalByTextLengthWhenEventsDoNotSay) {
  auto m = compute_metrics(worked_example(false));
  EXPECT_TRUE(m.itl_apportioned);
  EXPECT_EQ(m.itl_ms, (std::vector<double>{20, 20, 20, 20}));
  EXPECT_DOUBLE_EQ(m.tpot_ms, 20);
}

TEST(Metrics, AWholeAnswerHasNoPerTokenTimes) {
  // --no-stream: the whole answer arrives at once (one event carrying every token).
  auto r = worked_example(false);
  r.streamed = false;
  r.first_token = r.first_content = r.last_token = ms(1200);
  r.events = {{ms(1200), 0, 0, 10, api::StreamEvent::Kind::content_delta}};
  auto m = compute_metrics(r);
  EXPECT_DOUBLE_EQ(m.ttft_ms, 200);
  EXPECT_DOUBLE_EQ(m.e2e_ms, 205);
  EXPECT_TRUE(std::isnan(m.tpot_ms)) << m.tpot_ms;
  EXPECT_TRUE(m.itl_ms.empty());
  EXPECT_TRUE(m.chunk_gap_ms.empty());
  EXPECT_FALSE(m.itl_apportioned);
  EXPECT_DOUBLE_EQ(m.output_tokens, 5);
}

TEST(Metrics, OneTokenPerEventWhenTheTotalMatchesTheEventCount) {
  auto r = worked_example(false);
  r.usage.completion_tokens = 4;
  auto m = compute_metrics(r);
  EXPECT_FALSE(m.itl_apportioned);
  EXPECT_EQ(m.itl_ms, (std::vector<double>{20, 40, 20}));
}

TEST(Metrics, CountsEventsAndSaysSoWithoutServerUsage) {
  auto r = worked_example(false);
  r.usage = {};
  auto m = compute_metrics(r);
  EXPECT_FALSE(m.tokens_from_server);
  EXPECT_DOUBLE_EQ(m.output_tokens, 4);
}

TEST(Metrics, ReasoningTokensCountForTtftButNotTtfc) {
  auto r = worked_example(true);
  r.events.front().kind = api::StreamEvent::Kind::reasoning_delta;
  r.first_content = ms(1140);
  auto m = compute_metrics(r);
  EXPECT_DOUBLE_EQ(m.ttft_ms, 120);
  EXPECT_DOUBLE_EQ(m.ttfc_ms, 140);
}

TEST(Metrics, FailedRequestsHaveNoLatencyFigures) {
  auto r = worked_example(true);
  r.error = ErrorKind::stream_cut;
  auto m = compute_metrics(r);
  EXPECT_FALSE(m.ok);
  EXPECT_TRUE(m.itl_ms.empty());
}

TEST(Metrics, OpenLoopTtftFromScheduledIncludesClientQueueing) {
  auto r = worked_example(true);
  r.scheduled = ms(990);
  auto m = compute_metrics(r);
  EXPECT_DOUBLE_EQ(m.ttft_ms, 120);
  EXPECT_DOUBLE_EQ(m.ttft_sched_ms, 130);
  EXPECT_DOUBLE_EQ(m.send_lag_ms, 10);
}

TEST(Metrics, TimingErrorAgainstServerAnnotations) {
  auto r = worked_example(true);
  for (auto& e : r.events) e.server_t = e.t - ms(0.25);
  auto m = compute_metrics(r);
  ASSERT_EQ(m.timing_error_ms.size(), 4u);
  for (double e : m.timing_error_ms) EXPECT_NEAR(e, 0.25, 1e-9);
}

}  // namespace
}  // namespace llmux::bench
