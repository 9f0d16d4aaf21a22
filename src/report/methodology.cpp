// How the figures were obtained: metric definitions (DESIGN.md), the tool
// version, the hardware, the dates and sources of prices and catalog entries,
// the files the report was drawn from and the commands that reproduce them.
#include "plan/format.hpp"
#include "report/build_steps.hpp"

namespace llmux::report::detail {

namespace {

std::vector<std::pair<std::string, std::string>> metric_definitions() {
  return {
      {"TTFT", "time to first token: first generated token − request sent, per request; p50 and p99 over the level's completed requests"},
      {"TPOT", "time per output token: (last token − first token) / (output tokens − 1), per request"},
      {"tokens/s per user", "1000 / TPOT p50: how fast one user sees the answer stream"},
      {"throughput", "output tokens of all completed requests / (last done − first sent) at that load"},
      {"load", "c=N: N users, each sending its next request when its last one ends (closed loop)"},
      {"max load meeting the SLOs", "the highest measured load whose percentiles met every SLO (a failed request counts as infinitely slow)"},
      {"errors", "failed requests by kind (connect, timeout, http_4xx/429/5xx, stream_cut, malformed, stream_error); never mixed into latency"},
      {"cost per 1M tokens", "local: (hardware / amortization months + energy at the workload's utilization × PUE + operations) / tokens served per month; "
                             "cloud: the price list's input and output prices blended over the workload's mix"},
      {"break-even", "the daily volume at which the local monthly bill equals the cloud bill for the same traffic"},
  };
}

// The `llmux plan` command line that reproduces the plan (overrides included).
std::string plan_command(const PlanInput& p) {
  const auto& w = p.workload;
  std::string cmd = "llmux plan --model " + p.model.id + " --quant " + p.chosen().quant + " --engine " + p.engine +
                    " --gpu " + p.device.id + " --gpus " + std::to_string(p.gpus) + " --ctx " + std::to_string(p.ctx) +
                    " --concurrency " + std::to_string(p.concurrency) + " --workload in=" + std::to_string(w.input_tokens) +
                    ",out=" + std::to_string(w.output_tokens) + ",requests-per-day=" + plan::fmt("%.0f", w.requests_per_day);
  if (w.cached_fraction > 0) cmd += plan::fmt(",cached=%g", w.cached_fraction);
  std::string ids;
  for (const auto& c : p.cloud) ids += (ids.empty() ? "" : ",") + c.cost.id;
  if (!ids.empty()) cmd += " --compare " + ids;
  if (p.privacy != "any") cmd += " --privacy " + p.privacy;
  const auto& c = p.chosen().cost;
  const std::pair<const plan::CostInput*, const char*> overrides[] = {
      {&c.hardware_price, "--hardware-price"}, {&c.amortize_months, "--amortize-months"}, {&c.power_watts, "--power-watts"},
      {&c.kwh_price, "--kwh-price"},           {&c.pue, "--pue"},                       {&c.utilization, "--utilization"},
      {&c.ops_per_month, "--ops-per-month"}};
  for (const auto& [in, flag] : overrides)
    if (in->basis.rfind("set with", 0) == 0) cmd += std::string(" ") + flag + plan::fmt(" %g", in->value);
  return cmd + " --format json";
}

void plan_parts(const PlanInput& p, Methodology& m) {
  for (const auto& c : p.cloud)
    m.prices.push_back(c.cost.id + ": " + c.cost.name + (c.cost.provider.empty() ? "" : " (" + c.cost.provider + ")") +
                       ", price list of " + (c.cost.date.empty() ? "unknown date" : c.cost.date) +
                       (c.cost.source.empty() ? "" : ", " + c.cost.source));
  auto entry = [](const char* kind, const CatalogRef& r) {
    return std::string(kind) + " " + r.id + ": " + r.name + ", catalog entry of " + (r.date.empty() ? "unknown date" : r.date) +
           (r.source.empty() ? "" : ", " + r.source);
  };
  m.catalog.push_back(entry("model", p.model));
  m.catalog.push_back(entry("device", p.device));
  m.assumptions = p.assumptions;
  const auto& c = p.chosen().cost;
  for (const plan::CostInput* in : {&c.hardware_price, &c.amortize_months, &c.power_watts, &c.kwh_price, &c.pue, &c.utilization, &c.ops_per_month})
    if (!in->basis.empty()) m.assumptions.push_back(in->basis);
  if (m.hardware.empty())
    m.hardware = !p.detected.empty() ? p.detected : std::to_string(p.gpus) + " x " + p.device.name + " (catalog entry; not detected here)";
}

}  // namespace

Methodology methodology(const Inputs& in) {
  Methodology m;
  m.tool_version = kToolVersion;
  m.metrics = metric_definitions();
  if (in.manifest) {
    m.hardware = in.manifest->hardware;
    m.commands = in.manifest->commands;
    m.sources.push_back({in.manifest->path, "llmux compare", in.manifest->started_at, in.manifest->command});
  }
  for (const auto& b : in.benches) {
    m.sources.push_back({b.path, "llmux bench", b.started_at, b.url + " " + b.model + (b.simulated ? " (simulated)" : "")});
    if (!in.manifest && !b.command.empty()) m.commands.push_back(b.command);
    if (!b.tool_version.empty()) m.tool_version = b.tool_version;
  }
  if (in.plan) {
    m.sources.push_back({in.plan->path, "llmux plan", "", in.plan->local_label()});
    if (!in.manifest) m.commands.push_back(plan_command(*in.plan));
    plan_parts(*in.plan, m);
  }
  if (in.manifest && !in.manifest->tool_version.empty()) m.tool_version = in.manifest->tool_version;
  return m;
}

}  // namespace llmux::report::detail
