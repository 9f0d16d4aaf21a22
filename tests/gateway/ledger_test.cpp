#include "gateway/ledger.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <mutex>

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
  r.status = error.empty() ? 200 : 502;
  r.error_kind = std::move(error);
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

TEST(Ledger, LatencyAveragesAreOverRequestsThatSucceededAndNoRouteIsNamed) {
  test::TempDir dir;
  std::string path = dir.file("ledger.db");
  {
    auto l = Ledger::open(path, 50 * kNanosPerMilli);
    ASSERT_TRUE(l);
    auto streamed = row("a", "chat", "local", "local", 0, 10, 5);  // TTFT 10, E2E 100
    streamed.stream = true;
    (*l)->record(streamed);
    auto whole = row("a", "chat", "local", "local", 0, 10, 5);
    whole.ttft_ms = 40;  // not streamed: the gateway records when the whole answer came
    whole.e2e_ms = 40;
    (*l)->record(whole);
    auto timed_out = row("a", "chat", "local", "local", 0, 10, 0, "timeout");
    timed_out.ttft_ms = 500;
    timed_out.e2e_ms = 60000;
    timed_out.stream = true;
    (*l)->record(timed_out);
    auto refused = row("a", "", "", "", 0, 0, 0, "unknown_model");
    refused.ttft_ms = 0;
    refused.e2e_ms = 0.01;
    (*l)->record(refused);
  }
  auto by_route = query_usage(path, 0, "route");
  ASSERT_TRUE(by_route);
  ASSERT_EQ(by_route->size(), 2u);
  EXPECT_EQ((*by_route)[0].key, "(none)") << "as the other groupings name a missing value";
  EXPECT_EQ((*by_route)[1].key, "chat");
  EXPECT_EQ((*by_route)[1].requests, 3);
  EXPECT_EQ((*by_route)[1].errors, 1);
  EXPECT_DOUBLE_EQ((*by_route)[1].avg_ttft_ms, 10) << "the streamed success only, not the whole answer's 40 ms";
  EXPECT_DOUBLE_EQ((*by_route)[1].avg_e2e_ms, 70) << "both successes, not the timeout";
}

TEST(Ledger, EveryColumnOfEveryRowLandsWhateverTheBatchSize) {
  // Rows go in several to a statement, the rest one by one: 37 in one commit covers
  // both, and each row's values are its own.
  test::TempDir dir;
  std::string path = dir.file("ledger.db");
  const int n = 37;
  {
    auto l = Ledger::open(path, 60 * kNanosPerSecond);  // nothing commits before the close
    ASSERT_TRUE(l) << l.error().describe();
    for (int i = 0; i < n; ++i) {
      LedgerRow r = row("key" + std::to_string(i), "route" + std::to_string(i), "dep" + std::to_string(i),
                        i % 2 ? "local" : "cloud", i * 0.001, 100 + i, 200 + i);
      r.ts_ms = 1000 + i;
      r.request_id = "req" + std::to_string(i);
      r.team = "team" + std::to_string(i);
      r.model = "model" + std::to_string(i);
      r.status = 200 + i;
      r.cached_tokens = 300 + i;
      r.reasoning_tokens = 400 + i;
      r.ttft_ms = i * 1.5;
      r.e2e_ms = i * 2.5;
      r.stream = i % 3 == 0;
      r.attempts = 1 + i % 4;
      r.privacy_classes = "class" + std::to_string(i);
      r.privacy_action = "action" + std::to_string(i);
      (*l)->record(std::move(r));
    }
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT ts_ms, request_id, key_id, team, route, deployment, locality, model, status, "
                               "prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, ttft_ms, e2e_ms, "
                               "cost_usd, stream, attempts, privacy_classes, privacy_action FROM requests ORDER BY ts_ms",
                               -1, &st, nullptr),
            SQLITE_OK);
  int i = 0;
  auto text = [&](int col) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, col))); };
  for (; sqlite3_step(st) == SQLITE_ROW; ++i) {
    std::string s = std::to_string(i);
    EXPECT_EQ(sqlite3_column_int64(st, 0), 1000 + i);
    EXPECT_EQ(text(1), "req" + s);
    EXPECT_EQ(text(2), "key" + s);
    EXPECT_EQ(text(3), "team" + s);
    EXPECT_EQ(text(4), "route" + s);
    EXPECT_EQ(text(5), "dep" + s);
    EXPECT_EQ(text(6), i % 2 ? "local" : "cloud");
    EXPECT_EQ(text(7), "model" + s);
    EXPECT_EQ(sqlite3_column_int(st, 8), 200 + i);
    EXPECT_EQ(sqlite3_column_int(st, 9), 100 + i);
    EXPECT_EQ(sqlite3_column_int(st, 10), 200 + i);
    EXPECT_EQ(sqlite3_column_int(st, 11), 300 + i);
    EXPECT_EQ(sqlite3_column_int(st, 12), 400 + i);
    EXPECT_DOUBLE_EQ(sqlite3_column_double(st, 13), i * 1.5);
    EXPECT_DOUBLE_EQ(sqlite3_column_double(st, 14), i * 2.5);
    EXPECT_DOUBLE_EQ(sqlite3_column_double(st, 15), i * 0.001);
    EXPECT_EQ(sqlite3_column_int(st, 16), i % 3 == 0 ? 1 : 0);
    EXPECT_EQ(sqlite3_column_int(st, 17), 1 + i % 4);
    EXPECT_EQ(text(18), "class" + s);
    EXPECT_EQ(text(19), "action" + s);
  }
  EXPECT_EQ(i, n);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// Runs SQL on the ledger's file from a connection of the test's own.
