#include "sim/batch_engine.hpp"

#include <algorithm>

namespace llmux::sim {

asio::awaitable<void> Sequence::wait_tokens() {
  while (token_times.empty() && !finished() && !cancelled) {
    wake.expires_at(asio::steady_timer::time_point::max());
    error_code ec;
    co_await wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

BatchEngine::BatchEngine(asio::any_io_executor ex, BatchProfile profile, Histogram& lateness, Pacer& pacer)
    : ex_(ex), profile_(profile), lateness_(lateness), pacer_(pacer), timer_(ex) {}

bool BatchEngine::submit(std::shared_ptr<Sequence> seq) {
  if (waiting_.size() >= static_cast<std::size_t>(profile_.max_queue)) return false;
  waiting_.push_back(std::move(seq));
  if (idle_) timer_.cancel();
  return true;
}

void BatchEngine::start() { asio::co_spawn(ex_, loop(), asio::detached); }

Nanos BatchEngine::admit() {
  Nanos prefill = 0;
  while (!waiting_.empty() && running_.size() < static_cast<std::size_t>(profile_.max_batch)) {
    auto& next = waiting_.front();
    if (next->cancelled) {
      waiting_.pop_front();
      continue;
    }
    std::int64_t need = next->prompt_tokens + next->output_tokens;
    if (profile_.kv_tokens > 0 && kv_in_use_ + need > profile_.kv_tokens && !running_.empty()) break;
    kv_in_use_ += need;
    prefill += profile_.prefill_per_token * next->prompt_tokens;
    running_.push_back(std::move(next));
    waiting_.pop_front();
  }
  return prefill;
}

asio::awaitable<void> BatchEngine::loop() {
  error_code ec;
  // While the batch stays busy, a step starts when the previous one was due, not when this loop got the CPU
  // back: a late wake-up is the host's lateness (recorded below), not a slower model, and must not pile up
  // step after step. After a stall of a whole decode_base or more the schedule restarts from now instead of
  // emitting a burst of catch-up tokens.
  Nanos prev_due = 0;
  for (;;) {
    if (running_.empty() && waiting_.empty()) {
      idle_ = true;
      timer_.expires_at(asio::steady_timer::time_point::max());
      co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      idle_ = false;
      prev_due = 0;
      continue;
    }
    Nanos now_start = mono_now();
    bool on_schedule = prev_due != 0 && now_start - prev_due < profile_.decode_base;
    Nanos step_start = on_schedule ? prev_due : now_start;
    Nanos prefill = admit();
    Nanos step = profile_.decode_base + profile_.decode_per_seq * static_cast<Nanos>(running_.size()) + prefill;
    Nanos due = step_start + step;
    co_await pacer_.until(due);
    Nanos now = mono_now();
    lateness_.record(now - due);
    prev_due = due;
    // Every running sequence gets one token from this step.
    for (auto& seq : running_) {
      if (seq->cancelled) continue;
      ++seq->generated;
      seq->token_times.push_back(now);
      seq->token_due.push_back(due);
      seq->wake.cancel();
    }
    auto gone = [&](const std::shared_ptr<Sequence>& s) {
      bool out = s->cancelled || s->finished();
      if (out) kv_in_use_ -= s->prompt_tokens + s->output_tokens;
      return out;
    };
    std::erase_if(running_, gone);
  }
}

}  // namespace llmux::sim
