#pragma once
// The whole bench result: what was measured against what, with which workload
// and load, each level's summary, an SLO search if one ran, and notes the user
// must see (simulated endpoint, output length not forced, apportioned ITL).
// Written as JSON (schema in docs/bench.md, schema_version 1), CSV and a table.
#include <optional>
#include <string>
#include <vector>

#include "bench/summary.hpp"

namespace llmux::bench {

constexpr int kSchemaVersion = 1;

struct SearchResult {
  std::string mode;        // "concurrency" or "rate"
  double best = 0;         // highest load that met every SLO (0: none did)
  bool found = false;
  std::vector<std::pair<double, bool>> probes;  // load, met
  double capped_at = 0;                         // concurrency: the cap -n put on the search (0: none)
};

struct BenchResult {
  std::string started_at;  // ISO 8601 UTC
  std::string tool_version = "0.1.0";
  std::string command;     // the command line, for reproducing
  struct {
    std::string url, model, dialect, api_key_env;
    bool simulated = false;
    std::string simulated_profile;
  } endpoint;
  std::string workload;
  double tokens_per_word = 1;
  bool input_calibrated = false;
  RunOptions run;
  std::vector<Slo> slos;
  std::vector<LevelSummary> levels;
  std::vector<LevelRun> runs;  // kept for --per-request
  std::optional<SearchResult> search;
  std::vector<std::string> notes;
};

// Notes derived from the levels (output length not forced, estimated counts...).
void add_derived_notes(BenchResult& r);

std::string to_json(const BenchResult& r, bool per_request);
std::string to_csv(const BenchResult& r);
std::string render_table(const BenchResult& r);

}  // namespace llmux::bench
