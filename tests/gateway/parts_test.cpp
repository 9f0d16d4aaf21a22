// Keys, circuit breaker, limiter and routing strategies.
#include <gtest/gtest.h>

#include "gateway/deployment_state.hpp"
#include "gateway/gateway.hpp"
#include "gateway/keys.hpp"
#include "gateway/router.hpp"

namespace llmux::gateway {
namespace {

TEST(Keys, GeneratedKeysAuthenticateByDigestOnly) {
  auto k = generate_key();
  EXPECT_EQ(k.secret.rfind("llmux-sk-", 0), 0u);
  EXPECT_EQ(k.secret.size(), 9u + 32u);
  EXPECT_EQ(k.sha256_hex, sha256_hex(k.secret));
  KeyStore store({KeyConfig{"team-a", "a", k.sha256_hex, {}, 1}});
  ASSERT_NE(store.authenticate(k.secret), nullptr);
  EXPECT_EQ(store.authenticate(k.secret)->id, "team-a");
  EXPECT_EQ(store.authenticate(k.secret + "x"), nullptr);
  EXPECT_EQ(store.authenticate(""), nullptr);
  EXPECT_NE(generate_key().secret, k.secret);
}

TEST(Keys, KnownSha256) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Keys, PresentedKeyFromEitherHeader) {
  EXPECT_EQ(presented_key(std::string_view("Bearer abc"), std::nullopt), "abc");
  EXPECT_EQ(presented_key(std::string_view("bearer  abc "), std::nullopt), "abc");
  EXPECT_EQ(presented_key(std::nullopt, std::string_view("xyz")), "xyz");
  EXPECT_EQ(presented_key(std::string_view("Basic abc"), std::nullopt), "");
}

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndProbesAfterCooldown) {
  BreakerSection cfg{3, 10 * kNanosPerSecond};
  CircuitBreaker b;
  Nanos t = 1000;
  EXPECT_FALSE(b.on_failure(t, cfg));
  b.on_success();  // resets the count
  EXPECT_FALSE(b.on_failure(t, cfg));
  EXPECT_FALSE(b.on_failure(t, cfg));
  EXPECT_TRUE(b.on_failure(t, cfg));
  EXPECT_EQ(b.state(), CircuitBreaker::State::open);
  EXPECT_FALSE(b.allow(t + kNanosPerSecond, cfg));
  EXPECT_TRUE(b.allow(t + 11 * kNanosPerSecond, cfg));   // the one half-open probe
  EXPECT_FALSE(b.allow(t + 11 * kNanosPerSecond, cfg));  // no second probe meanwhile
  EXPECT_TRUE(b.on_failure(t + 12 * kNanosPerSecond, cfg));  // the probe failed: open again
  EXPECT_FALSE(b.allow(t + 13 * kNanosPerSecond, cfg));
  EXPECT_TRUE(b.allow(t + 23 * kNanosPerSecond, cfg));
  b.on_success();
  EXPECT_EQ(b.state(), CircuitBreaker::State::closed);
  EXPECT_TRUE(b.allow(t + 23 * kNanosPerSecond, cfg));
}

TEST(CircuitBreaker, AnAbandonedProbeFreesTheSlot) {
  BreakerSection cfg{1, 0};
  CircuitBreaker b;
  b.on_failure(0, cfg);
  EXPECT_TRUE(b.allow(1, cfg));
  EXPECT_FALSE(b.allow(1, cfg));
  b.abandon();
  EXPECT_TRUE(b.allow(1, cfg));
}

TEST(Limiter, QueuesUpToItsBoundAndHandsSlotsOver) {
  asio::io_context ctx;
  Limiter l;
  l.configure(1, 1);
  std::vector<int> order;
  auto take = [&](int id) -> asio::awaitable<void> {
    bool ok = co_await l.acquire(mono_now() + 5 * kNanosPerSecond);
    order.push_back(ok ? id : -id);
    if (!ok) co_return;
    asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
    co_await t.async_wait(asio::use_awaitable);
    l.release();
  };
  asio::co_spawn(ctx, take(1), asio::detached);  // runs
  asio::co_spawn(ctx, take(2), asio::detached);  // waits
  asio::co_spawn(ctx, take(3), asio::detached);  // queue full: refused
  ctx.run();
  EXPECT_EQ(order, (std::vector<int>{1, -3, 2}));  // 1 runs, 3 is refused at once, 2 gets 1's slot
  EXPECT_EQ(l.active(), 0);
}

TEST(Limiter, TryAcquireTakesOnlyAFreeSlot) {
  Limiter l;
  EXPECT_TRUE(l.try_acquire()) << "unconfigured: no limit";
  l.release();
  l.configure(2, 4);
  EXPECT_TRUE(l.try_acquire());
  EXPECT_TRUE(l.try_acquire());
  EXPECT_FALSE(l.try_acquire()) << "both slots taken";
  EXPECT_EQ(l.active(), 2);
  EXPECT_EQ(l.waiting(), 0) << "a failed try does not queue";
  l.release();
  EXPECT_TRUE(l.try_acquire());
  l.release();
  l.release();
  EXPECT_EQ(l.active(), 0);
}

