#include "sim/pacer.hpp"

#include <algorithm>

namespace llmux::sim {

namespace {

template <class Handler>
struct WaiterOf final : Pacer::Waiter {
  explicit WaiterOf(Handler h) : handler(std::move(h)) {}
  void resume() override { std::move(handler)(); }
  Handler handler;
};

asio::steady_timer::time_point at(Nanos t) { return asio::steady_timer::time_point(std::chrono::nanoseconds(t)); }

}  // namespace

constexpr Nanos kMinLead = 20'000;
constexpr int kBurst = 64;  // streams resumed in a row before the loop gets a turn for its sockets

Pacer::Pacer(asio::any_io_executor ex, Nanos max_spin)
    : ex_(ex), max_spin_(std::max<Nanos>(0, max_spin)), lead_(max_spin_), timer_(ex),
      alive_(std::make_shared<bool>(true)) {}

// Streams still waiting are dropped: their handlers, destroyed here, hand their
// coroutines back to the loop, which destroys them with itself.
Pacer::~Pacer() { *alive_ = false; }

asio::awaitable<void> Pacer::until(Nanos due) {
  return asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [this, due](auto handler) { push(due, std::make_unique<WaiterOf<decltype(handler)>>(std::move(handler))); },
      asio::use_awaitable);
}

void Pacer::learn(Nanos late) {
  wake_late_ += (std::max<Nanos>(0, late) - wake_late_) / 8;
  lead_ = std::clamp(2 * wake_late_, std::min(kMinLead, max_spin_), max_spin_);
}

void Pacer::push(Nanos due, std::unique_ptr<Waiter> w) {
  heap_.push_back(Entry{due, order_++, std::move(w)});
  std::push_heap(heap_.begin(), heap_.end(), later);
  if (!driving_) {
    driving_ = true;
    asio::co_spawn(ex_, drive(), asio::detached);
  } else if (armed_ && due - lead_ < armed_) {
    timer_.cancel();  // the driver sleeps past this deadline: wake it to look again
  }
}

asio::awaitable<void> Pacer::drive() {
  auto alive = alive_;
  error_code ec;
  for (;;) {
    Nanos now = mono_now();
    int released = 0;
    while (!heap_.empty() && heap_.front().due <= now && released < kBurst) {
      std::pop_heap(heap_.begin(), heap_.end(), later);
      auto w = std::move(heap_.back().waiter);
      heap_.pop_back();
      w->resume();  // runs the stream up to its next wait (which may push onto the heap)
      ++released;
      now = mono_now();
    }
    if (heap_.empty()) break;  // the next push starts a new driver
    Nanos next = heap_.front().due;
    if (next > now && next - now > lead_) {
      armed_ = next - lead_;
      timer_.expires_at(at(armed_));
      co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (!*alive) co_return;
      if (!ec) learn(mono_now() - armed_);
    } else {  // close to a deadline, or a burst cut short: let the loop serve its sockets, then go on
      co_await asio::post(ex_, asio::use_awaitable);
    }
    if (!*alive) co_return;
    armed_ = 0;
  }
  driving_ = false;
}

}  // namespace llmux::sim
