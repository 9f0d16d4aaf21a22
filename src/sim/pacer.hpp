#pragma once
// Private to sim/: wakes the sim's streams when their next tokens are due.
//
// One pacer per loop thread keeps the waiting streams in a heap under one timer,
// instead of one Asio timer per stream. The timer is set a lead before the
// earliest deadline and the last stretch is spent polling the loop (its sockets
// are served meanwhile), so that a token goes out at its time rather than when a
// sleeping thread gets woken. The lead is learnt: twice the average lateness of
// this machine's timer wake-ups, at least 20 us, at most `max_spin`. On the VM
// this was built on a wake-up is ~90 us late, and a timer interrupt, or re-arming
// a timer for a deadline a few microseconds away, costs as much again; under load
// the deadlines are that close together, so the loop never sleeps and pays none
// of it.
// Streams due together are resumed 64 at a time, with a turn for the loop's
// sockets in between, so a burst does not hold up new requests and disconnects.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/clock.hpp"
#include "net/asio.hpp"

namespace llmux::sim {

class Pacer {
 public:
  // `max_spin`: the longest the pacer polls before a deadline; 0 sleeps until it.
  Pacer(asio::any_io_executor ex, Nanos max_spin);
  ~Pacer();
  Pacer(const Pacer&) = delete;
  Pacer& operator=(const Pacer&) = delete;

  // Resumes the calling coroutine at `due`, on this pacer's loop (which must be the
  // caller's). A deadline already passed resumes it on the next turn of the loop.
  asio::awaitable<void> until(Nanos due);
  std::size_t waiting() const { return heap_.size(); }
  Nanos lead() const { return lead_; }  // how long before a deadline it stops sleeping now
  const asio::any_io_executor& executor() const { return ex_; }

  struct Waiter {
    virtual ~Waiter() = default;
    virtual void resume() = 0;
  };

 private:
  struct Entry {
    Nanos due;
    std::uint64_t order;  // first come, first resumed among equal deadlines
    std::unique_ptr<Waiter> waiter;
  };
  static bool later(const Entry& a, const Entry& b) { return a.due != b.due ? a.due > b.due : a.order > b.order; }
  void push(Nanos due, std::unique_ptr<Waiter> w);
  void learn(Nanos late);  // a timer wake-up came `late`: adjusts the lead
  asio::awaitable<void> drive();

  asio::any_io_executor ex_;
  Nanos max_spin_;
  Nanos lead_;
  Nanos wake_late_ = 0;  // moving average of the timer wake-ups' lateness
  asio::steady_timer timer_;
  Nanos armed_ = 0;  // when the sleeping driver's timer fires; 0 while it is not asleep
  std::vector<Entry> heap_;
  std::uint64_t order_ = 0;
  bool driving_ = false;
  std::shared_ptr<bool> alive_;  // the driver stops touching the pacer once it is gone
};

}  // namespace llmux::sim
