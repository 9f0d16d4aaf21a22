#pragma once
// Continuous batching, simulated: one engine loop per sim. Each step decodes one
// token for every running sequence and prefills the prompts admitted in that
// step; the step takes decode_base + decode_per_seq x running + prefill time.
// Requests wait in a bounded queue when the batch (or KV capacity) is full.
#include <deque>
#include <memory>
#include <vector>

#include "core/histogram.hpp"
#include "net/asio.hpp"
#include "sim/options.hpp"
#include "sim/pacer.hpp"

namespace llmux::sim {

// One sequence's view of the engine; owned jointly by its request and the engine.
struct Sequence {
  explicit Sequence(asio::any_io_executor ex) : wake(ex) {}
  std::int64_t prompt_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t generated = 0;           // tokens the engine has produced so far
  std::vector<Nanos> token_times;       // production time of each token not yet taken
  std::vector<Nanos> token_due;         // when each was scheduled (for timing error)
  bool cancelled = false;               // the client went away
  bool finished() const { return generated >= output_tokens; }
  asio::steady_timer wake;              // cancelled by the engine to wake the request

  // Waits until the engine produced tokens (or finished).
  asio::awaitable<void> wait_tokens();
};

class BatchEngine {
 public:
  // Steps end on `pacer` (the loop's own, see pacer.hpp), so a step is not longer than its
  // profile says by a timer wake-up's lateness.
  BatchEngine(asio::any_io_executor ex, BatchProfile profile, Histogram& lateness, Pacer& pacer);
  // False when the queue is full (the caller answers 503).
  bool submit(std::shared_ptr<Sequence> seq);
  // Runs until the engine is destroyed (with the sim, after its loop has stopped).
  void start();
  std::size_t running() const { return running_.size(); }
  std::size_t waiting() const { return waiting_.size(); }

 private:
  asio::awaitable<void> loop();
  Nanos admit();  // moves waiting sequences into the batch; returns their prefill time

  asio::any_io_executor ex_;
  BatchProfile profile_;
  Histogram& lateness_;
  Pacer& pacer_;
  asio::steady_timer timer_;  // the idle engine waits on it for a submission
  std::deque<std::shared_ptr<Sequence>> waiting_;
  std::vector<std::shared_ptr<Sequence>> running_;
  std::int64_t kv_in_use_ = 0;
  bool idle_ = false;
};

}  // namespace llmux::sim
