// The answer first: the plan's recommendation (cost, fit and capacity are
// decided once, in plan/advice.cpp), followed by what the measurements add, the
// privacy rule for data that must stay local, and what would change the answer
// (break-even volumes, capacity, privacy).
#include <algorithm>
#include <cmath>

#include "plan/format.hpp"
#include "report/build_steps.hpp"
#include "report/text_format.hpp"

namespace llmux::report::detail {

namespace {

constexpr double kDaysPerMonth = 30.4375;

const Target* chosen_target(const PlanInput& p, const std::vector<Target>& targets) {
  const Target* found = nullptr;
  for (const auto& t : targets) {
    bool match = p.choice_local ? t.kind == TargetKind::local : t.price_id == p.choice;
    if (match && (!found || (found->status != TargetStatus::measured && t.status == TargetStatus::measured))) found = &t;
  }
  return found;
}

std::string measured_line(const Target& t) {
  if (t.status == TargetStatus::failed) return t.name + " " + t.status_text;
  if (t.status == TargetStatus::not_measured) return t.name + ": " + t.status_text;
  const LevelRow& first = t.levels.front();
  bool say_simulated = t.simulated && t.name.find("simulated") == std::string::npos;
  std::string s = t.name + (say_simulated ? " (simulated)" : "") + ": TTFT p50 " + ms_text(first.ttft_p50_ms) + " and " +
                  rate_text(first.user_tokens_per_s) + " tokens/s per user at " + first.label;
  if (t.best) s += "; meets the SLOs up to " + t.best->label + " (" + rate_text(t.best->output_tokens_per_s) + " tokens/s in total)";
  else if (!t.levels.empty() && t.levels.front().has_slos) s += "; meets the SLOs at none of the measured loads";
  if (t.requests_failed > 0) s += "; " + std::to_string(t.requests_failed) + " requests failed";
  return s;
}

void add_measurements(const std::vector<Target>& targets, const Target* chosen, Answer& a) {
  for (const auto& t : targets)
    if (t.status != TargetStatus::not_measured) a.reasons.push_back("measured: " + measured_line(t));
  if (chosen && chosen->status == TargetStatus::failed)
    a.reasons.push_back("caution: " + chosen->name + " failed during the bench; check it before relying on it");
  if (std::any_of(targets.begin(), targets.end(), [](const Target& t) { return t.simulated && t.kind == TargetKind::local; }))
    a.reasons.push_back("caution: the local figures are simulated (no runtime was measured): measure the real runtime before buying hardware");
}

void break_even_changes(const PlanInput& p, Answer& a) {
  const auto& local = p.chosen().cost;
  for (const auto& c : p.cloud) {
    if (!c.qualifies) continue;
    const auto& b = c.break_even;
    std::string id = c.cost.id;
    if (!b.applies) {  // nothing local to break even with
      a.changes.push_back("the local setup does not fit, so no volume makes it an alternative to " + id +
                          ": a device with more memory or a smaller quantization would");
      continue;
    }
    if (!b.exists && b.never == "capacity") {
      a.changes.push_back(id + " costs less per request than one " + p.device.id + " setup fully loaded (" +
                          plan::fmt("$%.4f", b.local_per_request_at_capacity) + "): no volume, and no number of setups, makes local cheaper than it");
      continue;
    }
    if (!b.exists) {
      a.changes.push_back(id + " costs less per request than local electricity alone: no volume makes local cheaper than it");
      continue;
    }
    std::string volume = compact(b.tokens_per_month / kDaysPerMonth) + " tokens/day (" + plan::thousands(b.requests_per_day) + " requests/day)";
    if (local.monthly_total <= c.cost.monthly) {
      a.changes.push_back("below " + volume + ", " + id + " is cheaper than local");
    } else {
      a.changes.push_back("above " + volume + ", local is cheaper than " + id);
    }
  }
}

void capacity_changes(const PlanInput& p, Answer& a) {
  const auto& o = p.chosen();
  if (!o.fits) return;
  double tpr = p.workload.tokens_per_request();
  if (o.cost.keeps_up)
    a.changes.push_back("above " + plan::thousands(o.cost.capacity_requests_per_day) + " requests/day (" +
                        compact(o.cost.capacity_requests_per_day * tpr) + " tokens/day) this local setup no longer keeps up");
  else
    a.changes.push_back(plan::fmt("the local setup needs %.1fx its capacity for your volume; below ", p.workload.requests_per_day / std::max(1.0, o.cost.capacity_requests_per_day)) +
                        plan::thousands(o.cost.capacity_requests_per_day) + " requests/day it keeps up");
}

const Target* local_for_private(const std::vector<Target>& targets) {
  for (const auto& t : targets)
    if (t.may_carry_private && t.status != TargetStatus::failed) return &t;
  for (const auto& t : targets)
    if (t.may_carry_private) return &t;
  return nullptr;
}

void privacy_lines(const Inputs& in, const std::vector<Target>& targets, const std::vector<std::string>& classes, Answer& a) {
  const Target* local = local_for_private(targets);
  bool all_local = in.plan && in.plan->privacy == "local-only";
  if (all_local) a.privacy.push_back("all traffic must stay local (--privacy local-only): cloud targets do not qualify");
  if (!classes.empty()) {
    std::string what = classes_text(classes);
    std::string s = what + " must stay local: only local qualifies for that traffic";
    s += local ? " (" + local->name + ")" : "; no local option fits, so that traffic has nowhere to go";
    a.privacy.push_back(s);
    if (!a.local && local) a.privacy.push_back("so split the traffic: requests carrying " + what + " to " + local->name + ", the rest to " + a.choice);
  }
  if (!all_local && classes.empty())
    a.changes.push_back("if some of this traffic must stay local (card numbers, health records), only local qualifies for it: "
                        "rerun with --privacy local-only:CLASS");
}

// No plan: measurements alone, without costs.
void decide_from_measurements(const std::vector<Target>& targets, Answer& a) {
  const Target* best = nullptr;
  auto score = [](const Target& t) { return t.best ? t.best->output_tokens_per_s : t.levels.empty() ? 0 : t.levels.front().output_tokens_per_s; };
  for (const auto& t : targets)
    if (t.status == TargetStatus::measured && (!best || score(t) > score(*best))) best = &t;
  a.choice = best ? best->name : "none: no target completed a request";
  a.target = best ? best->name : "";
  a.local = best && best->kind == TargetKind::local;
  a.reasons.push_back("no plan result was given, so costs are not compared: add `llmux plan --format json` output for them");
  if (best) a.reasons.push_back("the highest measured throughput " + std::string(best->best ? "within the SLOs" : "at its lowest load") + ": " +
                                rate_text(score(*best)) + " tokens/s");
}

}  // namespace

Answer decide(const Inputs& in, const std::vector<Target>& targets, const std::vector<std::string>& classes) {
  Answer a;
  if (!in.plan) {
    decide_from_measurements(targets, a);
    add_measurements(targets, nullptr, a);
    privacy_lines(in, targets, classes, a);
    return a;
  }
  const PlanInput& p = *in.plan;
  a.choice = p.choice;
  a.local = p.choice_local;
  const Target* chosen = chosen_target(p, targets);
  if (chosen) a.target = chosen->name;
  a.reasons = p.reasons;
  add_measurements(targets, chosen, a);
  break_even_changes(p, a);
  capacity_changes(p, a);
  privacy_lines(in, targets, classes, a);
  return a;
}

}  // namespace llmux::report::detail
