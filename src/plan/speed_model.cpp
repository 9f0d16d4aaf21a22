#include "plan/speed_model.hpp"

#include <algorithm>
#include <cmath>

namespace llmux::plan {

namespace {

// Attention FLOPs per cached token per layer for one query token.
double attn_flops_per_token(const catalog::ModelSpec& m) {
  double heads = m.attention_heads;
  if (m.is_mla()) return 2 * heads * (2.0 * m.kv_lora_rank + m.qk_rope_head_dim);
  return 2 * heads * (m.head_dim + m.value_head_dim());
}

void add_layers(Stage& st, const catalog::ModelSpec& m, const WeightSummary& w, const KvCacheType& kv, int from, int n) {
  for (int i = from; i < from + n && i < static_cast<int>(w.layers.size()); ++i) {
    const auto& l = w.layers[static_cast<std::size_t>(i)];
    st.weight_bytes += l.bytes - l.expert_bytes;
    st.expert_bytes += l.expert_bytes;
    st.active_params += l.params - l.expert_params;
    st.expert_params += l.expert_params;
    double kvb = kv_bytes_per_token_layer(m, i, kv);
    (m.layer_slides(i) ? st.kv_swa : st.kv_full) += kvb;
    (m.layer_slides(i) ? st.attn_swa : st.attn_full) += attn_flops_per_token(m);
  }
  st.layers += n;
}

Stage stage_for(const SpeedInputs& in, const DeviceUsage& u, const KvCacheType& kv) {
  Stage st;
  st.label = u.label;
  st.cpu = u.host || in.device->kind == catalog::DeviceKind::cpu;
  const catalog::DeviceSpec* dev = u.host ? in.host : in.device;
  st.bandwidth = dev->bandwidth_bytes_per_s();
  st.flops = dev->half_flops();
  st.eff = st.cpu ? in.cpu : in.accel;
  add_layers(st, *in.model, *in.weights, kv, u.first_layer, u.layers);
  if (u.output) {
    st.weight_bytes += in.weights->output_bytes + in.weights->other_bytes;
    st.active_params += in.weights->output_params;
  }
  return st;
}

// One vLLM GPU of a tensor-parallel group: 1/tp of every layer.
Stage tp_stage(const SpeedInputs& in, const KvCacheType& kv) {
  Stage st = stage_for(in, in.memory->devices.front(), kv);
  double tp = in.gpus;
  st.weight_bytes /= tp;
  st.expert_bytes /= tp;
  st.active_params /= tp;
  st.expert_params /= tp;
  st.attn_full /= tp;
  st.attn_swa /= tp;
  double kv_share = in.model->is_mla() ? 1.0 : std::max(1.0, in.model->kv_heads / tp) / in.model->kv_heads;
  st.kv_full *= kv_share;
  st.kv_swa *= kv_share;
  return st;
}

double expert_share(const SpeedSetup& s, double tokens) {
  if (s.experts_total <= 0) return 0;
  double k = static_cast<double>(s.experts_active) / s.experts_total;
  return 1 - std::pow(1 - k, tokens);
}

double active_share(const SpeedSetup& s) {
  return s.experts_total > 0 ? static_cast<double>(s.experts_active) / s.experts_total : 0;
}

double comm_seconds(const SpeedSetup& s, double tokens, int layers) {
  if (s.tensor_parallel <= 1) return 0;
  double tp = s.tensor_parallel;
  double msg = tokens * s.hidden * 2 * 2 * (tp - 1) / tp;
  return 2.0 * layers * (s.comm_latency_s + msg / s.comm_bandwidth);
}

double swa_context(const SpeedSetup& s, double c) { return s.window > 0 ? std::min<double>(c, s.window) : c; }

// Causal attention over a prompt of n tokens: the sum over positions of the tokens attended to.
double prefill_attended(double n, double window) {
  if (window <= 0 || n <= window) return n * n / 2;
  return n * window - window * window / 2;
}

}  // namespace

SpeedSetup build_speed_setup(const SpeedInputs& in) {
  SpeedSetup s;
  s.engine = in.engine;
  s.quantized = in.quantized;
  s.experts_total = in.weights->experts_total;
  s.experts_active = in.weights->experts_active;
  s.window = in.model->sliding_window;
  s.hidden = in.model->hidden_size;
  s.decode_scale = in.accel.decode_scale;
  s.prefill_scale = in.accel.prefill_scale;
  const KvCacheType& kv = in.kv;
  if (in.engine == Engine::vllm) {
    s.ubatch = 8192;
    s.tensor_parallel = in.gpus;
    s.stages.push_back(tp_stage(in, kv));
    bool nvlink = in.device->interconnect_gbs >= 100;
    s.comm_latency_s = nvlink ? 8e-6 : 25e-6;
    s.comm_bandwidth = std::max(8.0, in.device->interconnect_gbs * 0.7) * 1e9;
  } else {
    for (const auto& u : in.memory->devices)
      if (u.layers > 0 || u.output) s.stages.push_back(stage_for(in, u, kv));
  }
  s.pcie_bandwidth = std::max(8.0, std::min(in.device->interconnect_gbs, 64.0) * 0.75) * 1e9;
  return s;
}

double decode_step_seconds(const SpeedSetup& s, int batch, double context) {
  double b = std::max(1, batch), t = 0;
  double touched = expert_share(s, b), active = active_share(s);
  for (const auto& st : s.stages) {
    double bytes = st.weight_bytes + st.expert_bytes * touched +
                   b * (st.kv_full * context + st.kv_swa * swa_context(s, context));
    double flops = b * (2 * (st.active_params + st.expert_params * active) + st.attn_full * context +
                        st.attn_swa * swa_context(s, context));
    double t_mem = bytes / (st.bandwidth * st.eff.eta_mem);
    double t_comp = flops / (st.flops * st.eff.eta_decode_compute);
    t += std::max(t_mem, t_comp) + st.layers * st.eff.layer_overhead_s;
  }
  int layers = 0;
  for (const auto& st : s.stages) layers += st.layers;
  return (t + comm_seconds(s, b, layers)) * s.decode_scale;
}

double prefill_seconds(const SpeedSetup& s, int tokens) {
  double n = std::max(1, tokens);
  double steps = std::ceil(n / s.ubatch), t = 0;
  double active = active_share(s), touched = expert_share(s, std::min(n, double(s.ubatch)));
  bool has_gpu = std::any_of(s.stages.begin(), s.stages.end(), [](const Stage& st) { return !st.cpu; });
  const Stage* gpu = nullptr;
  for (const auto& st : s.stages)
    if (!st.cpu) gpu = &st;
  for (const auto& st : s.stages) {
    double flops = 2 * n * (st.active_params + st.expert_params * active) + st.attn_full * n * n / 2 +
                   st.attn_swa * prefill_attended(n, s.window);
    double q = s.quantized ? st.eff.quant_prefill : 1.0;
    double read = (st.weight_bytes + st.expert_bytes * touched) * steps;
    double stage_t = 0;
    if (st.cpu && has_gpu && n >= 32) {  // llama.cpp runs big batches of CPU-held layers on the GPU
      stage_t = std::max(read / s.pcie_bandwidth, flops / (gpu->flops * gpu->eff.eta_prefill * q));
    } else {
      stage_t = std::max(flops / (st.flops * st.eff.eta_prefill * q), read / (st.bandwidth * st.eff.eta_mem));
    }
    t += stage_t + st.layers * st.eff.layer_overhead_s * steps;
  }
  int layers = 0;
  for (const auto& st : s.stages) layers += st.layers;
  return (t + comm_seconds(s, n, layers)) * s.prefill_scale;
}

DecodeTerms decode_terms(const SpeedSetup& s, int batch, double context) {
  DecodeTerms d;
  double b = std::max(1, batch), touched = expert_share(s, b);
  for (const auto& st : s.stages) {
    double bytes = st.weight_bytes + st.expert_bytes * touched +
                   b * (st.kv_full * context + st.kv_swa * swa_context(s, context));
    d.mem_s += bytes / st.bandwidth;
    d.layers += st.layers;
  }
  return d;
}

PrefillTerms prefill_terms(const SpeedSetup& s, int tokens) {
  PrefillTerms p;
  double n = std::max(1, tokens), steps = std::ceil(n / s.ubatch), active = active_share(s);
  for (const auto& st : s.stages) {
    double flops = 2 * n * (st.active_params + st.expert_params * active) + st.attn_full * n * n / 2 +
                   st.attn_swa * prefill_attended(n, s.window);
    p.compute_s += flops / st.flops;
    p.layer_steps += st.layers * steps;
  }
  return p;
}

double decode_band(const SpeedSetup& s) {
  double b = 0;
  for (const auto& st : s.stages) b = std::max(b, st.eff.band_decode);
  return b;
}

double prefill_band(const SpeedSetup& s) {
  double b = 0;
  for (const auto& st : s.stages) b = std::max(b, st.eff.band_prefill);
  return b;
}

}  // namespace llmux::plan
