// The targets of a report: each compared endpoint (measured, failed, or not
// measured) with its load levels, its cost at the workload, where its data
// goes and what it takes to run. A compare manifest names them; without one
// they are inferred from the bench results and the plan's cloud prices.
#include <algorithm>
#include <cstdlib>

#include "plan/format.hpp"
#include "report/build_steps.hpp"
#include "report/text_format.hpp"

namespace llmux::report::detail {

namespace {

LevelRow level_row(const BenchLevel& l) {
  LevelRow r;
  r.label = l.label, r.mode = l.mode, r.load = l.load;
  r.ttft_p50_ms = l.ttft_ms.p50, r.ttft_p99_ms = l.ttft_ms.p99, r.tpot_p50_ms = l.tpot_ms.p50;
  r.user_tokens_per_s = l.tpot_ms.p50 > 0 ? 1000.0 / l.tpot_ms.p50 : kNaN;
  r.output_tokens_per_s = l.output_tokens_per_s, r.requests_per_s = l.requests_per_s;
  r.completed = l.completed, r.failed = l.failed, r.errors = l.errors;
  r.has_slos = l.has_slos, r.slos_met = l.slos_met;
  return r;
}

std::string error_summary(const Target& t) {
  std::vector<std::string> kinds;
  for (const auto& [kind, n] : t.errors) kinds.push_back(kind + " " + std::to_string(n));
  return join(kinds, ", ");
}

void attach_bench(Target& t, const BenchInput& b) {
  t.source = b.path;
  t.simulated = t.simulated || b.simulated;
  if (t.url.empty()) t.url = b.url;
  if (t.model.empty()) t.model = b.model;
  std::int64_t completed = 0;
  for (const auto& l : b.levels) {
    t.levels.push_back(level_row(l));
    completed += l.completed;
    t.requests_failed += l.failed;
    for (const auto& [kind, n] : l.errors) t.errors[kind] += n;
    for (const auto& s : l.error_samples)
      if (t.error_samples.size() < 3) t.error_samples.push_back(s);
    if (l.has_slos && l.slos_met && l.completed > 0 && (!t.best || l.load > t.best->load)) t.best = t.levels.back();
  }
  t.status = completed > 0 ? TargetStatus::measured : TargetStatus::failed;
  t.status_text = completed > 0 ? "measured" : "failed: every request failed (" + error_summary(t) + ")";
}

void describe_location(Target& t) {
  std::string host = url_host(t.url);
  if (t.kind == TargetKind::cloud) {
    std::string who = t.provider.empty() ? "the provider" : t.provider;
    t.data_location = "leaves your premises: prompts and answers go to " + who + (host.empty() ? "" : " (" + host + ")");
  } else if (t.simulated) {
    t.data_location = "stays on this machine (simulated endpoint" + (host.empty() ? "" : " " + host) + ")";
  } else {
    bool loopback = host.rfind("127.", 0) == 0 || host.rfind("localhost", 0) == 0 || host.rfind("[::1]", 0) == 0;
    std::string at = host.empty() ? "" : " (" + host + ")";  // a plan alone has no URL
    t.data_location = loopback ? "stays on this machine" + at : "stays on your network" + at;
  }
  t.may_carry_private = t.kind == TargetKind::local;
}

void price_local(Target& t, const PlanInput& p) {
  const auto& o = p.chosen();
  const auto& c = o.cost;
  if (!o.fits) {
    t.runs_on = p.local_label() + ": does not fit";
    t.may_carry_private = false;
    return;
  }
  double per_request = c.keeps_up && p.workload.requests_per_day > 0 ? c.monthly_total / (p.workload.requests_per_day * 30.4375)
                                                                     : c.monthly_total / std::max(1.0, c.capacity_requests_per_day * 30.4375);
  t.cost = TargetCost{c.monthly_total, c.per_million, per_request,
                      plan::money(c.hardware_price.value) + plan::fmt(" hardware over %.0f months", c.amortize_months.value) +
                          ", energy and operations at " + percent(c.utilization.value) + " utilization",
                      c.keeps_up};
  const MemoryUse* fullest = nullptr;
  for (const auto& d : o.devices)
    if (!d.host && (!fullest || d.used / std::max(1.0, d.free) > fullest->used / std::max(1.0, fullest->free))) fullest = &d;
  t.runs_on = std::to_string(p.gpus) + " x " + p.device.name + ": " + o.quant + " " + o.verdict;
  if (fullest) t.runs_on += " (" + plan::gib_text(fullest->used) + " of " + plan::gib_text(fullest->free) + " usable)";
  t.runs_on += plan::fmt(", %.0f W under load", c.power_watts.value) + ", " + plan::money(c.hardware_price.value) + " to buy";
}

const PlanCloud* find_cloud(const PlanInput& p, const std::string& id_or_model) {
  const PlanCloud* best = nullptr;
  for (const auto& c : p.cloud)
    if (id_or_model.rfind(c.cost.id, 0) == 0 && (!best || c.cost.id.size() > best->cost.id.size())) best = &c;
  return best;
}

void price_cloud(Target& t, const PlanCloud& c) {
  t.price_id = c.cost.id;
  if (t.provider.empty()) t.provider = c.cost.provider;
  t.cost = TargetCost{c.cost.monthly, c.cost.per_million, c.cost.per_request,
                      c.cost.name + " list price of " + c.cost.date + " (catalog)", true};
  t.runs_on = (t.provider.empty() ? std::string("the provider") : t.provider) + "'s servers: nothing to buy or run";
}

void finish(Target& t, const Inputs& in) {
  if (in.plan && t.kind == TargetKind::local) price_local(t, *in.plan);
  if (in.plan && t.kind == TargetKind::cloud) {
    const PlanCloud* c = find_cloud(*in.plan, t.price_id.empty() ? t.model : t.price_id);
    if (c) price_cloud(t, *c);
    else t.runs_on = (t.provider.empty() ? std::string("the provider") : t.provider) + "'s servers";
  }
  describe_location(t);
}

const BenchInput* bench_for(const Inputs& in, const ManifestTarget& m) {
  for (const auto& b : in.benches) {
    auto slash = b.path.find_last_of('/');
    std::string base = slash == std::string::npos ? b.path : b.path.substr(slash + 1);
    if ((!m.bench_file.empty() && base == m.bench_file) || (b.url == m.url && b.model == m.model)) return &b;
  }
  return nullptr;
}

Target from_manifest(const ManifestTarget& m, const Inputs& in) {
  Target t;
  t.name = m.name;
  t.kind = m.kind == "cloud" ? TargetKind::cloud : TargetKind::local;
  t.url = m.url, t.model = m.model, t.provider = m.provider, t.price_id = m.price_id, t.simulated = m.simulated;
  const BenchInput* b = bench_for(in, m);
  if (b) attach_bench(t, *b);
  if (m.status == "not measured") {
    t.status = TargetStatus::not_measured;
    t.status_text = "not measured: " + (m.reason.empty() ? std::string("no bench result") : m.reason);
  } else if (m.status == "failed") {
    t.status = TargetStatus::failed;
    if (!m.error.empty()) t.status_text = "failed: " + m.error;
    else if (t.status_text.rfind("failed", 0) != 0) t.status_text = "failed: see the error counts";
  } else if (!b && m.status == "measured") {
    t.status = TargetStatus::not_measured;
    t.status_text = "not measured: its bench result (" + m.bench_file + ") was not given";
  }
  finish(t, in);
  return t;
}

Target from_bench(const BenchInput& b, const Inputs& in) {
  Target t;
  std::string host = url_host(b.url);
  t.kind = b.simulated || is_private_host(host) ? TargetKind::local : TargetKind::cloud;
  const PlanCloud* c = in.plan && t.kind == TargetKind::cloud ? find_cloud(*in.plan, b.model) : nullptr;
  if (c) t.price_id = c->cost.id, t.provider = c->cost.provider;
  t.name = t.kind == TargetKind::local ? "local: " + b.model + " @ " + host : (t.provider.empty() ? host : t.provider) + ":" + b.model;
  attach_bench(t, b);
  finish(t, in);
  return t;
}

// Targets the plan knows of that no bench measured: the local plan, cloud prices.
void add_unmeasured(const Inputs& in, std::vector<Target>& out) {
  if (!in.plan) return;
  auto has = [&](auto pred) { return std::any_of(out.begin(), out.end(), pred); };
  if (!has([](const Target& t) { return t.kind == TargetKind::local; })) {
    Target t;
    t.name = "local: " + in.plan->local_label();
    t.status = TargetStatus::not_measured;
    t.status_text = "not measured: planned from the catalog only";
    finish(t, in);
    out.push_back(std::move(t));
  }
  for (const auto& c : in.plan->cloud) {
    if (has([&](const Target& t) { return t.price_id == c.cost.id; })) continue;
    Target t;
    t.kind = TargetKind::cloud;
    t.name = (c.cost.provider.empty() ? "" : c.cost.provider + ":") + c.cost.id;
    t.model = c.cost.id;
    t.status = TargetStatus::not_measured;
    t.status_text = "not measured: no bench result for it (priced from the catalog)";
    finish(t, in);
    out.push_back(std::move(t));
  }
}

// Two runs of the same endpoint (re-measured over time) get their dates in their names.
void disambiguate(std::vector<Target>& targets, const Inputs& in) {
  std::vector<bool> duplicate;
  for (const auto& t : targets)
    duplicate.push_back(std::count_if(targets.begin(), targets.end(), [&](const Target& o) { return o.name == t.name; }) > 1);
  for (std::size_t i = 0; i < targets.size(); ++i)
    for (const auto& b : in.benches)
      if (duplicate[i] && b.path == targets[i].source && !b.started_at.empty()) targets[i].name += " (" + b.started_at + ")";
}

}  // namespace

std::vector<Target> make_targets(const Inputs& in) {
  std::vector<Target> out;
  if (in.manifest) {
    for (const auto& m : in.manifest->targets) out.push_back(from_manifest(m, in));
  } else {
    for (const auto& b : in.benches) out.push_back(from_bench(b, in));
    add_unmeasured(in, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const Target& a, const Target& b) { return a.kind < b.kind; });
  disambiguate(out, in);
  return out;
}

std::string url_host(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return {};
  start += 3;
  auto end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool is_private_host(const std::string& hp) {
  std::string h = !hp.empty() && hp[0] == '[' ? hp.substr(0, hp.find(']') + 1)
                  : hp.substr(0, hp.rfind(':') == std::string::npos ? hp.size() : hp.rfind(':'));
  if (h == "localhost" || h == "[::1]" || h.rfind("127.", 0) == 0 || h.rfind("10.", 0) == 0 || h.rfind("192.168.", 0) == 0)
    return true;
  if (h.size() > 6 && h.compare(h.size() - 6, 6, ".local") == 0) return true;
  if (h.rfind("172.", 0) == 0) {
    int second = std::atoi(h.c_str() + 4);
    return second >= 16 && second <= 31;
  }
  return false;
}

}  // namespace llmux::report::detail
