#pragma once
// A log-linear latency histogram (HdrHistogram-style, 64 sub-buckets per power of
// two: under 1.6% relative error) with lock-free recording, for figures that are
// recorded at high rate on I/O threads (sim timing error, gateway latencies).
#include <array>
#include <atomic>
#include <cstdint>

namespace llmux {

class Histogram {
 public:
  static constexpr int kBuckets = 128 + 56 * 64;

  void record(std::int64_t value);
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  std::int64_t min() const;
  std::int64_t max() const { return max_.load(std::memory_order_relaxed); }
  double mean() const;
  // Value at quantile q in [0, 1] (bucket midpoint; exact below 128).
  std::int64_t quantile(double q) const;
  void reset();

  static int bucket_of(std::uint64_t v);
  static std::uint64_t bucket_low(int b);
  static std::uint64_t bucket_high(int b);  // exclusive

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> sum_{0};
  std::atomic<std::int64_t> min_{INT64_MAX};
  std::atomic<std::int64_t> max_{0};
};

}  // namespace llmux
