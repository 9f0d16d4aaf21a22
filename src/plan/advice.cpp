#include "plan/advice.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text.hpp"
#include "plan/format.hpp"

namespace llmux::plan {

namespace {

bool fits_on_gpu(const Configuration& c) { return c.memory.fits && !c.memory.offloaded; }

Variant primary_variant(const PlanResult& plan) {
  const auto& c = plan.chosen().config;
  return Variant{c.quant, plan.ctx, plan.concurrency, plan.gpus, plan.kv, -1};
}

double decode_tps(const Configuration& c, const PlanResult& plan) {
  double ctx = plan.workload.input_tokens + plan.workload.output_tokens / 2.0;
  return 1.0 / decode_step_seconds(c.speed, plan.concurrency, ctx);
}

void add_offload(const PlanResult& plan, std::vector<Alternative>& out) {
  const auto& c = plan.chosen().config;
  if (!c.memory.offloaded) return;
  if (!c.memory.fits) {
    out.push_back({"offload", "not even with CPU offload: host RAM is too small for the layers the GPUs cannot hold (set --host-ram)"});
    return;
  }
  double host = 0;
  for (const auto& d : c.memory.devices)
    if (d.host) host = d.used();
  out.push_back({"offload", std::to_string(c.memory.gpu_layers) + " of " + std::to_string(c.memory.layers) +
                                " layers on the GPU, the rest in host RAM (" + format_bytes(host) + "): about " +
                                fmt("%.1f", decode_tps(c, plan)) + " tokens/s per user"});
}

void add_quants(const PlanRequest& req, const PlanResult& plan, std::vector<Alternative>& out) {
  double current = plan.chosen().config.weights.file_bytes();
  std::string list;
  for (const auto& q : usual_quants(plan.engine, plan.model)) {
    Variant v = primary_variant(plan);
    v.quant = q;
    auto c = configure_variant(req, plan, v);
    if (!c || c->weights.file_bytes() >= current || !fits_on_gpu(*c)) continue;
    list += (list.empty() ? "" : ", ") + q.name + " (" + format_bytes(c->weights.file_bytes()) + ", " +
            fmt("%.0f tok/s", decode_tps(*c, plan)) + ")";
  }
  if (!list.empty()) out.push_back({"quant", "smaller quantizations that fit on the GPU: " + list});
}

void add_context(const PlanRequest& req, const PlanResult& plan, std::vector<Alternative>& out) {
  for (int ctx = plan.ctx / 2; ctx >= 512; ctx /= 2) {
    Variant v = primary_variant(plan);
    v.ctx = ctx;
    auto c = configure_variant(req, plan, v);
    if (!c || !fits_on_gpu(*c)) continue;
    bool covers = ctx >= plan.workload.tokens_per_request();
    out.push_back({"context", "--ctx " + std::to_string(ctx) + " fits on the GPU" +
                                  (covers ? " and still holds your requests (" : " but is shorter than your requests (") +
                                  fmt("%.0f tokens)", plan.workload.tokens_per_request())});
    return;
  }
}

void add_kv_and_slots(const PlanRequest& req, const PlanResult& plan, std::vector<Alternative>& out) {
  Variant v = primary_variant(plan);
  if (plan.kv.bytes_per_element >= 2) {
    auto kv = parse_kv_cache_type(plan.engine == Engine::vllm ? "fp8" : "q8_0", plan.engine);
    v.kv = *kv;
    auto c = configure_variant(req, plan, v);
    if (c && fits_on_gpu(*c)) out.push_back({"kv-cache", "--kv-cache " + v.kv.name + " about halves the KV cache and fits on the GPU"});
  }
  if (plan.engine == Engine::vllm || plan.concurrency <= 1) return;
  for (int slots = plan.concurrency - 1; slots >= 1; --slots) {
    Variant s = primary_variant(plan);
    s.slots = slots;
    auto c = configure_variant(req, plan, s);
    if (c && fits_on_gpu(*c)) {
      out.push_back({"concurrency", "--concurrency " + std::to_string(slots) + " (fewer parallel slots) fits on the GPU"});
      return;
    }
  }
}

void add_gpus(const PlanRequest& req, const PlanResult& plan, std::vector<Alternative>& out) {
  if (plan.device->kind != catalog::DeviceKind::gpu) return;
  for (int g = plan.gpus + 1; g <= 8; ++g) {
    if (plan.engine == Engine::vllm && !tensor_parallel_ok(plan.model, g)) continue;
    Variant v = primary_variant(plan);
    v.gpus = g;
    auto c = configure_variant(req, plan, v);
    if (c && fits_on_gpu(*c)) {
      out.push_back({"gpus", "--gpus " + std::to_string(g) + " holds it all on GPUs"});
      return;
    }
  }
}

}  // namespace

Result<Configuration> configure_variant(const PlanRequest& req, const PlanResult& plan, const Variant& v) {
  ConfigInputs in;
  in.model = &plan.model;
  bool from_file = !req.model.tensors.empty() && equals_icase(v.quant.name, req.model.quant);
  in.file_tensors = from_file ? &req.model.tensors : nullptr;
  in.quant = v.quant;
  in.engine = plan.engine;
  in.device = plan.device;
  in.gpus = v.gpus;
  in.host = plan.host;
  in.host_ram_gib = req.host_ram_gib;
  in.memory_gib = req.memory_gib;
  in.reserve_gib = req.reserve_gib;
  in.ctx = v.ctx;
  in.slots = v.slots;
  in.kv = v.kv;
  in.flash_attention = plan.flash_attention || v.kv.needs_flash_attention;
  in.gpu_layers = v.gpu_layers;
  in.tokens_per_request = plan.workload.tokens_per_request();
  in.accel = plan.efficiency;
  in.cpu = req.efficiency.lookup("llama.cpp", "cpu", plan.host ? plan.host->id : "");
  return configure(in);
}

std::vector<Alternative> find_alternatives(const PlanRequest& req, const PlanResult& plan) {
  std::vector<Alternative> out;
  if (fits_on_gpu(plan.chosen().config)) return out;
  // Cheapest changes first: keep the model and its quality, then trade quality, then buy hardware.
  add_offload(plan, out);
  add_context(req, plan, out);
  add_kv_and_slots(req, plan, out);
  add_quants(req, plan, out);
  add_gpus(req, plan, out);
  if (out.empty() && !plan.chosen().config.memory.fits) {  // nothing small enough to suggest: say what would be
    const auto& o = plan.chosen();
    std::string size = format_bytes(o.config.weights.file_bytes()) + " of weights";
    std::string what = plan.options.size() == 1
                           ? plan.model.id + " " + o.config.quant.name + " (" + size + ") does not fit "
                           : "no usual quantization of " + plan.model.id + " (the smallest, " + o.config.quant.name + ", " + size + ") fits ";
    out.push_back({"hardware", what + std::to_string(plan.gpus) + " x " + plan.device->id +
                                   " even with CPU offload: a device with more memory, more host RAM (--host-ram), or a smaller model"});
  }
  return out;
}

namespace {

const CloudCost* cheapest_cloud(const PlanResult& plan) {
  const CloudCost* best = nullptr;
  for (const auto& c : plan.cloud)
    if (c.context_ok && (!best || c.monthly < best->monthly)) best = &c;
  return best;
}

const BreakEven* break_even_for(const PlanResult& plan, const std::string& id) {
  for (const auto& b : plan.break_even)
    if (b.cloud_id == id) return &b;
  return nullptr;
}

std::string local_label(const PlanResult& plan) {
  const auto& o = plan.chosen();
  return "local: " + plan.model.id + " " + o.config.quant.name + " on " + std::to_string(plan.gpus) + " x " +
         plan.device->id + " with " + std::string(to_string(plan.engine));
}

void local_reasons(const PlanResult& plan, std::vector<std::string>& r) {
  const auto& o = plan.chosen();
  if (o.config.memory.offloaded && o.config.memory.layers_given)
    r.push_back("runs with " + std::to_string(o.config.memory.layers - o.config.memory.gpu_layers) +
                " layers on the CPU, as --gpu-layers asks, which slows decoding");
  else if (o.config.memory.offloaded)
    r.push_back("fits only with " + std::to_string(o.config.memory.layers - o.config.memory.gpu_layers) +
                " layers offloaded to the CPU, which slows decoding");
  else
    r.push_back("fits in GPU memory with " + format_bytes(o.config.memory.headroom) + " to spare on the fullest device");
  r.push_back(fmt("decodes about %.0f tokens/s per user", o.speed.user_tps) + fmt(" at %.0f users; ", plan.concurrency) +
              fmt("first token after about %.2f s for your prompt", o.speed.ttft_s));
  if (o.cost.keeps_up) {
    double busy = busy_share(o.cost, plan.workload);
    r.push_back("serves up to " + thousands(o.cost.capacity_requests_per_day) + " requests/day; your " +
                thousands(plan.workload.requests_per_day) + "/day use " + fmt("%.0f%% of it", 100 * busy));
    // The workload is a daily average: past ~80% busy, bursts and the busy hours queue.
    if (busy > kComfortableLoad)
      r.push_back(fmt("that is past %.0f%% busy on average: requests queue in bursts and busy hours, so leave headroom ", 100 * kComfortableLoad) +
                  "(more GPUs or concurrency), or set requests-per-day to your peak hour's rate x 24");
  } else
    r.push_back("serves only " + thousands(o.cost.capacity_requests_per_day) + " of your " +
                thousands(plan.workload.requests_per_day) + " requests/day: you need " +
                fmt("%.1fx this capacity (more GPUs, a smaller quantization or model)",
                    plan.workload.requests_per_day / std::max(1.0, o.cost.capacity_requests_per_day)));
}

void cost_reasons(const PlanResult& plan, const CloudCost* cloud, bool local_wins, std::vector<std::string>& r) {
  const auto& o = plan.chosen();
  if (!o.config.memory.fits) {  // nothing local to price: only the cloud bill
    if (cloud) r.push_back(cloud->id + " " + money(cloud->monthly) + "/month (" + money(cloud->per_million) + " per 1M tokens)");
    return;
  }
  std::string local = "local " + money(o.cost.monthly_total) + "/month (" + money(o.cost.per_million) + " per 1M tokens)";
  if (!cloud) {
    r.push_back(local);
    return;
  }
  std::string c = cloud->id + " " + money(cloud->monthly) + "/month (" + money(cloud->per_million) + " per 1M tokens)";
  r.push_back(local_wins ? local + " vs " + c : c + " vs " + local);
  const BreakEven* b = break_even_for(plan, cloud->id);
  if (b && !b->exists && b->never == "capacity")
    r.push_back(cloud->id + " costs less per request (" + money(cloud->per_request) + ") than this setup fully loaded (" +
                money(b->local_per_request_at_capacity) + "): more setups never make local cheaper");
  else if (!b || !b->exists) r.push_back(cloud->id + " costs less per request than local electricity alone: local never breaks even");
  else
    r.push_back("break-even with " + cloud->id + " at " + thousands(b->requests_per_day) + " requests/day (you plan " +
                thousands(plan.workload.requests_per_day) + ")");
}

}  // namespace

Recommendation recommend(const PlanRequest& req, const PlanResult& plan) {
  (void)req;
  Recommendation rec;
  const auto& o = plan.chosen();
  bool local_ok = o.config.memory.fits && o.cost.keeps_up;
  bool local_only = plan.privacy == Privacy::local_only;
  const CloudCost* cloud = local_only ? nullptr : cheapest_cloud(plan);
  if (local_only) rec.reasons.push_back("--privacy local-only: data must stay on the premises, so cloud models do not qualify");
  bool local_best_effort = local_only && o.config.memory.fits;
  if ((local_ok || local_best_effort) && (!cloud || o.cost.monthly_total <= cloud->monthly)) {
    rec.local = true;
    rec.choice = local_label(plan);
    local_reasons(plan, rec.reasons);
    cost_reasons(plan, cloud, true, rec.reasons);
    if (o.config.memory.offloaded || !o.cost.keeps_up)
      for (const auto& a : plan.alternatives)
        if (a.kind != "offload" && a.text.find("shorter than") == std::string::npos) {
          rec.reasons.push_back("to do better, first try: " + a.text);
          break;
        }
  } else if (cloud) {
    rec.choice = cloud->id;
    if (!o.config.memory.fits) rec.reasons.push_back(plan.model.id + " does not fit the local hardware (see alternatives)");
    else if (!o.cost.keeps_up)
      rec.reasons.push_back("the local setup serves only " + thousands(o.cost.capacity_requests_per_day) + " of your " +
                            thousands(plan.workload.requests_per_day) + " requests/day");
    cost_reasons(plan, cloud, false, rec.reasons);
  } else {
    rec.choice = "none: no option qualifies";
    if (!o.config.memory.fits) rec.reasons.push_back(plan.model.id + " does not fit the local hardware; see the alternatives");
    else rec.reasons.push_back("the local setup serves only " + thousands(o.cost.capacity_requests_per_day) + " requests/day; add GPUs or lower the load");
  }
  if (!local_only && !plan.cloud.empty())
    rec.reasons.push_back("cost and speed only: cloud models differ from " + plan.model.id +
                          " in quality; compare answers on your own prompts before switching");
  return rec;
}

}  // namespace llmux::plan
