// build_report: the steps that turn checked inputs into the report, in the
// order a reader meets them (answer, targets, charts, methodology).
#include <set>

#include "report/build_steps.hpp"

namespace llmux::report {

std::string_view to_string(TargetKind k) { return k == TargetKind::local ? "local" : "cloud"; }

std::string_view to_string(TargetStatus s) {
  switch (s) {
    case TargetStatus::measured: return "measured";
    case TargetStatus::not_measured: return "not measured";
    case TargetStatus::failed: return "failed";
  }
  return "?";
}

namespace {

std::string simulated_note(const Inputs& in, const std::vector<Target>& targets) {
  if (in.manifest && !in.manifest->simulated_note.empty()) return in.manifest->simulated_note;
  std::string names;
  for (const auto& t : targets)
    if (t.simulated) names += (names.empty() ? "" : ", ") + t.name;
  return "SIMULATED: the figures for " + names +
         " come from llmux sim, a simulated server, not from a real runtime; measure a real one before deciding";
}

constexpr std::int64_t kTailSample = 100;  // requests a level needs before its p99 says much

std::vector<std::string> collect_notes(const Inputs& in) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& n) {
    if (seen.insert(n).second) out.push_back(n);
  };
  if (in.manifest)
    for (const auto& n : in.manifest->notes) add(n);
  if (in.plan)
    for (const auto& n : in.plan->notes) add("plan: " + n);
  for (const auto& b : in.benches) {
    for (const auto& n : b.notes)
      if (n.rfind("SIMULATED", 0) != 0) add(b.model + " bench: " + n);
    // A p99 over a handful of requests is the slowest of them, not a tail.
    std::string few;
    for (const auto& l : b.levels)
      if (l.completed > 0 && l.completed < kTailSample)
        few += (few.empty() ? "" : ", ") + l.label + " " + std::to_string(l.completed);
    if (!few.empty())
      add(b.model + " bench: percentiles rest on few completed requests (" + few + "); a p99 over fewer than " +
          std::to_string(kTailSample) + " is about the slowest one, not a tail: run longer levels for tail figures");
  }
  return out;
}

}  // namespace

Result<Report> build_report(const Inputs& in, const BuildOptions& options) {
  Report r;
  r.generated_at = options.generated_at;
  // Targets first: the answer and the charts refer to them.
  r.targets = detail::make_targets(in);
  for (const auto& t : r.targets) r.simulated = r.simulated || t.simulated;
  if (in.manifest) r.simulated = r.simulated || in.manifest->simulated;
  if (r.simulated) r.simulated_note = simulated_note(in, r.targets);
  if (in.plan) r.workload = in.plan->workload;
  if (!in.benches.empty()) r.measured_workload = in.benches.front().workload;
  if (in.manifest) {
    r.privacy = in.manifest->privacy;
    r.local_only_classes = in.manifest->local_only_classes;
    r.slos = in.manifest->slos;
  } else {
    if (in.plan) r.privacy = in.plan->privacy;
    if (!in.benches.empty()) r.slos = in.benches.front().slos;
  }
  // The answer, then the figures behind it.
  r.answer = detail::decide(in, r.targets, r.local_only_classes);
  if (in.plan) {
    r.costs = detail::cost_curves(*in.plan);
    r.memory = detail::memory_view(*in.plan);
  }
  r.methodology = detail::methodology(in);
  if (!options.command.empty()) r.methodology.commands.push_back(options.command);
  r.notes = collect_notes(in);
  return r;
}

}  // namespace llmux::report
