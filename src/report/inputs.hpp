#pragma once
// What a report is drawn from: saved `llmux bench` results (docs/bench.md), an
// `llmux plan` result (docs/plan.md) and, from `llmux compare`, a manifest that
// names the targets (docs/report.md). Each JSON file is read once into these
// plain structs; errors name the file, the field and what is wrong.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "plan/cost_model.hpp"
#include "plan/workload.hpp"

namespace llmux::report {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The part of a bench distribution the report shows (NaN when it had no samples).
struct Distribution {
  std::size_t count = 0;
  double mean = kNaN, p50 = kNaN, p90 = kNaN, p99 = kNaN;
};

struct BenchLevel {
  std::string label;            // "c=4"
  std::string mode;             // "concurrency" or "rate"
  double load = 0;
  std::int64_t measured = 0, completed = 0, failed = 0;
  std::map<std::string, std::int64_t> errors;
  std::vector<std::string> error_samples;
  Distribution ttft_ms, tpot_ms, e2e_ms;
  double output_tokens_per_s = 0, requests_per_s = 0, goodput_per_s = 0;
  bool has_slos = false, slos_met = false;
};

struct BenchInput {
  std::string path;
  std::string started_at, tool_version, command;
  std::string url, model, dialect, api_key_env;
  bool simulated = false;
  std::string simulated_profile;
  std::string workload;                       // bench's own description
  std::optional<int> input_tokens, output_tokens;  // fixed-length synthetic workloads
  std::vector<std::string> slos;
  std::vector<BenchLevel> levels;
  std::vector<std::string> notes;
};

struct MemoryUse {
  std::string label;
  double weights = 0, kv = 0, compute = 0, overhead = 0, used = 0, free = 0, capacity = 0;
  bool fits = false;
  bool host = false;  // host RAM holding offloaded layers
};

struct PlanOption {
  std::string quant, verdict;
  bool chosen = false, fits = false, offloaded = false;
  double weights_bytes = 0, bits_per_weight = 0;
  std::vector<MemoryUse> devices;
  double ttft_s = 0, user_tps = 0, total_tps = 0, capacity_rpd = 0;
  plan::LocalCost cost;
};

struct PlanCloud {
  plan::CloudCost cost;
  plan::BreakEven break_even;
  bool qualifies = true;
};

struct CatalogRef {
  std::string id, name, date, source;
};

struct PlanInput {
  std::string path;
  CatalogRef model, device;
  double params_total = 0;
  std::string device_kind;
  double device_memory_gib = 0, device_power_watts = 0, device_price_usd = 0;
  int gpus = 1;
  std::string engine, detected, host;
  int ctx = 0, concurrency = 1;
  std::string privacy = "any";
  plan::Workload workload;
  std::vector<PlanOption> options;
  std::size_t primary = 0;
  std::string engine_command;
  std::vector<PlanCloud> cloud;
  std::string choice;
  bool choice_local = false;
  std::vector<std::string> reasons, assumptions, notes;

  const PlanOption& chosen() const { return options.at(primary); }
  std::string local_label() const;  // "llama-3.1-8b Q4_K_M on 1 x rtx-4090 (llama.cpp)"
};

// One target of an `llmux compare` run, as its manifest records it.
struct ManifestTarget {
  std::string name;        // "local", "openai:gpt-4o-mini"
  std::string kind;        // "local" or "cloud"
  std::string url, model, dialect, provider, price_id;
  bool simulated = false;
  std::string status;      // "measured", "not measured", "failed"
  std::string reason;      // why not measured
  std::string error;       // why it failed
  std::string bench_file;  // basename of its bench result, when one was written
};

struct CompareManifest {
  std::string path;
  std::string started_at, tool_version, command;
  std::string privacy = "any";
  std::vector<std::string> local_only_classes;
  std::vector<std::string> slos;
  bool simulated = false;
  std::string simulated_note;
  std::string hardware;    // what was found (or the catalog GPU the sim stands for)
  std::string plan_file;
  std::vector<ManifestTarget> targets;
  std::vector<std::string> commands;  // to reproduce
  std::vector<std::string> notes;
};

constexpr int kManifestSchemaVersion = 1;
std::string to_json(const CompareManifest& m);

struct Inputs {
  std::vector<BenchInput> benches;
  std::optional<PlanInput> plan;
  std::optional<CompareManifest> manifest;
};

struct InputText {
  std::string path;
  std::string text;
};

// Parses each file by its "tool" field (llmux bench, llmux plan, llmux compare).
Result<Inputs> parse_inputs(const std::vector<InputText>& files);
// Reads the files (and, for a manifest, the plan and bench files it names that
// were not given), then parses and checks them.
Result<Inputs> load_inputs(const std::vector<std::string>& paths);
// Results that cannot be shown side by side: different workloads, a plan for
// another workload than the one measured, two plans.
Result<void> check_consistency(const Inputs& in);

// Per-file parsers (exposed for tests).
Result<BenchInput> parse_bench(const std::string& path, const std::string& text);
Result<PlanInput> parse_plan(const std::string& path, const std::string& text);
Result<CompareManifest> parse_manifest(const std::string& path, const std::string& text);

// "in=2000/out=400" for a bench workload, or its description when not fixed-length.
std::string workload_key(const BenchInput& b);

}  // namespace llmux::report
