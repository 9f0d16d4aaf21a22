// The sim's pacer: streams resume at their deadlines, never before, in deadline
// order, and an earlier deadline is not stuck behind a sleeping timer.
#include "sim/pacer.hpp"

#include <gtest/gtest.h>

#include <random>

namespace llmux::sim {
namespace {

struct Woken {
  int id;
  Nanos due;
  Nanos at;
};

asio::awaitable<void> sleeper(Pacer& p, int id, Nanos due, std::vector<Woken>& out) {
  co_await p.until(due);
  out.push_back({id, due, mono_now()});
}

TEST(Pacer, ResumesEveryStreamAtOrAfterItsDeadlineInDeadlineOrder) {
  for (Nanos spin : {Nanos{0}, Nanos{200'000}}) {
    asio::io_context ctx(1);
    Pacer pacer(ctx.get_executor(), spin);
    std::vector<Woken> woken;
    std::mt19937 rng(7);
    Nanos base = mono_now() + 2 * kNanosPerMilli;
    std::vector<Nanos> dues;
    for (int i = 0; i < 300; ++i) dues.push_back(base + static_cast<Nanos>(rng() % (30 * kNanosPerMilli)));
    for (int i = 0; i < 300; ++i) asio::co_spawn(ctx, sleeper(pacer, i, dues[static_cast<std::size_t>(i)], woken), asio::detached);
    ctx.run();
    ASSERT_EQ(woken.size(), 300u) << "spin " << spin;
    for (std::size_t i = 0; i < woken.size(); ++i) {
      EXPECT_GE(woken[i].at, woken[i].due) << "stream " << woken[i].id << " woke early (spin " << spin << ")";
      if (i > 0) {
        EXPECT_GE(woken[i].due, woken[i - 1].due) << "out of deadline order (spin " << spin << ")";
      }
    }
    EXPECT_EQ(pacer.waiting(), 0u);
  }
}

TEST(Pacer, EqualDeadlinesResumeFirstComeFirstServed) {
  asio::io_context ctx(1);
  Pacer pacer(ctx.get_executor(), 50'000);
  std::vector<Woken> woken;
  Nanos due = mono_now() + kNanosPerMilli;
  for (int i = 0; i < 20; ++i) asio::co_spawn(ctx, sleeper(pacer, i, due, woken), asio::detached);
  ctx.run();
  ASSERT_EQ(woken.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(woken[static_cast<std::size_t>(i)].id, i);
}

TEST(Pacer, AnEarlierDeadlineWakesTheSleepingTimer) {
  asio::io_context ctx(1);
  Pacer pacer(ctx.get_executor(), 100'000);
  std::vector<Woken> woken;
  Nanos now = mono_now();
  // The far deadline arms the timer first; the near one, pushed after, must not wait for it.
  asio::co_spawn(ctx, sleeper(pacer, 1, now + 400 * kNanosPerMilli, woken), asio::detached);
  asio::steady_timer later(ctx, std::chrono::milliseconds(5));
  later.async_wait([&](error_code) { asio::co_spawn(ctx, sleeper(pacer, 2, mono_now() + 5 * kNanosPerMilli, woken), asio::detached); });
  ctx.run();
  ASSERT_EQ(woken.size(), 2u);
  EXPECT_EQ(woken[0].id, 2);
  EXPECT_LT(woken[0].at, now + 200 * kNanosPerMilli) << "the near deadline waited for the far one's timer";
  EXPECT_EQ(woken[1].id, 1);
}

TEST(Pacer, APassedDeadlineResumesOnTheNextTurn) {
  asio::io_context ctx(1);
  Pacer pacer(ctx.get_executor(), 200'000);
  std::vector<Woken> woken;
  asio::co_spawn(ctx, sleeper(pacer, 1, mono_now() - kNanosPerMilli, woken), asio::detached);
  ctx.run();
  ASSERT_EQ(woken.size(), 1u);
}

TEST(Pacer, ABurstOfDueStreamsLetsTheLoopServeItsSocketsBetween) {
  asio::io_context ctx(1);
  Pacer pacer(ctx.get_executor(), 100'000);
  std::vector<Woken> woken;
  std::size_t seen_by_other_work = 0;
  Nanos due = mono_now() + kNanosPerMilli;
  // The first stream resumed posts other work (as a socket's completion would be):
  // it must run before all 500 streams have been resumed in one go.
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    co_await pacer.until(due);
    woken.push_back({0, due, mono_now()});
    asio::post(ctx, [&] { seen_by_other_work = woken.size(); });
  }, asio::detached);
  for (int i = 1; i < 500; ++i) asio::co_spawn(ctx, sleeper(pacer, i, due, woken), asio::detached);
  ctx.run();
  ASSERT_EQ(woken.size(), 500u);
  EXPECT_GT(seen_by_other_work, 0u);
  EXPECT_LT(seen_by_other_work, 500u) << "the loop got no turn while the burst was released";
}

TEST(Pacer, TheLeadStaysWithinItsBounds) {
  asio::io_context ctx(1);
  Pacer off(ctx.get_executor(), 0);
  Pacer on(ctx.get_executor(), 200'000);
  std::vector<Woken> woken;
  Nanos base = mono_now();
  for (int i = 1; i <= 20; ++i) {
    asio::co_spawn(ctx, sleeper(off, i, base + i * kNanosPerMilli, woken), asio::detached);
    asio::co_spawn(ctx, sleeper(on, i, base + i * kNanosPerMilli, woken), asio::detached);
  }
  ctx.run();
  EXPECT_EQ(woken.size(), 40u);
  EXPECT_EQ(off.lead(), 0);
  EXPECT_GE(on.lead(), 20'000);
  EXPECT_LE(on.lead(), 200'000);
}

TEST(Pacer, StreamsStillWaitingWhenThePacerGoesAreDestroyedNotResumed) {
  std::vector<Woken> woken;
  {
    asio::io_context ctx(1);
    {
      Pacer pacer(ctx.get_executor(), 100'000);
      for (int i = 0; i < 10; ++i)
        asio::co_spawn(ctx, sleeper(pacer, i, mono_now() + 10 * kNanosPerSecond, woken), asio::detached);
      ctx.run_for(std::chrono::milliseconds(20));
      EXPECT_EQ(pacer.waiting(), 10u);
    }
    ctx.run_for(std::chrono::milliseconds(20));  // the loop may run on: nothing touches the pacer
  }  // the coroutines are destroyed with the loop (ASan checks nothing leaks or is used after)
  EXPECT_TRUE(woken.empty());
}

}  // namespace
}  // namespace llmux::sim
