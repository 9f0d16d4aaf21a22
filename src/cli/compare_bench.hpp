#pragma once
// The short standard bench `llmux compare` runs on every measurable target: the
// workload's prompt and output lengths, a few closed-loop load levels, each
// bounded in time, with a progress line. The result is bench's own JSON
// (docs/bench.md), so `llmux report` draws the same report from saved files.
#include <string>
#include <vector>

#include "bench/slo.hpp"
#include "cli/compare_targets.hpp"
#include "core/clock.hpp"

namespace llmux::cli {

struct StandardBench {
  std::vector<double> concurrency = {1, 4, 16};
  Nanos level_duration = 8 * kNanosPerSecond;
  int input_tokens = 1000, output_tokens = 250;
  std::vector<bench::Slo> slos;
  std::string slo_text;
  bool quiet = false;
};

struct BenchOutcome {
  bool ran = false;            // a result exists (some requests may have failed)
  std::string json;            // the bench result (docs/bench.md)
  std::string error;           // why it did not run at all
  std::string command;         // the `llmux bench` command that repeats it
  bool simulated = false;      // the endpoint was an llmux sim (bench tells by its Server header)
};

// `position` ("2/3") is shown in the progress line.
BenchOutcome bench_target(const CompareTarget& t, const StandardBench& s, const std::string& position,
                          const std::string& simulated_profile);

}  // namespace llmux::cli
