#pragma once
// Time is injected: code that measures or schedules takes a Clock so tests can
// drive it. Timestamps are nanoseconds on CLOCK_MONOTONIC, which is system-wide
// on Linux, so two processes on one machine can compare them (sim stamps the
// events it writes; bench's timing-error benchmark compares against them).
#include <chrono>
#include <cstdint>
#include <string>

namespace llmux {

using Nanos = std::int64_t;

constexpr Nanos kNanosPerMicro = 1'000;
constexpr Nanos kNanosPerMilli = 1'000'000;
constexpr Nanos kNanosPerSecond = 1'000'000'000;

inline double to_ms(Nanos ns) { return static_cast<double>(ns) / 1e6; }
inline double to_seconds(Nanos ns) { return static_cast<double>(ns) / 1e9; }
inline Nanos from_ms(double ms) { return static_cast<Nanos>(ms * 1e6); }

// Monotonic now, in nanoseconds.
Nanos mono_now();
// Wall-clock now, in nanoseconds since the Unix epoch (for records, not for intervals).
Nanos wall_now();
// Wall-clock now as ISO 8601 UTC to the second ("2026-11-29T05:34:44Z"), for result files.
std::string iso_now();

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Nanos now() const = 0;
};

class MonotonicClock final : public Clock {
 public:
  Nanos now() const override { return mono_now(); }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Nanos start = 0) : now_(start) {}
  Nanos now() const override { return now_; }
  void advance(Nanos d) { now_ += d; }
  void set(Nanos t) { now_ = t; }

 private:
  Nanos now_;
};

}  // namespace llmux
