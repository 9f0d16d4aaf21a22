#pragma once
// The local-vs-cloud report: the answer first (a recommendation, its reasons,
// what would change it), the targets side by side (measured latency and
// throughput per load level, or "not measured"; cost; where the data goes; what
// it takes to run), cost curves with break-even points, memory per
// quantization, and the methodology. Plain data, built once from the inputs by
// build_report(); the renderers (render.hpp) only format it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/inputs.hpp"

namespace llmux::report {

constexpr int kReportSchemaVersion = 1;
constexpr const char* kToolVersion = "0.1.0";

enum class TargetKind { local, cloud };
enum class TargetStatus { measured, not_measured, failed };
std::string_view to_string(TargetKind k);
std::string_view to_string(TargetStatus s);

// One measured load level of a target, as the bench result gives it.
struct LevelRow {
  std::string label, mode;
  double load = 0;
  double ttft_p50_ms = kNaN, ttft_p99_ms = kNaN, tpot_p50_ms = kNaN;
  double user_tokens_per_s = kNaN;   // 1000 / TPOT p50
  double output_tokens_per_s = 0, requests_per_s = 0;
  std::int64_t completed = 0, failed = 0;
  std::map<std::string, std::int64_t> errors;
  bool has_slos = false, slos_met = false;
};

struct TargetCost {
  double monthly_usd = 0, per_million_usd = 0, per_request_usd = 0;
  std::string basis;                 // how it was priced
  bool keeps_up = true;              // local: the hardware serves the workload
};

struct Target {
  std::string name;
  TargetKind kind = TargetKind::local;
  TargetStatus status = TargetStatus::measured;
  std::string status_text;           // "measured", "not measured: OPENAI_API_KEY is not set", "failed: ..."
  bool simulated = false;
  std::string url, model, provider, price_id;
  std::string source;                // the bench file its figures come from
  std::vector<LevelRow> levels;
  std::optional<LevelRow> best;      // the highest load that met every SLO
  std::int64_t requests_failed = 0;
  std::map<std::string, std::int64_t> errors;
  std::vector<std::string> error_samples;
  std::optional<TargetCost> cost;
  std::string data_location;         // where prompts and answers go
  std::string runs_on;               // hardware, memory fit, power (local); the provider (cloud)
  bool may_carry_private = false;    // may take traffic that must stay local
};

struct Answer {
  std::string choice;                // "local: ...", a cloud price id, or "none..."
  std::string target;                // the target's name, when it is one
  bool local = false;
  std::vector<std::string> reasons, changes, privacy;
};

struct CurvePoint {
  double x = 0, y = 0;
};

// Monthly cost against daily tokens for one option.
struct CostSeries {
  std::string label;
  bool local = false;
  std::vector<CurvePoint> points;        // within one machine's capacity (local) or all (cloud)
  std::vector<CurvePoint> scaled_out;    // local beyond capacity: more identical machines
};

struct BreakEvenPoint {
  std::string cloud;
  double tokens_per_day = 0, requests_per_day = 0, monthly_usd = 0;
  bool within_capacity = false;
};

// Each series' monthly cost at one volume (the cost chart as numbers).
struct VolumeCosts {
  double tokens_per_day = 0;
  std::vector<double> monthly_usd;       // one per series, in series order
};

struct CostCurves {
  std::vector<CostSeries> series;
  std::vector<VolumeCosts> at_volumes;   // a tenth of the workload, the workload, ten times it, each break-even
  std::vector<BreakEvenPoint> break_even;
  double workload_tokens_per_day = 0;
  double capacity_tokens_per_day = 0;    // one local machine
};

struct MemoryBar {
  std::string quant, verdict;
  bool chosen = false;
  double weights = 0, kv = 0, compute = 0, overhead = 0;
  double total() const { return weights + kv + compute + overhead; }
};

// The fullest device of each quantization option against that device's memory.
struct MemoryView {
  std::string device;
  double capacity_bytes = 0, free_bytes = 0;
  std::vector<MemoryBar> bars;
};

struct SourceFile {
  std::string path, tool, started_at, detail;
};

struct Methodology {
  std::string tool_version;
  std::string hardware;
  std::vector<std::pair<std::string, std::string>> metrics;  // name, definition
  std::vector<std::string> prices;      // "gpt-4o-mini: OpenAI price list of 2024-07-18 (URL)"
  std::vector<std::string> catalog;     // model and device entries with dates and sources
  std::vector<std::string> commands;    // to reproduce
  std::vector<SourceFile> sources;
  std::vector<std::string> assumptions;
};

struct Report {
  std::string title = "Local or cloud?";
  std::string generated_at;
  bool simulated = false;
  std::string simulated_note;
  std::optional<plan::Workload> workload;
  std::string measured_workload;        // the bench workload, when measured
  std::string privacy = "any";
  std::vector<std::string> local_only_classes;
  std::vector<std::string> slos;
  Answer answer;
  std::vector<Target> targets;
  std::optional<CostCurves> costs;
  std::optional<MemoryView> memory;
  Methodology methodology;
  std::vector<std::string> notes;
};

struct BuildOptions {
  std::string generated_at;             // ISO 8601; fixed in tests
  std::string command;                  // the command that drew this report (added to the reproduce list)
};

Result<Report> build_report(const Inputs& in, const BuildOptions& options);

}  // namespace llmux::report
