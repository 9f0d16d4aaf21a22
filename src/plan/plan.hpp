#pragma once
// `llmux plan`: will this model fit this hardware, how fast will it be, what
// does a million tokens cost here and in the cloud, and what should we do.
// make_plan() is the driver; it is pure (no network, no GPU): the catalog and
// the request hold everything it reads.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/model_source.hpp"
#include "catalog/quant_scheme.hpp"
#include "plan/bench_calibration.hpp"
#include "plan/configuration.hpp"
#include "plan/cost_model.hpp"
#include "plan/efficiency.hpp"
#include "plan/workload.hpp"

namespace llmux::plan {

constexpr int kPlanSchemaVersion = 1;

enum class Privacy { any, local_only };

struct PlanRequest {
  catalog::LoadedModel model;
  std::vector<catalog::QuantScheme> quants;  // one (--quant, or the file's own) or the usual ones
  bool quant_given = false;
  Engine engine = Engine::llama_cpp;
  const catalog::DeviceSpec* device = nullptr;
  int gpus = 1;
  double memory_gib = 0;        // per-device override
  double reserve_gib = -1;
  const catalog::DeviceSpec* host = nullptr;
  double host_ram_gib = 64;
  int ctx = 0;                  // tokens per sequence; 0 = sized to the workload
  int concurrency = 1;
  // false: `concurrency` is a default, raised (powers of two, up to 64) when one at a
  // time does not keep up with a given workload and more fit in memory.
  bool concurrency_given = true;
  KvCacheType kv{"f16", 2, false};
  std::optional<bool> flash_attention;  // unset: the engine's default
  int gpu_layers = -1;
  Workload workload;
  CostOverrides cost;
  Privacy privacy = Privacy::any;
  std::vector<const catalog::CloudPrice*> compare;
  EfficiencyTable efficiency;
  std::optional<BenchResult> bench;  // --calibrate
  std::string bench_path;
  std::string detected;             // what --gpu auto found
  double cpu_compute_share = 1;     // --gpu auto on a CPU with fewer threads than its catalog entry
};

struct SpeedEstimate {
  double ttft_s = 0, ttft_lo = 0, ttft_hi = 0;           // the workload's prompt, alone
  double prefill_tps = 0;
  double user_tps = 0, user_lo = 0, user_hi = 0;         // decode tokens/s per user at the concurrency
  double total_tps = 0, total_lo = 0, total_hi = 0;      // output tokens/s, all users, prefills included
  double single_tps = 0;                                 // decode tokens/s of one user alone
  double step_s = 0;                                     // decode step at the concurrency
  double capacity_rps = 0;                               // requests/s at full load
  double band_decode = 0, band_prefill = 0;
  std::string basis;
};

struct QuantOption {
  Configuration config;
  SpeedEstimate speed;
  LocalCost cost;
  std::string verdict;  // "fits", "fits with CPU offload", "does not fit"
};

struct Alternative {
  std::string kind;  // quant, context, kv-cache, gpus, offload
  std::string text;
};

struct Recommendation {
  std::string choice;  // "local: ..." or a cloud id
  bool local = false;
  std::vector<std::string> reasons;
};

struct PlanResult {
  catalog::ModelSpec model;
  std::string model_origin;
  Engine engine = Engine::llama_cpp;
  const catalog::DeviceSpec* device = nullptr;
  std::shared_ptr<const catalog::DeviceSpec> scaled_device;  // owns `device` when it is a scaled copy of the entry
  int gpus = 1;
  const catalog::DeviceSpec* host = nullptr;
  int ctx = 0;
  int concurrency = 1;
  KvCacheType kv;
  bool flash_attention = true;
  Workload workload;
  Privacy privacy = Privacy::any;
  std::vector<QuantOption> options;
  std::size_t primary = 0;       // the option the rest of the plan is about
  std::string primary_reason;    // the rule that picked it, as the footnote of the table says
  bool quant_table = false;      // no --quant: options are the usual quantizations
  std::vector<Alternative> alternatives;
  std::vector<CloudCost> cloud;
  std::vector<BreakEven> break_even;
  Recommendation recommendation;
  std::optional<BenchCalibration> calibration;
  Efficiency efficiency;         // of the primary option's accelerator
  std::vector<std::string> assumptions;  // defaults the plan used, each naming its flag
  std::vector<std::string> notes;
  std::vector<std::string> warnings;     // what makes the figures unreliable, shown first
  std::string detected;

  const QuantOption& chosen() const { return options.at(primary); }
};

Result<PlanResult> make_plan(const PlanRequest& req);

// The CPU that runs layers offloaded from `device` when --host is not given:
// the machine itself for unified-memory and CPU entries, a server CPU for
// data-centre GPUs, a desktop otherwise.
std::string default_host_id(const catalog::DeviceSpec& device);

// The usual quantizations for an engine (the table shown without --quant).
std::vector<catalog::QuantScheme> usual_quants(Engine e, const catalog::ModelSpec& m);

}  // namespace llmux::plan
