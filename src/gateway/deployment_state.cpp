#include "gateway/deployment_state.hpp"

#include "net/http_client.hpp"

namespace llmux::gateway {

bool CircuitBreaker::allow(Nanos now, const BreakerSection& cfg) {
  std::lock_guard lock(mu_);
  switch (state_) {
    case State::closed: return true;
    case State::open:
      if (now - opened_at_ < cfg.cooldown) return false;
      state_ = State::half_open;
      probe_in_flight_ = true;
      return true;
    case State::half_open:
      if (probe_in_flight_) return false;
      probe_in_flight_ = true;
      return true;
  }
  return false;
}

void CircuitBreaker::on_success() {
  std::lock_guard lock(mu_);
  state_ = State::closed;
  consecutive_failures_ = 0;
  probe_in_flight_ = false;
}

bool CircuitBreaker::on_failure(Nanos now, const BreakerSection& cfg) {
  std::lock_guard lock(mu_);
  ++consecutive_failures_;
  bool opens = state_ == State::half_open || (state_ == State::closed && consecutive_failures_ >= cfg.failures);
  if (opens) {
    state_ = State::open;
    opened_at_ = now;
  }
  probe_in_flight_ = false;
  return opens;
}

void CircuitBreaker::abandon() {
  std::lock_guard lock(mu_);
  probe_in_flight_ = false;
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

void Limiter::configure(int max_concurrent, int max_queue) {
  std::lock_guard lock(mu_);
  max_ = max_concurrent;
  max_queue_ = max_queue;
}

int Limiter::waiting() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(waiters_.size());
}

bool Limiter::take_free_slot() {
  if (max_ > 0 && active_.load() >= max_) return false;
  ++active_;
  return true;
}

bool Limiter::try_acquire() {
  std::lock_guard lock(mu_);
  return take_free_slot();
}

asio::awaitable<bool> Limiter::acquire(Nanos deadline, net::CancelSignal* cancel) {
  if (cancel && cancel->cancelled()) co_return false;
  std::shared_ptr<Waiter> me;
  {
    std::lock_guard lock(mu_);
    if (take_free_slot()) co_return true;
    if (static_cast<int>(waiters_.size()) >= max_queue_) co_return false;
    me = std::make_shared<Waiter>(co_await asio::this_coro::executor);
    waiters_.push_back(me);
  }
  me->timer.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(deadline)));
  if (cancel) cancel->set_action([me] { me->timer.cancel(); });
  error_code ec;
  co_await me->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (cancel) cancel->clear_action();
  std::lock_guard lock(mu_);
  if (me->granted) co_return true;  // release() handed its slot over
  std::erase(waiters_, me);
  co_return false;
}

void Limiter::release() {
  std::shared_ptr<Waiter> next;
  {
    std::lock_guard lock(mu_);
    if (waiters_.empty()) {
      --active_;
      return;
    }
    next = waiters_.front();
    waiters_.pop_front();
    next->granted = true;  // the slot passes on: active_ stays the same
  }
  asio::post(next->executor, [next] { next->timer.cancel(); });
}

void DeploymentState::observe_ttft(double ms) {
  if (!ever_measured.exchange(true)) {
    ttft_ewma_ms.store(ms);
    return;
  }
  double old = ttft_ewma_ms.load();
  ttft_ewma_ms.store(old * 0.8 + ms * 0.2);
}

}  // namespace llmux::gateway
