#pragma once
// Cost of a million tokens locally and in the cloud for the same workload.
//   local $/month = hardware / amortization months
//                 + (P_load·u + P_idle·(1-u)) · PUE · 730 h · $/kWh
//                 + operations
//   local $/1M tokens = local $/month / (tokens served per month / 1e6)
// where u is the utilization: the workload's demand over what the hardware can
// serve (or --utilization). Cloud $/request = input·price_in (cached share at
// the cached price) + output·price_out. Break-even is the daily volume where
// the two monthly bills meet.
#include <optional>
#include <string>
#include <vector>

#include "catalog/device_spec.hpp"
#include "catalog/price_spec.hpp"
#include "plan/workload.hpp"

namespace llmux::plan {

struct CostOverrides {
  std::optional<double> hardware_price;   // USD, everything bought
  std::optional<double> amortize_months;
  std::optional<double> power_watts;      // whole system under load
  std::optional<double> kwh_price;        // USD per kWh
  std::optional<double> pue;
  std::optional<double> utilization;      // 0..1 of capacity
  std::optional<double> ops_per_month;    // USD
};

// A named input: its value and where it came from ("default: ...", "--flag").
struct CostInput {
  double value = 0;
  std::string basis;
};

struct LocalCost {
  CostInput hardware_price, amortize_months, power_watts, kwh_price, pue, utilization, ops_per_month;
  double idle_fraction = 0.3;         // idle power as a share of load power
  bool utilization_given = false;     // --utilization: fixed, not following the volume
  double monthly_hardware = 0;
  double monthly_energy = 0;
  double monthly_ops = 0;
  double monthly_total = 0;
  double tokens_per_month = 0;        // tokens served (input + output)
  double per_million = 0;             // USD per 1M tokens at that volume
  double capacity_requests_per_day = 0;
  double energy_per_request = 0;      // USD, marginal
  bool keeps_up = true;               // capacity covers the workload
};

struct CloudCost {
  std::string id;
  std::string name;
  std::string provider;
  std::string date;
  std::string source;                 // where the price list comes from (URL)
  double per_request = 0;
  double monthly = 0;
  double per_million = 0;             // blended over the workload's input/output mix
  bool context_ok = true;
  std::string open_model;
};

// The share of capacity a daily-average load can use before its bursts queue noticeably
// (M/M/1: the wait is rho/(1-rho) service times, 4 at 80%).
constexpr double kComfortableLoad = 0.8;

// The workload's share of the setup's capacity (its daily average; 1 and more: it does not keep up).
double busy_share(const LocalCost& c, const Workload& w);

struct BreakEven {
  std::string cloud_id;
  // Some volume makes local cheaper: the cloud costs more per request than the local energy,
  // and, beyond one setup's capacity, more than one fully loaded setup's cost per request.
  bool exists = false;
  std::string never;                  // why not: "electricity" or "capacity" (more setups never pay)
  double local_per_request_at_capacity = 0;  // one setup at full load: all its monthly cost / its requests
  double requests_per_day = 0;
  double tokens_per_month = 0;
  bool within_capacity = false;       // reachable on this hardware
  bool applies = true;                // false when the local setup does not fit: nothing to break even with
};

// `capacity_rps`: requests per second the local setup serves at full load.
LocalCost local_cost(const catalog::DeviceSpec& device, int gpus, const Workload& w, double capacity_rps,
                     const CostOverrides& o);
CloudCost cloud_cost(const catalog::CloudPrice& p, const Workload& w);
BreakEven break_even(const LocalCost& local, const CloudCost& cloud, const Workload& w);

// Monthly energy bill of `c`'s hardware at utilization u (0..1): load power while
// serving, idle power otherwise, times PUE and the kWh price.
double monthly_energy_at(const LocalCost& c, double utilization);
// The local monthly bill at another daily volume with the same hardware and
// inputs: utilization follows the volume (capped at capacity) unless it was set.
double local_monthly_at(const LocalCost& c, double requests_per_day);

}  // namespace llmux::plan
