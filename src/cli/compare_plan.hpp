#pragma once
// The plan `llmux compare` runs: the local model on the local hardware (found
// with --gpu auto, or a catalog GPU for the simulated runtime), at the load the
// bench reaches, against the cloud targets' catalog prices; calibrated with
// the local bench result when a real runtime was measured.
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "plan/plan.hpp"

namespace llmux::cli {

struct ComparePlanSpec {
  std::string model;                  // catalog id
  std::optional<catalog::LoadedModel> loaded;  // instead: from a file or the runtime itself
  std::string quant;                  // empty: the usual quantizations, the plan picks
  std::string engine = "llama.cpp";
  std::string gpu = "auto";           // catalog id or auto
  int gpus = 0;                       // 0: one, or what auto detection finds
  int concurrency = 16;
  plan::Workload workload;
  plan::Privacy privacy = plan::Privacy::any;
  std::vector<std::string> price_ids;
  std::string calibrate_json;         // a bench result of the local runtime, or empty
  std::string calibrate_path;
};

Result<plan::PlanResult> run_compare_plan(const catalog::Catalog& cat, const ComparePlanSpec& spec);

}  // namespace llmux::cli
