#include "core/histogram.hpp"

#include <bit>

namespace llmux {

int Histogram::bucket_of(std::uint64_t v) {
  if (v < 128) return static_cast<int>(v);
  int msb = 63 - std::countl_zero(v);
  int shift = msb - 6;
  return 128 + (msb - 7) * 64 + static_cast<int>((v >> shift) - 64);
}

std::uint64_t Histogram::bucket_low(int b) {
  if (b < 128) return static_cast<std::uint64_t>(b);
  int k = (b - 128) / 64;
  std::uint64_t m = static_cast<std::uint64_t>((b - 128) % 64 + 64);
  return m << (k + 1);
}

std::uint64_t Histogram::bucket_high(int b) {
  if (b < 128) return static_cast<std::uint64_t>(b) + 1;
  int k = (b - 128) / 64;
  return bucket_low(b) + (std::uint64_t{1} << (k + 1));
}

void Histogram::record(std::int64_t value) {
  if (value < 0) value = 0;
  buckets_[static_cast<std::size_t>(bucket_of(static_cast<std::uint64_t>(value)))].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  auto lo = min_.load(std::memory_order_relaxed);
  while (value < lo && !min_.compare_exchange_weak(lo, value, std::memory_order_relaxed)) {
  }
  auto hi = max_.load(std::memory_order_relaxed);
  while (value > hi && !max_.compare_exchange_weak(hi, value, std::memory_order_relaxed)) {
  }
}

std::int64_t Histogram::min() const {
  auto v = min_.load(std::memory_order_relaxed);
  return v == INT64_MAX ? 0 : v;
}

double Histogram::mean() const {
  auto n = count();
  return n ? static_cast<double>(sum_.load(std::memory_order_relaxed)) / static_cast<double>(n) : 0.0;
}

std::int64_t Histogram::quantile(double q) const {
  std::uint64_t n = count();
  if (n == 0) return 0;
  if (q <= 0) return min();
  if (q >= 1) return max();
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(n - 1)) + 1;
  std::uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += buckets_[static_cast<std::size_t>(b)].load(std::memory_order_relaxed);
    if (seen >= rank) {
      if (b < 128) return b;
      auto mid = static_cast<std::int64_t>((bucket_low(b) + bucket_high(b)) / 2);
      return mid > max() ? max() : mid;
    }
  }
  return max();
}

void Histogram::reset() {
  for (auto& b : buckets_) b.store(0, std::memory_order_relaxed);
  count_ = 0;
  sum_ = 0;
  min_ = INT64_MAX;
  max_ = 0;
}

}  // namespace llmux
