// Cost, alternatives, recommendation and assumptions sections of the plan.
#include <cstdio>

#include "plan/format.hpp"
#include "plan/plan_render.hpp"

namespace llmux::plan {

namespace {

std::string break_even_text(const PlanResult& p, const std::string& id) {
  for (const auto& b : p.break_even) {
    if (b.cloud_id != id) continue;
    if (!b.applies) return "-";
    if (!b.exists) return b.never == "capacity" ? "never (over capacity)" : "never";
    return thousands(b.requests_per_day) + " req/day" + (b.within_capacity ? "" : " (over capacity)");
  }
  return "";
}

Section cost_section(const PlanResult& p) {
  const auto& c = p.chosen().cost;
  Section s;
  s.title = "Cost per month";
  s.header = {"option", "$/month", "$/1M tokens", "$/request", "break-even"};
  bool usable = p.chosen().config.memory.fits;
  double per_request = p.workload.requests_per_day > 0 && c.keeps_up
                           ? c.monthly_total / (p.workload.requests_per_day * 30.4375) : 0;
  std::string mark = !usable ? " (does not fit)" : c.keeps_up ? "" : " (at capacity)";
  double served_per_request = c.capacity_requests_per_day > 0 ? c.monthly_total / (c.capacity_requests_per_day * 30.4375) : 0;
  bool serves = usable && c.tokens_per_month > 0;  // no requests: nothing to spread the month over
  s.rows.push_back({"local (" + p.chosen().config.quant.name + ")" + mark, usable ? money(c.monthly_total) : "-",
                    serves ? money(c.per_million) : "-",
                    serves ? money(c.keeps_up ? per_request : served_per_request) : "-", ""});
  for (const auto& cl : p.cloud) {
    std::string label = cl.id + (p.privacy == Privacy::local_only ? " (excluded: local-only)" : "");
    s.rows.push_back({label, money(cl.monthly), money(cl.per_million), money(cl.per_request), break_even_text(p, cl.id)});
  }
  if (!usable) {
    s.lines.push_back("local: not priced: " + p.model.id + " " + p.chosen().config.quant.name +
                      " does not fit this hardware, so it serves nothing (see Alternatives)");
    for (const auto& cl : p.cloud) s.lines.push_back(cl.id + ": " + cl.name + ", prices of " + cl.date);
    return s;
  }
  s.lines.push_back("local: hardware " + money(c.hardware_price.value) + " / " + fmt("%.0f months = ", c.amortize_months.value) +
                    money(c.monthly_hardware) + ", energy " + money(c.monthly_energy) + fmt(" (%.0f W", c.power_watts.value) +
                    fmt(" x PUE %.2f", c.pue.value) + fmt(" at $%.3f/kWh", c.kwh_price.value) + fmt(", %.0f%% busy)", 100 * c.utilization.value) +
                    ", operations " + money(c.monthly_ops));
  s.lines.push_back("tokens per month: " + thousands(p.workload.tokens_per_month()) + " for your workload" +
                    (c.keeps_up ? "" : "; the local setup serves only " + thousands(c.capacity_requests_per_day) +
                                          " requests/day, so its cost is for that volume"));
  for (const auto& cl : p.cloud) s.lines.push_back(cl.id + ": " + cl.name + ", prices of " + cl.date);
  return s;
}

Section list_section(const std::string& title, const std::vector<std::string>& items) {
  Section s;
  s.title = title;
  s.lines = items;
  s.bullets = true;
  return s;
}

std::vector<std::string> assumption_lines(const PlanResult& p) {
  const auto& c = p.chosen().cost;
  std::vector<std::string> out = p.assumptions;
  for (const CostInput* in : {&c.hardware_price, &c.amortize_months, &c.power_watts, &c.kwh_price, &c.pue,
                              &c.utilization, &c.ops_per_month})
    out.push_back(in->basis);
  out.push_back(fmt("idle power %.0f%% of load power when not serving", 100 * c.idle_fraction));
  return out;
}

}  // namespace

namespace detail {

std::vector<Section> cost_and_advice_sections(const PlanResult& p) {
  std::vector<Section> out{cost_section(p)};
  if (!p.alternatives.empty()) {
    std::vector<std::string> alts;
    for (const auto& a : p.alternatives) alts.push_back(a.text);
    out.push_back(list_section("Alternatives", alts));
  }
  Section rec = list_section("Recommendation: " + p.recommendation.choice, p.recommendation.reasons);
  out.push_back(rec);
  out.push_back(list_section("Assumptions (each can be overridden with the flag named)", assumption_lines(p)));
  if (!p.notes.empty()) out.push_back(list_section("Notes", p.notes));
  return out;
}

}  // namespace detail

}  // namespace llmux::plan
