#include "plan/cost_model.hpp"

#include <algorithm>
#include <cstdio>

namespace llmux::plan {

namespace {

constexpr double kHoursPerMonth = 730.0;
constexpr double kDaysPerMonth = 30.4375;

CostInput pick(const std::optional<double>& given, const char* flag, double fallback, std::string why) {
  if (given) return {*given, std::string("set with ") + flag};
  return {fallback, "default: " + why + " (" + flag + ")"};
}

std::string money(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "$%.0f", v);
  return buf;
}

CostInput hardware_price(const catalog::DeviceSpec& d, int gpus, const CostOverrides& o) {
  if (d.kind != catalog::DeviceKind::gpu)
    return pick(o.hardware_price, "--hardware-price", d.price_usd, d.name + " at " + money(d.price_usd));
  bool dc = d.segment == "datacenter";
  double host = dc ? 4000.0 * gpus : 2000.0;
  std::string why = std::to_string(gpus) + " x " + d.name + " at " + money(d.price_usd) + " + " +
                    (dc ? "server share " + money(4000) + "/GPU" : "host PC " + money(2000));
  return pick(o.hardware_price, "--hardware-price", d.price_usd * gpus + host, why);
}

CostInput power(const catalog::DeviceSpec& d, int gpus, const CostOverrides& o) {
  if (d.kind != catalog::DeviceKind::gpu)
    return pick(o.power_watts, "--power-watts", d.power_watts,
                std::to_string(static_cast<int>(d.power_watts)) + " W, the machine's draw under load");
  double host = d.segment == "datacenter" ? 150.0 * gpus : 150.0;
  std::string why = std::to_string(gpus) + " x " + std::to_string(static_cast<int>(d.power_watts)) +
                    " W board power + " + std::to_string(static_cast<int>(host)) + " W host";
  return pick(o.power_watts, "--power-watts", d.power_watts * gpus + host, why);
}

}  // namespace

LocalCost local_cost(const catalog::DeviceSpec& device, int gpus, const Workload& w, double capacity_rps,
                     const CostOverrides& o) {
  LocalCost c;
  c.hardware_price = hardware_price(device, gpus, o);
  c.amortize_months = pick(o.amortize_months, "--amortize-months", 36, "36 months");
  c.power_watts = power(device, gpus, o);
  c.kwh_price = pick(o.kwh_price, "--kwh-price", 0.15, "$0.15/kWh");
  bool dc = device.segment == "datacenter" || device.segment == "server";
  c.pue = pick(o.pue, "--pue", dc ? 1.4 : 1.0, dc ? "1.4, a typical data centre" : "1.0, an office or home");
  c.ops_per_month = pick(o.ops_per_month, "--ops-per-month", 200, "$200/month for updates and monitoring");
  c.capacity_requests_per_day = capacity_rps * 86400.0;
  double demand = w.requests_per_second();
  double u = capacity_rps > 0 ? demand / capacity_rps : 1.0;
  c.keeps_up = capacity_rps > 0 && u <= 1.0;  // a setup that does not run serves nothing
  c.utilization = pick(o.utilization, "--utilization", std::min(1.0, u), "the workload's share of capacity");
  c.utilization_given = o.utilization.has_value();
  double util = std::clamp(c.utilization.value, 0.0, 1.0);
  c.monthly_hardware = c.hardware_price.value / std::max(1.0, c.amortize_months.value);
  double p = c.power_watts.value, idle = p * c.idle_fraction;
  c.monthly_energy = monthly_energy_at(c, util);
  c.monthly_ops = c.ops_per_month.value;
  c.monthly_total = c.monthly_hardware + c.monthly_energy + c.monthly_ops;
  // The workload's tokens (at most what the hardware serves); --utilization sets how busy the
  // machine is, for its energy, not how many of the workload's tokens the cost is spread over.
  double served_rps = std::min(demand, capacity_rps);
  c.tokens_per_month = served_rps * 86400.0 * kDaysPerMonth * w.tokens_per_request();
  c.per_million = c.tokens_per_month > 0 ? c.monthly_total / (c.tokens_per_month / 1e6) : 0;
  double seconds = capacity_rps > 0 ? 1.0 / capacity_rps : 0;
  c.energy_per_request = (p - idle) * c.pue.value * seconds / 3600.0 / 1000.0 * c.kwh_price.value;
  return c;
}

CloudCost cloud_cost(const catalog::CloudPrice& p, const Workload& w) {
  CloudCost c;
  c.id = p.id, c.name = p.name, c.provider = p.provider, c.date = p.date, c.open_model = p.open_model;
  c.source = p.source;
  double in = w.input_tokens, cached = in * w.cached_fraction;
  c.per_request = ((in - cached) * p.input_per_m + cached * p.cached_or_input() + w.output_tokens * p.output_per_m) / 1e6;
  c.monthly = c.per_request * w.requests_per_day * kDaysPerMonth;
  c.per_million = c.per_request / w.tokens_per_request() * 1e6;
  c.context_ok = p.context <= 0 || w.tokens_per_request() <= p.context;
  return c;
}

BreakEven break_even(const LocalCost& local, const CloudCost& cloud, const Workload& w) {
  BreakEven b;
  b.cloud_id = cloud.id;
  double fixed = local.monthly_hardware + local.monthly_ops + monthly_energy_at(local, 0);
  double margin = cloud.per_request - local.energy_per_request;
  double at_capacity = local.capacity_requests_per_day * kDaysPerMonth;
  if (at_capacity > 0)
    b.local_per_request_at_capacity = (local.monthly_hardware + local.monthly_ops + monthly_energy_at(local, 1)) / at_capacity;
  if (margin <= 0) {
    b.never = "electricity";
    return b;
  }
  b.exists = true;
  b.requests_per_day = fixed / margin / kDaysPerMonth;
  b.tokens_per_month = b.requests_per_day * kDaysPerMonth * w.tokens_per_request();
  b.within_capacity = b.requests_per_day <= local.capacity_requests_per_day;
  // Past one setup's capacity the volume needs more setups, each with its fixed cost: when a
  // fully loaded one still costs more per request than the cloud, no number of them breaks even.
  if (!b.within_capacity && b.local_per_request_at_capacity >= cloud.per_request) {
    b.exists = false;
    b.never = "capacity";
  }
  return b;
}

double busy_share(const LocalCost& c, const Workload& w) {
  return c.capacity_requests_per_day > 0 ? w.requests_per_day / c.capacity_requests_per_day : 1e9;
}

double monthly_energy_at(const LocalCost& c, double utilization) {
  double u = std::clamp(utilization, 0.0, 1.0);
  double p = c.power_watts.value, idle = p * c.idle_fraction;
  return (p * u + idle * (1 - u)) * c.pue.value * kHoursPerMonth / 1000.0 * c.kwh_price.value;
}

double local_monthly_at(const LocalCost& c, double requests_per_day) {
  double cap = c.capacity_requests_per_day;
  double u = c.utilization_given ? c.utilization.value : cap > 0 ? requests_per_day / cap : 1.0;
  return c.monthly_hardware + monthly_energy_at(c, u) + c.monthly_ops;
}

}  // namespace llmux::plan
