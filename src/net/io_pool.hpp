#pragma once
// A fixed set of threads, each running its own io_context ("one loop per core"):
// a connection lives on one thread for its whole life, so its state needs no locks.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "net/asio.hpp"

namespace llmux::net {

class IoPool {
 public:
  // `busy_poll` > 0: a loop that runs out of work keeps polling its sockets for that
  // long before it sleeps in epoll, so that the next event needs no wake-up of a
  // sleeping thread (costly on virtual machines: tens of microseconds). Between polls
  // that find nothing it yields the CPU to any other thread that wants it (an
  // upstream runtime on the same core, the ledger), so it does not starve them; but
  // it keeps the CPU from idling and costs a core's worth of CPU time while traffic
  // keeps coming.
  explicit IoPool(int threads, Nanos busy_poll = 0);
  ~IoPool();
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  int size() const { return static_cast<int>(contexts_.size()); }
  asio::io_context& context(int i) { return *contexts_[static_cast<std::size_t>(i)]; }
  // Round-robin choice, for spreading connections.
  asio::io_context& next();

  // Starts the threads (idempotent). Each loop keeps running until stop().
  void start();
  // Stops every loop and joins the threads.
  void stop();
  void join();

 private:
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  std::size_t next_ = 0;
  Nanos busy_poll_ = 0;
  std::atomic<bool> stopping_{false};
};

}  // namespace llmux::net
