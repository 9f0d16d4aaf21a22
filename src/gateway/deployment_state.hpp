#pragma once
// What the gateway knows about a deployment at run time, shared by all I/O
// threads and kept across config reloads: its circuit breaker, requests in
// flight with a bounded wait queue, a TTFT moving average, and health.
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "gateway/config.hpp"
#include "net/asio.hpp"

namespace llmux::net {
class CancelSignal;
}

namespace llmux::gateway {

// closed -> (N consecutive failures) -> open -> (cooldown) -> half-open: one probe;
// its success closes the breaker, its failure opens it again.
class CircuitBreaker {
 public:
  enum class State { closed = 0, half_open = 1, open = 2 };
  // May a request go now? In half-open, only one probe at a time.
  bool allow(Nanos now, const BreakerSection& cfg);
  void on_success();
  // Returns true when this failure opened the breaker.
  bool on_failure(Nanos now, const BreakerSection& cfg);
  State state() const;
  // A request that was let through ended without a verdict (the client left).
  void abandon();

 private:
  mutable std::mutex mu_;
  State state_ = State::closed;
  int consecutive_failures_ = 0;
  Nanos opened_at_ = 0;
  bool probe_in_flight_ = false;
};

// Admission to a deployment with a concurrency limit and a bounded queue of
// waiters; waiters may live on any I/O thread.
class Limiter {
 public:
  void configure(int max_concurrent, int max_queue);
  // True when admitted; false when the queue is full, the deadline passed or `cancel`
  // fired while waiting (the client left: its place in the queue goes at once).
  // `cancel` belongs to the waiter's executor, as the waiter does.
  asio::awaitable<bool> acquire(Nanos deadline, net::CancelSignal* cancel = nullptr);
  // A slot if one is free now, without waiting (and without a coroutine).
  bool try_acquire();
  void release();
  int active() const { return active_.load(); }
  int waiting() const;

 private:
  struct Waiter {
    explicit Waiter(asio::any_io_executor ex) : timer(ex), executor(ex) {}
    asio::steady_timer timer;
    asio::any_io_executor executor;
    bool granted = false;
  };
  bool take_free_slot();  // with mu_ held
  mutable std::mutex mu_;
  int max_ = 0;
  int max_queue_ = 0;
  std::atomic<int> active_{0};
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

struct DeploymentState {
  explicit DeploymentState(std::string n) : name(std::move(n)) {}
  std::string name;
  CircuitBreaker breaker;
  Limiter limiter;
  std::atomic<int> in_flight{0};
  std::atomic<bool> healthy{true};
  std::atomic<bool> ever_measured{false};
  std::atomic<double> ttft_ewma_ms{0};  // exponentially weighted, alpha 0.2

  void observe_ttft(double ms);
};

}  // namespace llmux::gateway