TEST(Limiter, WaitersGiveUpAtTheirDeadline) {
  asio::io_context ctx;
  Limiter l;
  l.configure(1, 4);
  bool second = true;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    bool ok = co_await l.acquire(mono_now() + kNanosPerSecond);
    EXPECT_TRUE(ok);  // and never released
  }, asio::detached);
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    second = co_await l.acquire(mono_now() + 30 * kNanosPerMilli);
  }, asio::detached);
  ctx.run();
  EXPECT_FALSE(second);
  EXPECT_EQ(l.waiting(), 0);
}

Snapshot snapshot_of(std::vector<std::pair<std::string, int>> deps, StateRegistry& reg) {
  Snapshot s;
  for (auto& [name, weight] : deps) {
    DeploymentConfig d;
    d.name = name;
    d.weight = weight;
    s.config.deployments.push_back(d);
  }
  for (auto& d : s.config.deployments) {
    Deployment dep;
    dep.config = &d;
    dep.state = reg.get(d.name);
    s.deployments.push_back(dep);
  }
  return s;
}

TEST(Router, PriorityKeepsRouteOrderAndFallsBackInIt) {
  StateRegistry reg;
  auto s = snapshot_of({{"a", 1}, {"b", 1}, {"c", 1}}, reg);
  RouteConfig r{"chat", {"b", "a", "c"}, Strategy::priority, 1, 0, 0};
  std::mt19937_64 rng(1);
  auto c = choose_deployments(s, r, rng);
  ASSERT_EQ(c.order.size(), 3u);
  EXPECT_EQ(c.order[0]->config->name, "b");
  EXPECT_EQ(c.order[1]->config->name, "a");
}

TEST(Router, WeightedFollowsTheWeights) {
  StateRegistry reg;
  auto s = snapshot_of({{"a", 3}, {"b", 1}}, reg);
  RouteConfig r{"chat", {"a", "b"}, Strategy::weighted, 1, 0, 0};
  std::mt19937_64 rng(7);
  int a = 0;
  for (int i = 0; i < 4000; ++i) a += choose_deployments(s, r, rng).order[0]->config->name == "a";
  EXPECT_NEAR(a / 4000.0, 0.75, 0.03);
}

TEST(Router, LeastOutstandingAndLowestLatency) {
  StateRegistry reg;
  auto s = snapshot_of({{"a", 1}, {"b", 1}}, reg);
  std::mt19937_64 rng(1);
  reg.get("a")->in_flight = 5;
  RouteConfig lo{"chat", {"a", "b"}, Strategy::least_outstanding, 1, 0, 0};
  EXPECT_EQ(choose_deployments(s, lo, rng).order[0]->config->name, "b");
  RouteConfig ll{"chat", {"a", "b"}, Strategy::lowest_latency, 1, 0, 0};
  reg.get("a")->observe_ttft(50);
  EXPECT_EQ(choose_deployments(s, ll, rng).order[0]->config->name, "b");  // never measured: try it
  reg.get("b")->observe_ttft(200);
  EXPECT_EQ(choose_deployments(s, ll, rng).order[0]->config->name, "a");
}

TEST(Router, UnhealthyAndFilteredDeploymentsAreSkippedWithAReason) {
  StateRegistry reg;
  auto s = snapshot_of({{"a", 1}, {"b", 1}, {"c", 1}}, reg);
  reg.get("a")->healthy = false;
  RouteConfig r{"chat", {"a", "b", "c"}, Strategy::priority, 1, 0, 0};
  std::mt19937_64 rng(1);
  auto c = choose_deployments(s, r, rng, [](const Deployment& d, std::string& why) {
    if (d.config->name == "c") {
      why = "cloud deployment for local-only data";
      return false;
    }
    return true;
  });
  ASSERT_EQ(c.order.size(), 1u);
  EXPECT_EQ(c.order[0]->config->name, "b");
  ASSERT_EQ(c.skipped.size(), 2u);
  EXPECT_NE(c.skipped[0].find("health"), std::string::npos);
  EXPECT_NE(c.skipped[1].find("local-only"), std::string::npos);
}

}  // namespace
}  // namespace llmux::gateway

namespace llmux::gateway {
namespace {

TEST(GatewayConnections, MaxConnectionsStaysUnderTheDescriptorLimitWithRoomForUpstreams) {
  // `ulimit -n` 20000 and the default 20000 connections: each would need an upstream too.
  std::size_t fit = connections_within(20000, 20000);
  EXPECT_LT(2 * fit + 64, 20001u) << fit;
  EXPECT_GT(fit, 9000u);
  EXPECT_EQ(connections_within(100, 20000), 100u) << "a limit that fits is kept";
  EXPECT_GE(connections_within(20000, 10), 1u);
}

}  // namespace
}  // namespace llmux::gateway
