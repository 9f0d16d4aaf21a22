// Reads an `llmux plan --format json` result (docs/plan.md, schema_version 1):
// the hardware, the quantization options with memory and cost, the cloud
// prices with break-even volumes, and the plan's recommendation.
#include "catalog/try.hpp"
#include "report/inputs.hpp"
#include "report/json_fields.hpp"

namespace llmux::report {

namespace {

using namespace detail;

constexpr int kPlanSchema = 1;

Result<CatalogRef> read_ref(const json& o, const Where& w) {
  CatalogRef r;
  LLMUX_TRY_ASSIGN(r.id, need_string(o, "id", w));
  LLMUX_TRY_ASSIGN(r.name, opt_string(o, "name", w, r.id));
  LLMUX_TRY_ASSIGN(r.date, opt_string(o, "date", w));
  LLMUX_TRY_ASSIGN(r.source, opt_string(o, "source", w));
  return r;
}

Result<void> read_hardware(const json& doc, const Where& w, PlanInput& p) {
  const json* model = nullptr;
  LLMUX_TRY_ASSIGN(model, need(doc, "model", w, json::value_t::object));
  LLMUX_TRY_ASSIGN(p.model, read_ref(*model, w.at("model")));
  LLMUX_TRY_ASSIGN(p.params_total, opt_number(*model, "params_total", w.at("model"), 0));
  const json* hw = nullptr;
  LLMUX_TRY_ASSIGN(hw, need(doc, "hardware", w, json::value_t::object));
  Where h = w.at("hardware");
  const json* dev = nullptr;
  LLMUX_TRY_ASSIGN(dev, need(*hw, "device", h, json::value_t::object));
  LLMUX_TRY_ASSIGN(p.device, read_ref(*dev, h.at("device")));
  LLMUX_TRY_ASSIGN(p.device_kind, opt_string(*dev, "kind", h.at("device"), "gpu"));
  LLMUX_TRY_ASSIGN(p.device_memory_gib, need_number(*dev, "memory_gib", h.at("device")));
  LLMUX_TRY_ASSIGN(p.device_power_watts, opt_number(*dev, "power_watts", h.at("device"), 0));
  LLMUX_TRY_ASSIGN(p.device_price_usd, opt_number(*dev, "price_usd", h.at("device"), 0));
  std::int64_t gpus = 1;
  LLMUX_TRY_ASSIGN(gpus, need_int(*hw, "gpus", h));
  p.gpus = static_cast<int>(gpus);
  LLMUX_TRY_ASSIGN(p.engine, need_string(*hw, "engine", h));
  LLMUX_TRY_ASSIGN(p.host, opt_string(*hw, "host", h));
  LLMUX_TRY_ASSIGN(p.detected, opt_string(*hw, "detected", h));
  return {};
}

Result<void> read_settings(const json& doc, const Where& w, PlanInput& p) {
  const json* s = nullptr;
  LLMUX_TRY_ASSIGN(s, need(doc, "settings", w, json::value_t::object));
  std::int64_t v = 0;
  LLMUX_TRY_ASSIGN(v, need_int(*s, "ctx", w.at("settings")));
  p.ctx = static_cast<int>(v);
  LLMUX_TRY_ASSIGN(v, need_int(*s, "concurrency", w.at("settings")));
  p.concurrency = static_cast<int>(v);
  LLMUX_TRY_ASSIGN(p.privacy, opt_string(*s, "privacy", w.at("settings"), "any"));
  const json* wl = nullptr;
  LLMUX_TRY_ASSIGN(wl, need(doc, "workload", w, json::value_t::object));
  Where ww = w.at("workload");
  LLMUX_TRY_ASSIGN(v, need_int(*wl, "input_tokens", ww));
  p.workload.input_tokens = static_cast<int>(v);
  LLMUX_TRY_ASSIGN(v, need_int(*wl, "output_tokens", ww));
  p.workload.output_tokens = static_cast<int>(v);
  LLMUX_TRY_ASSIGN(p.workload.requests_per_day, need_number(*wl, "requests_per_day", ww));
  LLMUX_TRY_ASSIGN(p.workload.cached_fraction, opt_number(*wl, "cached_fraction", ww, 0));
  LLMUX_TRY_ASSIGN(p.workload.given, opt_bool(*wl, "given", ww, true));
  return {};
}

Result<plan::CostInput> read_input(const json& inputs, std::string_view key, const Where& w) {
  const json* o = nullptr;
  LLMUX_TRY_ASSIGN(o, need(inputs, key, w, json::value_t::object));
  plan::CostInput in;
  LLMUX_TRY_ASSIGN(in.value, need_number(*o, "value", w.at(key)));
  LLMUX_TRY_ASSIGN(in.basis, opt_string(*o, "basis", w.at(key)));
  return in;
}

Result<void> read_cost_inputs(const json& cost, const Where& w, plan::LocalCost& c) {
  const json* in = nullptr;
  LLMUX_TRY_ASSIGN(in, need(cost, "inputs", w, json::value_t::object));
  Where i = w.at("inputs");
  LLMUX_TRY_ASSIGN(c.hardware_price, read_input(*in, "hardware_price_usd", i));
  LLMUX_TRY_ASSIGN(c.amortize_months, read_input(*in, "amortize_months", i));
  LLMUX_TRY_ASSIGN(c.power_watts, read_input(*in, "power_watts", i));
  LLMUX_TRY_ASSIGN(c.kwh_price, read_input(*in, "kwh_price_usd", i));
  LLMUX_TRY_ASSIGN(c.pue, read_input(*in, "pue", i));
  LLMUX_TRY_ASSIGN(c.utilization, read_input(*in, "utilization", i));
  LLMUX_TRY_ASSIGN(c.ops_per_month, read_input(*in, "ops_per_month_usd", i));
  LLMUX_TRY_ASSIGN(c.idle_fraction, opt_number(*in, "idle_fraction", i, 0.3));
  c.utilization_given = c.utilization.basis.rfind("set with", 0) == 0;
  return {};
}

Result<plan::LocalCost> read_cost(const json& opt, const Where& w) {
  const json* cost = nullptr;
  LLMUX_TRY_ASSIGN(cost, need(opt, "cost", w, json::value_t::object));
  Where c = w.at("cost");
  plan::LocalCost lc;
  LLMUX_TRY_VOID(read_cost_inputs(*cost, c, lc));
  LLMUX_TRY_ASSIGN(lc.monthly_hardware, need_number(*cost, "monthly_hardware_usd", c));
  LLMUX_TRY_ASSIGN(lc.monthly_energy, need_number(*cost, "monthly_energy_usd", c));
  LLMUX_TRY_ASSIGN(lc.monthly_ops, need_number(*cost, "monthly_ops_usd", c));
  LLMUX_TRY_ASSIGN(lc.monthly_total, need_number(*cost, "monthly_total_usd", c));
  LLMUX_TRY_ASSIGN(lc.tokens_per_month, need_number(*cost, "tokens_per_month", c));
  LLMUX_TRY_ASSIGN(lc.per_million, opt_number(*cost, "per_million_tokens_usd", c, 0));  // null: it does not fit
  LLMUX_TRY_ASSIGN(lc.capacity_requests_per_day, need_number(*cost, "capacity_requests_per_day", c));
  LLMUX_TRY_ASSIGN(lc.keeps_up, need_bool(*cost, "keeps_up", c));
  LLMUX_TRY_ASSIGN(lc.energy_per_request, opt_number(*cost, "energy_per_request_usd", c, 0));
  return lc;
}

Result<MemoryUse> read_device_use(const json& d, const Where& w) {
  MemoryUse m;
  LLMUX_TRY_ASSIGN(m.label, opt_string(d, "label", w));
  LLMUX_TRY_ASSIGN(m.weights, need_number(d, "weights_bytes", w));
  LLMUX_TRY_ASSIGN(m.kv, need_number(d, "kv_cache_bytes", w));
  LLMUX_TRY_ASSIGN(m.compute, opt_number(d, "compute_bytes", w, 0));
  LLMUX_TRY_ASSIGN(m.overhead, opt_number(d, "overhead_bytes", w, 0));
  LLMUX_TRY_ASSIGN(m.used, need_number(d, "used_bytes", w));
  LLMUX_TRY_ASSIGN(m.free, need_number(d, "free_bytes", w));
  LLMUX_TRY_ASSIGN(m.capacity, opt_number(d, "capacity_bytes", w, m.free));
  LLMUX_TRY_ASSIGN(m.fits, opt_bool(d, "fits", w, m.used <= m.free));
  LLMUX_TRY_ASSIGN(m.host, opt_bool(d, "host", w, false));
  return m;
}

Result<void> read_memory(const json& opt, const Where& w, PlanOption& o) {
  const json* mem = nullptr;
  LLMUX_TRY_ASSIGN(mem, need(opt, "memory", w, json::value_t::object));
  Where m = w.at("memory");
  LLMUX_TRY_ASSIGN(o.fits, need_bool(*mem, "fits", m));
  LLMUX_TRY_ASSIGN(o.offloaded, opt_bool(*mem, "offloaded", m, false));
  const json* devs = nullptr;
  LLMUX_TRY_ASSIGN(devs, need(*mem, "devices", m, json::value_t::array));
  for (std::size_t i = 0; i < devs->size(); ++i) {
    MemoryUse d;
    LLMUX_TRY_ASSIGN(d, read_device_use((*devs)[i], m.at("devices").at(i)));
    o.devices.push_back(d);
  }
  return {};
}

Result<PlanOption> read_option(const json& opt, const Where& w) {
  PlanOption o;
  LLMUX_TRY_ASSIGN(o.quant, need_string(opt, "quant", w));
  LLMUX_TRY_ASSIGN(o.chosen, opt_bool(opt, "chosen", w, false));
  LLMUX_TRY_ASSIGN(o.verdict, need_string(opt, "verdict", w));
  LLMUX_TRY_ASSIGN(o.weights_bytes, need_number(opt, "weights_bytes", w));
  LLMUX_TRY_ASSIGN(o.bits_per_weight, opt_number(opt, "bits_per_weight", w, 0));
  LLMUX_TRY_VOID(read_memory(opt, w, o));
  // An option that does not fit has no speed (null); older plan files gave one anyway.
  if (auto it = opt.find("speed"); !(it != opt.end() && it->is_null() && !o.fits)) {
    const json* speed = nullptr;
    LLMUX_TRY_ASSIGN(speed, need(opt, "speed", w, json::value_t::object));
    Where s = w.at("speed");
    LLMUX_TRY_ASSIGN(o.ttft_s, need_number(*speed, "ttft_s", s));
    LLMUX_TRY_ASSIGN(o.user_tps, need_number(*speed, "decode_tokens_per_s_per_user", s));
    LLMUX_TRY_ASSIGN(o.total_tps, need_number(*speed, "output_tokens_per_s_total", s));
    LLMUX_TRY_ASSIGN(o.capacity_rpd, need_number(*speed, "capacity_requests_per_day", s));
  }
  LLMUX_TRY_ASSIGN(o.cost, read_cost(opt, w));
  return o;
}

Result<PlanCloud> read_cloud(const json& c, const Where& w) {
  PlanCloud out;
  auto& cc = out.cost;
  LLMUX_TRY_ASSIGN(cc.id, need_string(c, "id", w));
  LLMUX_TRY_ASSIGN(cc.name, opt_string(c, "name", w, cc.id));
  LLMUX_TRY_ASSIGN(cc.provider, opt_string(c, "provider", w));
  LLMUX_TRY_ASSIGN(cc.date, opt_string(c, "price_date", w));
  LLMUX_TRY_ASSIGN(cc.source, opt_string(c, "price_source", w));
  LLMUX_TRY_ASSIGN(cc.per_request, need_number(c, "per_request_usd", w));
  LLMUX_TRY_ASSIGN(cc.monthly, need_number(c, "monthly_usd", w));
  LLMUX_TRY_ASSIGN(cc.per_million, need_number(c, "per_million_tokens_usd", w));
  LLMUX_TRY_ASSIGN(cc.context_ok, opt_bool(c, "context_ok", w, true));
  LLMUX_TRY_ASSIGN(out.qualifies, opt_bool(c, "qualifies", w, true));
  const json* be = nullptr;
  LLMUX_TRY_ASSIGN(be, need(c, "break_even", w, json::value_t::object));
  Where b = w.at("break_even");
  out.break_even.cloud_id = cc.id;
  LLMUX_TRY_ASSIGN(out.break_even.exists, need_bool(*be, "exists", b));
  LLMUX_TRY_ASSIGN(out.break_even.requests_per_day, opt_number(*be, "requests_per_day", b, 0));
  LLMUX_TRY_ASSIGN(out.break_even.tokens_per_month, opt_number(*be, "tokens_per_month", b, 0));
  LLMUX_TRY_ASSIGN(out.break_even.within_capacity, opt_bool(*be, "within_capacity", b, false));
  LLMUX_TRY_ASSIGN(out.break_even.applies, opt_bool(*be, "applies", b, true));
  if (auto r = be->find("never_reason"); r != be->end() && r->is_string()) out.break_even.never = r->get<std::string>();
  LLMUX_TRY_ASSIGN(out.break_even.local_per_request_at_capacity, opt_number(*be, "local_per_request_at_capacity_usd", b, 0));
  return out;
}

template <class T, class F>
Result<std::vector<T>> read_array(const json& doc, std::string_view key, const Where& w, F read) {
  const json* arr = nullptr;
  LLMUX_TRY_ASSIGN(arr, need(doc, key, w, json::value_t::array));
  std::vector<T> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    if (!(*arr)[i].is_object()) return tl::unexpected(w.at(key).at(i).error("expected an object"));
    T item;
    LLMUX_TRY_ASSIGN(item, read((*arr)[i], w.at(key).at(i)));
    out.push_back(std::move(item));
  }
  return out;
}

Result<void> read_advice(const json& doc, const Where& w, PlanInput& p) {
  const json* rec = nullptr;
  LLMUX_TRY_ASSIGN(rec, need(doc, "recommendation", w, json::value_t::object));
  LLMUX_TRY_ASSIGN(p.choice, need_string(*rec, "choice", w.at("recommendation")));
  LLMUX_TRY_ASSIGN(p.choice_local, need_bool(*rec, "local", w.at("recommendation")));
  LLMUX_TRY_ASSIGN(p.reasons, opt_strings(*rec, "reasons", w.at("recommendation")));
  LLMUX_TRY_ASSIGN(p.assumptions, opt_strings(doc, "assumptions", w));
  LLMUX_TRY_ASSIGN(p.notes, opt_strings(doc, "notes", w));
  LLMUX_TRY_ASSIGN(p.engine_command, opt_string(doc, "engine_command", w));
  return {};
}

}  // namespace

