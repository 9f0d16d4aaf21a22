#include "net/io_pool.hpp"

namespace llmux::net {

IoPool::IoPool(int threads) {
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

void IoPool::start() {
  if (!threads_.empty()) return;
  for (auto& c : contexts_) {
    threads_.emplace_back([ctx = c.get()] { ctx->run(); });
  }
}

void IoPool::stop() {
  guards_.clear();
  for (auto& c : contexts_) c->stop();
}

void IoPool::join() {
  for (auto& t : threads_)
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  threads_.clear();
}

}  // namespace llmux::net
