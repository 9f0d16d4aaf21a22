#include "net/io_pool.hpp"

#include <sched.h>

#include <algorithm>

namespace llmux::net {

IoPool::IoPool(int threads, Nanos busy_poll) : busy_poll_(std::max<Nanos>(0, busy_poll)) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    guards_.push_back(asio::make_work_guard(*contexts_.back()));
  }
}

IoPool::~IoPool() {
  stop();
  join();
}

asio::io_context& IoPool::next() {
  auto& c = *contexts_[next_ % contexts_.size()];
  ++next_;
  return c;
}

namespace {

// A timer that always expires soonest. Asio reprograms its timerfd only when the
// earliest timer changes; with this one in front, the per-operation timeouts that
// Beast arms and cancels on every read and write never do, which saves several
// system calls per request (expensive on virtual machines).
asio::awaitable<void> heartbeat(std::atomic<bool>& stopping) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  error_code ec;
  while (!stopping.load(std::memory_order_relaxed)) {
    t.expires_after(std::chrono::milliseconds(25));
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

// Runs `ctx` until it is stopped, polling for up to `spin` after the last handler
// before it blocks (see IoPool's constructor).
void run_polling(asio::io_context& ctx, Nanos spin) {
  Nanos last_work = mono_now();
  while (!ctx.stopped()) {
    if (ctx.poll() > 0) {
      last_work = mono_now();
    } else if (mono_now() - last_work >= spin) {
      ctx.run_one();  // sleeps until there is something to do
      last_work = mono_now();
    } else {
      sched_yield();
    }
  }
}

}  // namespace

void IoPool::start() {
  if (!threads_.empty()) return;
  for (auto& c : contexts_) {
    asio::co_spawn(*c, heartbeat(stopping_), asio::detached);
    threads_.emplace_back([ctx = c.get(), spin = busy_poll_] {
      if (spin > 0) run_polling(*ctx, spin);
      else ctx->run();
    });
  }
}

void IoPool::stop() {
  stopping_ = true;
  guards_.clear();
  for (auto& c : contexts_) c->stop();
}

void IoPool::join() {
  for (auto& t : threads_)
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  threads_.clear();
}

}  // namespace llmux::net
