#include "gateway/budgets.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace llmux::gateway {
namespace {

TEST(Budgets, ReservationsMakeConcurrentAdmissionSafe) {
  BudgetManager m;
  BudgetConfig b;
  b.key = "k";
  b.usd_per_day = 1.0;
  m.configure({b});
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        if (m.admit({"key:k"}, 10, 0.01, mono_now(), wall_now())) ++admitted;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 100);  // exactly $1.00 of $0.01 reservations
}

TEST(Budgets, SettlingReleasesWhatWasNotSpent) {
  BudgetManager m;
  BudgetConfig b;
  b.key = "k";
  b.usd_per_day = 0.10;
  m.configure({b});
  Nanos wall = wall_now();
  auto r = m.admit({"key:k"}, 100, 0.08, mono_now(), wall);
  ASSERT_TRUE(r);
  EXPECT_FALSE(m.admit({"key:k"}, 100, 0.05, mono_now(), wall));  // 0.08 reserved + 0.05 > 0.10
  m.settle(*r, 50, 0.01);
  EXPECT_TRUE(m.admit({"key:k"}, 100, 0.05, mono_now(), wall));   // 0.01 spent + 0.05
  EXPECT_NEAR(m.remaining_usd({"key:k"}, wall), 0.04, 1e-12);
}

TEST(Budgets, TokensPerMinuteSlideWithTheWindow) {
  BudgetManager m;
  BudgetConfig b;
  b.team = "t";
  b.tokens_per_minute = 1000;
  m.configure({b});
  Nanos t0 = 1'000 * kNanosPerSecond;
  auto r1 = m.admit({"team:t"}, 600, 0, t0, wall_now());
  ASSERT_TRUE(r1);
  auto no = m.admit({"team:t"}, 600, 0, t0 + 10 * kNanosPerSecond, wall_now());
  ASSERT_FALSE(no);
  EXPECT_EQ(no.error().limit, "tokens_per_minute");
  EXPECT_EQ(no.error().retry_after_s, 51);
  m.settle(*r1, 100, 0);  // it used far less than it reserved
  EXPECT_TRUE(m.admit({"team:t"}, 600, 0, t0 + 10 * kNanosPerSecond, wall_now()));
  EXPECT_TRUE(m.admit({"team:t"}, 300, 0, t0 + 61 * kNanosPerSecond, wall_now()));  // the first left the window
}

TEST(Budgets, AKeyAndItsTeamAreBothChecked) {
  BudgetManager m;
  BudgetConfig key, team;
  key.key = "k";
  key.requests_per_minute = 10;
  team.team = "t";
  team.requests_per_minute = 2;
  m.configure({key, team});
  auto subjects = m.subjects_for("k", "t");
  Nanos now = mono_now();
  EXPECT_TRUE(m.admit(subjects, 1, 0, now, wall_now()));
  EXPECT_TRUE(m.admit(subjects, 1, 0, now, wall_now()));
  auto third = m.admit(subjects, 1, 0, now, wall_now());
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().subject, "team:t");
}

TEST(Budgets, DayBoundariesAreUtc) {
  Nanos noon = (19000LL * 86400 + 43200) * kNanosPerSecond;
  EXPECT_EQ(seconds_to_next_day(noon), 43201);
  EXPECT_EQ(start_of_day(noon), 19000LL * 86400 * kNanosPerSecond);
  EXPECT_EQ(utc_day(noon), 19000);
}

// 2026-11-29 12:00 UTC: the next midnight is 12 h away, the first of next month 36 h.
constexpr Nanos kNov29Noon = 1'795'953'600LL * kNanosPerSecond;

TEST(Budgets, NoDeploymentFitsAMonthlyLimitWaitsForTheNextMonth) {
  BudgetManager m;
  BudgetConfig team;
  team.team = "ta";
  team.usd_per_month = 0.8;
  m.configure({team});
  auto subjects = m.subjects_for("kb", "ta");
  ASSERT_TRUE(m.admit(subjects, 10, 0.75, mono_now(), kNov29Noon));  // $0.75 of $0.80 reserved
  auto r = m.money_refusal(subjects, 0.10, kNov29Noon);
  EXPECT_EQ(r.subject, "team:ta");
  EXPECT_EQ(r.limit, "usd_per_month");
  EXPECT_EQ(r.retry_after_s, 36 * 3600 + 1) << "Dec 1 00:00 UTC, not the next midnight";
  EXPECT_NE(r.message.find("team:ta: monthly budget $0.8000"), std::string::npos) << r.message;
}

TEST(Budgets, NoDeploymentFitsWaitsForEveryLimitThatRefuses) {
  BudgetManager m;
  BudgetConfig key, team;
  key.key = "kb";
  key.usd_per_day = 0.5;
  team.team = "ta";
  team.usd_per_month = 0.8;
  m.configure({key, team});
  auto subjects = m.subjects_for("kb", "ta");
  ASSERT_TRUE(m.admit(subjects, 10, 0.45, mono_now(), kNov29Noon));
  auto day_only = m.money_refusal(subjects, 0.10, kNov29Noon);  // the day's $0.50 refuses; the month's $0.80 does not
  EXPECT_EQ(day_only.subject, "key:kb");
  EXPECT_EQ(day_only.limit, "usd_per_day");
  EXPECT_EQ(day_only.retry_after_s, 12 * 3600 + 1);
  auto both = m.money_refusal(subjects, 0.40, kNov29Noon);  // both refuse: only next month can help
  EXPECT_EQ(both.limit, "usd_per_month");
  EXPECT_EQ(both.retry_after_s, 36 * 3600 + 1);
  EXPECT_NE(both.message.find("key:kb: daily budget"), std::string::npos) << both.message;
  EXPECT_NE(both.message.find("team:ta: monthly budget"), std::string::npos) << both.message;
}

TEST(Budgets, ARequestOverALimitItselfNeverFits) {
  BudgetManager m;
  BudgetConfig key, team;
  key.key = "kb";
  key.tokens_per_minute = 2000;
  team.team = "ta";
  team.usd_per_day = 0.05;
  m.configure({key, team});
  auto subjects = m.subjects_for("kb", "ta");
  auto tokens = m.never_fits(subjects, 4112, 0);  // no max_tokens: 16 + 4096
  ASSERT_TRUE(tokens);
  EXPECT_EQ(tokens->subject, "key:kb");
  EXPECT_EQ(tokens->limit, "tokens_per_minute");
  EXPECT_EQ(tokens->allowed, 2000);
  auto money = m.never_fits(subjects, 100, 0.06);
  ASSERT_TRUE(money);
  EXPECT_EQ(money->subject, "team:ta");
  EXPECT_EQ(money->limit, "usd_per_day");
  // What fits the limits themselves is not refused here, however much is used already.
  ASSERT_TRUE(m.admit(subjects, 1900, 0.04, mono_now(), wall_now()));
  EXPECT_FALSE(m.never_fits(subjects, 2000, 0.05));
  EXPECT_FALSE(m.admit(subjects, 2000, 0.05, mono_now(), wall_now())) << "that one waits (429) instead";
}

}  // namespace
}  // namespace llmux::gateway