void exec_on(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

std::int64_t rows_in(const std::string& path) {
  auto groups = query_usage(path, 0, "day");
  std::int64_t n = 0;
  if (groups)
    for (const auto& g : *groups) n += g.requests;
  return n;
}

// A trigger stands in for a disk that refuses writes: every insert fails while it exists.
constexpr const char* kRefuse =
    "CREATE TRIGGER refuse BEFORE INSERT ON requests BEGIN SELECT RAISE(ABORT, 'disk says no'); END;";

TEST(Ledger, AFailedCommitKeepsItsRowsAndWritesThemOnceTheDatabaseTakesThem) {
  test::TempDir dir;
  std::string path = dir.file("ledger.db");
  std::mutex mu;
  std::vector<std::string> reports;
  auto l = Ledger::open(path, 10 * kNanosPerMilli, [&](const std::string& s) {
    std::lock_guard lock(mu);
    reports.push_back(s);
  });
  ASSERT_TRUE(l) << l.error().describe();
  exec_on(path, kRefuse);
  for (int i = 0; i < 20; ++i) (*l)->record(row("k", "chat", "local", "local", 0.001, 10, 5));
  (*l)->flush();  // returns after the failed try instead of waiting for ever
  EXPECT_EQ((*l)->committed(), 0u);
  {
    std::lock_guard lock(mu);
    ASSERT_FALSE(reports.empty());
    EXPECT_NE(reports[0].find("cannot commit 20 rows"), std::string::npos) << reports[0];
    EXPECT_NE(reports[0].find("disk says no"), std::string::npos) << reports[0];
    EXPECT_NE(reports[0].find("keeping them"), std::string::npos) << reports[0];
  }
  for (int i = 0; i < 5; ++i) (*l)->record(row("k", "chat", "local", "local", 0.001, 10, 5));
  exec_on(path, "DROP TRIGGER refuse;");
  (*l)->flush();
  EXPECT_EQ((*l)->committed(), 25u);
  EXPECT_EQ(rows_in(path), 25) << "the kept rows and the new ones, each once";
  auto spend = query_spend(path, 0, 0);  // since 1970: every row's day
  ASSERT_TRUE(spend) << spend.error().describe();
  EXPECT_NEAR((*spend)["key:k"].today, 0.025, 1e-9) << "spend totals count the kept rows once";
  std::lock_guard lock(mu);
  EXPECT_NE(reports.back().find("commits work again"), std::string::npos) << reports.back();
}

TEST(Ledger, ACloseThatCannotWriteSaysHowManyRowsAreLostAndReturns) {
  test::TempDir dir;
  std::string path = dir.file("ledger.db");
  std::vector<std::string> reports;  // (the writer has stopped when close returns)
  {
    auto l = Ledger::open(path, 60 * kNanosPerSecond, [&](const std::string& s) { reports.push_back(s); });
    ASSERT_TRUE(l) << l.error().describe();
    exec_on(path, kRefuse);
    for (int i = 0; i < 7; ++i) (*l)->record(row("k", "chat", "local", "local", 0, 10, 5));
    (*l)->close();
    EXPECT_EQ((*l)->committed(), 0u);
  }
  ASSERT_FALSE(reports.empty());
  EXPECT_NE(reports.back().find("cannot commit 7 rows"), std::string::npos) << reports.back();
  EXPECT_NE(reports.back().find("lost"), std::string::npos) << reports.back();
  EXPECT_EQ(rows_in(path), 0);
}

// 2026-03-01 and 2026-03-15, 00:00 UTC, in ms.
constexpr std::int64_t kMarch1 = 1772323200000, kMarch15 = kMarch1 + 14 * 86400000LL;

LedgerRow spend_row(std::int64_t ts_ms, std::string key, std::string team, double cost) {
  LedgerRow r = row(std::move(key), "chat", "cloud", "cloud", cost, 10, 5);
  r.ts_ms = ts_ms;
  r.team = std::move(team);
  return r;
}

TEST(Ledger, SpendTodayAndThisMonthPerKeyAndTeamSurvivesARestart) {
  test::TempDir dir;
  std::string path = dir.file("l.db");
  for (int run = 0; run < 2; ++run) {  // two gateway lifetimes writing to one ledger
    auto l = Ledger::open(path, 50 * kNanosPerMilli);
    ASSERT_TRUE(l) << l.error().describe();
    (*l)->record(spend_row(kMarch15 + 3600000, "a", "x", 0.5));        // today
    (*l)->record(spend_row(kMarch15 - 1, "a", "", 0.25));              // yesterday, this month
    (*l)->record(spend_row(kMarch1 - 3600000, "a", "x", 100));         // last month
    (*l)->record(spend_row(kMarch15 + 7200000, "b", "x", 0.125));      // today, another key
    (*l)->record(spend_row(kMarch15 + 7200000, "", "", 7));            // no key, no team
  }
  auto spend = query_spend(path, kMarch15, kMarch1);
  ASSERT_TRUE(spend) << spend.error().describe();
  EXPECT_NEAR((*spend)["key:a"].today, 2 * 0.5, 1e-12);
  EXPECT_NEAR((*spend)["key:a"].this_month, 2 * 0.75, 1e-12);
  EXPECT_NEAR((*spend)["key:b"].today, 2 * 0.125, 1e-12);
  EXPECT_NEAR((*spend)["team:x"].today, 2 * 0.625, 1e-12);
  EXPECT_NEAR((*spend)["team:x"].this_month, 2 * 0.625, 1e-12);
  EXPECT_EQ(spend->count("key:"), 0u);
  EXPECT_EQ(spend->count("team:"), 0u);
}

TEST(Ledger, ALedgerFromBeforeSpendTotalsGetsThemOnceAndKeepsThemUp) {
  test::TempDir dir;
  std::string path = dir.file("old.db");
  {  // the schema of earlier versions: requests only, user_version 0
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* old_schema =
        "CREATE TABLE requests (id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, request_id TEXT, key_id TEXT, "
        "team TEXT, route TEXT, deployment TEXT, locality TEXT, model TEXT, status INTEGER, error_kind TEXT, "
        "prompt_tokens INTEGER, completion_tokens INTEGER, cached_tokens INTEGER, reasoning_tokens INTEGER, "
        "ttft_ms REAL, e2e_ms REAL, cost_usd REAL, stream INTEGER, attempts INTEGER, privacy_classes TEXT, "
        "privacy_action TEXT);"
        "INSERT INTO requests (ts_ms, key_id, team, cost_usd) VALUES (1773565200000, 'a', 'x', 0.5);"   // Mar 15
        "INSERT INTO requests (ts_ms, key_id, team, cost_usd) VALUES (1772413200000, 'a', '', 0.25);"   // Mar 2
        "INSERT INTO requests (ts_ms, key_id, team, cost_usd) VALUES (1772236800000, 'a', 'x', 100);";  // Feb 28
    ASSERT_EQ(sqlite3_exec(db, old_schema, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto before = query_spend(path, kMarch15, kMarch1);  // read-only: sums the rows
  ASSERT_TRUE(before) << before.error().describe();
  EXPECT_NEAR((*before)["key:a"].this_month, 0.75, 1e-12);
  {
    auto l = Ledger::open(path, 50 * kNanosPerMilli);
    ASSERT_TRUE(l) << l.error().describe();
    (*l)->record(spend_row(kMarch15 + 60000, "a", "x", 1));
  }
  auto after = query_spend(path, kMarch15, kMarch1);
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_NEAR((*after)["key:a"].today, 1.5, 1e-12);
  EXPECT_NEAR((*after)["key:a"].this_month, 1.75, 1e-12);
  EXPECT_NEAR((*after)["team:x"].this_month, 1.5, 1e-12);
  {  // opened again: the totals are not built a second time (no double counting)
    auto l = Ledger::open(path, 50 * kNanosPerMilli);
    ASSERT_TRUE(l);
  }
  auto again = query_spend(path, kMarch15, kMarch1);
  ASSERT_TRUE(again);
  EXPECT_NEAR((*again)["key:a"].this_month, 1.75, 1e-12);
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
