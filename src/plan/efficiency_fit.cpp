#include "plan/efficiency_fit.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "catalog/quant_scheme.hpp"
#include "catalog/try.hpp"
#include "plan/configuration.hpp"

namespace llmux::plan {

namespace {

using catalog::Metric;

struct Obs {
  std::size_t row = 0;
  bool decode = true;
  double x = 0;  // decode: bytes/bandwidth; prefill: FLOPs/spec FLOPs
  double y = 0;  // decode: layers; prefill: layers x ubatches
  bool quantized = false;
  double t = 0;  // observed seconds (per step, or per prompt)
  SpeedSetup setup;
  int batch = 1;
  double context = 0;
  int prompt = 0;
  std::string device;
};

struct Group {
  Efficiency prior;
  std::vector<Obs> obs;
};

Efficiency prior_for(const catalog::Catalog& c, const std::string& engine, const std::string& backend) {
  for (const auto& p : c.calibration.priors)
    if (p.engine == engine && p.backend == backend) return efficiency_from_prior(p);
  EfficiencyTable empty;
  return empty.lookup(engine, backend);
}

Result<Obs> observe(const catalog::Catalog& c, const catalog::Measurement& m, const Efficiency& eff) {
  const catalog::ModelSpec* model = nullptr;
  const catalog::DeviceSpec* device = nullptr;
  LLMUX_TRY_ASSIGN(model, c.model(m.model));
  LLMUX_TRY_ASSIGN(device, c.device(m.device));
  ConfigInputs in;
  in.model = model;
  LLMUX_TRY_ASSIGN(in.quant, catalog::find_quant(m.quant));
  LLMUX_TRY_ASSIGN(in.engine, parse_engine(m.engine));
  in.device = device;
  in.gpus = m.gpus;
  in.ctx = std::max(512, m.prompt_tokens + m.context + 256);
  in.slots = m.batch;
  in.gpu_layers = model->layers + 1;  // as measured: everything on the accelerator
  in.accel = in.cpu = eff;
  Configuration cfg;
  LLMUX_TRY_ASSIGN(cfg, configure(in));
  Obs o;
  o.setup = cfg.speed;
  o.quantized = in.quant.quantized();
  o.batch = m.batch;
  o.context = m.context;
  o.prompt = m.prompt_tokens;
  o.device = m.device;
  o.decode = m.metric == Metric::decode_tps;
  if (o.decode) {
    auto d = decode_terms(o.setup, m.batch, m.context);
    o.x = d.mem_s, o.y = d.layers, o.t = 1.0 / m.value;
  } else {
    auto p = prefill_terms(o.setup, m.prompt_tokens);
    o.x = p.compute_s, o.y = p.layer_steps, o.t = m.prompt_tokens / m.value;
  }
  return o;
}

// Least squares on relative error of t = a·x + τ·y.
void fit_decode(const std::vector<const Obs*>& pts, Efficiency& e) {
  double suu = 0, suv = 0, svv = 0, su = 0, sv = 0;
  for (const Obs* o : pts) {
    double u = o->x / o->t, v = o->y / o->t;
    suu += u * u, suv += u * v, svv += v * v, su += u, sv += v;
  }
  if (pts.empty() || suu <= 0) return;
  double tau = e.layer_overhead_s, a = 0;
  double det = suu * svv - suv * suv;
  if (pts.size() >= 4 && det > 1e-12 * suu * svv) {
    a = (su * svv - sv * suv) / det;
    tau = (suu * sv - suv * su) / det;
    tau = std::clamp(tau, 0.0, 2e-3);
  }
  a = (su - tau * suv) / suu;
  e.eta_mem = std::clamp(1.0 / a, 0.15, 1.3);
  e.layer_overhead_s = tau;
}

double geomean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += std::log(x);
  return std::exp(s / static_cast<double>(v.size()));
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Achieved fraction of spec FLOPs per device (16-bit and quantized weights
// apart); the group takes the median over devices, so one device's software
// quirks do not drag the others.
void fit_prefill(const std::vector<const Obs*>& pts, Efficiency& e) {
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by_device;
  for (const Obs* o : pts) {
    double t = o->t - o->y * e.layer_overhead_s;
    if (t <= 0.2 * o->t) t = o->t;
    auto& [full, quant] = by_device[o->device];
    (o->quantized ? quant : full).push_back(o->x / t);
  }
  std::vector<double> q_ratios;
  for (const auto& [dev, fq] : by_device)
    if (!fq.first.empty() && !fq.second.empty()) q_ratios.push_back(geomean(fq.second) / geomean(fq.first));
  if (!q_ratios.empty()) e.quant_prefill = std::clamp(median_of(q_ratios), 0.2, 1.5);
  std::vector<double> etas;
  for (const auto& [dev, fq] : by_device) {
    std::vector<double> r = fq.first;
    for (double x : fq.second) r.push_back(x / e.quant_prefill);
    if (!r.empty()) etas.push_back(geomean(r));
  }
  if (!etas.empty()) e.eta_prefill = std::clamp(median_of(etas), 0.05, 1.5);
}

Efficiency fit_group(const Group& g, std::size_t skip) {
  Efficiency e = g.prior;
  std::vector<const Obs*> dec, pre;
  for (std::size_t i = 0; i < g.obs.size(); ++i) {
    if (i == skip) continue;
    (g.obs[i].decode ? dec : pre).push_back(&g.obs[i]);
  }
  fit_decode(dec, e);
  fit_prefill(pre, e);
  e.decode_points = static_cast<int>(dec.size());
  e.prefill_points = static_cast<int>(pre.size());
  return e;
}

double predict_tps(const Obs& o, const Efficiency& e, double decode_scale = 1, double prefill_scale = 1) {
  SpeedSetup s = o.setup;
  for (auto& st : s.stages) st.eff = e;
  s.decode_scale = decode_scale;
  s.prefill_scale = prefill_scale;
  if (o.decode) return 1.0 / decode_step_seconds(s, o.batch, o.context);
  return o.prompt / prefill_seconds(s, o.prompt);
}

double shrink(const std::vector<double>& ratios) {
  if (ratios.empty()) return 1;
  double n = static_cast<double>(ratios.size());
  return std::pow(geomean(ratios), n / (n + 0.5));
}

// The device's own points (except `skip`) as multipliers on the group's times.
DeviceCorrection correction_for(const Group& g, const Efficiency& e, const std::string& device, std::size_t skip) {
  std::vector<double> dec, pre;
  for (std::size_t i = 0; i < g.obs.size(); ++i) {
    const Obs& o = g.obs[i];
    if (i == skip || o.device != device) continue;
    double ratio = predict_tps(o, e) / (o.decode ? 1.0 / o.t : o.prompt / o.t);  // modelled / observed speed
    (o.decode ? dec : pre).push_back(ratio);
  }
  DeviceCorrection d;
  d.engine = e.engine;
  d.device = device;
  d.decode = shrink(dec);
  d.prefill = shrink(pre);
  d.decode_points = static_cast<int>(dec.size());
  d.prefill_points = static_cast<int>(pre.size());
  return d;
}

// The 80th percentile of the held-out errors: four estimates in five land inside it.
double band_from(const std::vector<double>& errors, double prior) {
  if (errors.size() < 3) return prior;
  std::vector<double> a;
  for (double e : errors) a.push_back(std::fabs(e));
  std::sort(a.begin(), a.end());
  double p80 = a[std::min(a.size() - 1, static_cast<std::size_t>(std::ceil(0.8 * static_cast<double>(a.size()))) - 1)];
  return std::clamp(p80, 0.08, 0.6);
}

// Fits one group, fills its rows' predictions (in sample and leave-one-out,
// each with the device's own correction), sets its bands and device corrections.
Efficiency finish_group(const Group& g, std::vector<AccuracyRow>& rows, std::vector<DeviceCorrection>& corrections) {
  const std::size_t none = g.obs.size();
  Efficiency all = fit_group(g, none);
  std::vector<double> dec_err, pre_err;
  for (std::size_t i = 0; i < g.obs.size(); ++i) {
    const Obs& o = g.obs[i];
    AccuracyRow& r = rows[o.row];
    DeviceCorrection in = correction_for(g, all, o.device, none);
    r.predicted = predict_tps(o, all, in.decode, in.prefill);
    Efficiency without = fit_group(g, i);
    DeviceCorrection out = correction_for(g, without, o.device, i);
    r.loo = predict_tps(o, without, out.decode, out.prefill);
    (o.decode ? dec_err : pre_err).push_back(r.loo_error());
  }
  std::vector<std::string> seen;
  for (const auto& o : g.obs) {
    if (std::find(seen.begin(), seen.end(), o.device) != seen.end()) continue;
    seen.push_back(o.device);
    corrections.push_back(correction_for(g, all, o.device, none));
  }
  all.band_decode = band_from(dec_err, g.prior.band_decode);
  all.band_prefill = band_from(pre_err, g.prior.band_prefill);
  char buf[200];
  std::snprintf(buf, sizeof buf, "fitted to %d decode and %d prefill measurements in data/calibration.toml",
                all.decode_points, all.prefill_points);
  all.basis = buf;
  return all;
}

// Per (engine, backend, class): the median of the measured devices' own corrections.
std::vector<ClassCorrection> class_corrections(const catalog::Catalog& c, const std::vector<DeviceCorrection>& corrections) {
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::vector<double>, std::vector<double>>> by_class;
  for (const auto& d : corrections) {
    auto spec = c.device(d.device);
    if (!spec) continue;
    auto& [dec, pre] = by_class[{d.engine, (*spec)->backend, correction_class((*spec)->backend, (*spec)->segment)}];
    if (d.decode_points > 0) dec.push_back(d.decode);
    if (d.prefill_points > 0) pre.push_back(d.prefill);
  }
  auto spread = [](const std::vector<double>& v, double median) {
    double s = 0;
    for (double x : v) s = std::max(s, std::fabs(x / median - 1));
    return s;
  };
  std::vector<ClassCorrection> out;
  for (const auto& [key, v] : by_class) {
    ClassCorrection cc;
    std::tie(cc.engine, cc.backend, cc.device_class) = key;
    const auto& [dec, pre] = v;
    if (!dec.empty()) cc.decode = median_of(dec), cc.decode_spread = spread(dec, cc.decode);
    if (!pre.empty()) cc.prefill = median_of(pre), cc.prefill_spread = spread(pre, cc.prefill);
    cc.devices = static_cast<int>(std::max(dec.size(), pre.size()));
    out.push_back(cc);
  }
  return out;
}

AccuracyRow row_for(const catalog::Measurement& m) {
  AccuracyRow r;
  r.id = m.id, r.engine = m.engine, r.device = m.device, r.gpus = m.gpus, r.model = m.model, r.quant = m.quant;
  r.metric = m.metric, r.observed = m.value, r.source = m.source;
  return r;
}

}  // namespace

Result<FitResult> fit_efficiencies(const catalog::Catalog& c) {
  FitResult out;
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (const auto& p : c.calibration.priors) groups[{p.engine, p.backend}].prior = efficiency_from_prior(p);
  for (const auto& m : c.calibration.measurements) {
    const catalog::DeviceSpec* d = nullptr;
    LLMUX_TRY_ASSIGN(d, c.device(m.device));
    Engine engine;
    LLMUX_TRY_ASSIGN(engine, parse_engine(m.engine));
    auto key = std::make_pair(std::string(calibration_engine(engine)), d->backend);
    Group& g = groups[key];
    if (g.prior.engine.empty()) g.prior = prior_for(c, key.first, key.second);
    Obs o;
    LLMUX_TRY_ASSIGN(o, observe(c, m, g.prior));
    o.row = out.rows.size();
    out.rows.push_back(row_for(m));
    g.obs.push_back(std::move(o));
  }
  for (auto& [key, g] : groups)
    out.table.groups.push_back(g.obs.empty() ? g.prior : finish_group(g, out.rows, out.table.devices));
  for (const auto& d : c.devices) out.table.device_classes.emplace_back(d.id, correction_class(d.backend, d.segment));
  out.table.classes = class_corrections(c, out.table.devices);
  return out;
}

AccuracySummary summarize_accuracy(const std::vector<AccuracyRow>& rows, catalog::Metric metric) {
  AccuracySummary s;
  std::vector<double> in, loo;
  for (const auto& r : rows) {
    if (r.metric != metric) continue;
    in.push_back(std::fabs(r.error()));
    loo.push_back(std::fabs(r.loo_error()));
    if (in.back() >= s.worst) s.worst = in.back(), s.worst_id = r.id;
    if (loo.back() >= s.loo_worst) s.loo_worst = loo.back(), s.loo_worst_id = r.id;
  }
  s.points = static_cast<int>(in.size());
  auto median = [](std::vector<double> v) { return v.empty() ? 0.0 : median_of(std::move(v)); };
  s.median = median(in);
  s.loo_median = median(loo);
  return s;
}

}  // namespace llmux::plan
