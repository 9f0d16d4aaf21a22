#include "gateway/ledger.hpp"

#include <gtest/gtest.h>

#include "support/process.hpp"

namespace llmux::gateway {
namespace {

LedgerRow row(std::string key, std::string route, std::string dep, std::string locality, double cost, int prompt,
              int completion, std::string error = "") {
  LedgerRow r;
  r.ts_ms = wall_now() / kNanosPerMilli;
  r.key_id = std::move(key);
  r.route = std::move(route);
  r.deployment = std::move(dep);
  r.locality = std::move(locality);
  r.cost_usd = cost;
  r.prompt_tokens = prompt;
  r.completion_tokens = completion;
  r.error_kind = std::move(error);
  r.status = error.empty() ? 200 : 502;
  r.ttft_ms = 10;
  r.e2e_ms = 100;
  return r;
}

TEST(Ledger, RowsSurviveCloseAndSummariesAreExact) {
  test::TempDir dir;
  std::string path = dir.file("sub/ledger.db");
  {
    auto l = Ledger::open(path, 50 * kNanosPerMilli);
    ASSERT_TRUE(l) << l.error().describe();
    for (int i = 0; i < 100; ++i) (*l)->record(row(i % 2 ? "a" : "b", "chat", i % 4 ? "local" : "cloud",
                                                  i % 4 ? "local" : "cloud", i % 4 ? 0.0 : 0.01, 10, 5));
    (*l)->record(row("a", "chat", "local", "local", 0, 3, 0, "http_503"));
  }  // destructor: graceful close commits everything
  auto by_key = query_usage(path, 0, "key");
  ASSERT_TRUE(by_key) << by_key.error().describe();
  ASSERT_EQ(by_key->size(), 2u);
  EXPECT_EQ((*by_key)[0].key, "a");
  EXPECT_EQ((*by_key)[0].requests, 51);
  EXPECT_EQ((*by_key)[0].errors, 1);
  EXPECT_EQ((*by_key)[1].requests, 50);
  auto by_loc = query_usage(path, 0, "locality");
  ASSERT_TRUE(by_loc);
  ASSERT_EQ(by_loc->size(), 2u);
  EXPECT_EQ((*by_loc)[0].key, "cloud");
  EXPECT_EQ((*by_loc)[0].requests, 25);
  EXPECT_NEAR((*by_loc)[0].cost_cloud, 0.25, 1e-9);
  EXPECT_EQ((*by_loc)[1].prompt_tokens, 75 * 10 + 3);
  auto by_day = query_usage(path, 0, "day");
  ASSERT_TRUE(by_day);
  EXPECT_EQ(by_day->size(), 1u);
}

TEST(Ledger, FlushMakesRowsVisibleToReadersAtOnce) {
  test::TempDir dir;
  auto l = Ledger::open(dir.file("l.db"), 60 * kNanosPerSecond);  // a long interval: only flush commits
  ASSERT_TRUE(l);
  (*l)->record(row("k", "r", "d", "local", 0, 1, 1));
  (*l)->flush();
  auto u = query_usage(dir.file("l.db"), 0, "route");
  ASSERT_TRUE(u);
  ASSERT_EQ(u->size(), 1u);
  EXPECT_EQ((*u)[0].requests, 1);
}

TEST(Ledger, UsageErrorsAreClear) {
  EXPECT_EQ(query_usage("/nonexistent/ledger.db", 0, "key").error().code, ErrorCode::io);
  test::TempDir dir;
  { auto l = Ledger::open(dir.file("l.db"), kNanosPerMilli); }
  EXPECT_EQ(query_usage(dir.file("l.db"), 0, "colour").error().code, ErrorCode::usage);
}

}  // namespace
}  // namespace llmux::gateway