Result<PlanInput> parse_plan(const std::string& path, const std::string& text) {
  json doc;
  LLMUX_TRY_ASSIGN(doc, parse_document(path, text));
  LLMUX_TRY_VOID(check_schema(doc, path, "llmux plan", kPlanSchema));
  PlanInput p;
  p.path = path;
  Where w{&path, ""};
  LLMUX_TRY_VOID(read_hardware(doc, w, p));
  LLMUX_TRY_VOID(read_settings(doc, w, p));
  LLMUX_TRY_ASSIGN(p.options, read_array<PlanOption>(doc, "options", w, read_option));
  if (p.options.empty()) return tl::unexpected(w.at("options").error("empty: the plan sized no quantization"));
  std::string primary;
  LLMUX_TRY_ASSIGN(primary, need_string(doc, "primary", w));
  for (std::size_t i = 0; i < p.options.size(); ++i)
    if (p.options[i].quant == primary) p.primary = i;
  if (p.options[p.primary].quant != primary)
    return tl::unexpected(w.at("primary").error("'" + primary + "' is not one of the options"));
  LLMUX_TRY_ASSIGN(p.cloud, read_array<PlanCloud>(doc, "cloud", w, read_cloud));
  LLMUX_TRY_VOID(read_advice(doc, w, p));
  return p;
}

std::string PlanInput::local_label() const {
  return model.id + " " + chosen().quant + " on " + std::to_string(gpus) + " x " + device.id + " (" + engine + ")";
}

}  // namespace llmux::report
