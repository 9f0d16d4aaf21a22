#include "plan/memory_model.hpp"

#include <algorithm>
#include <cmath>

namespace llmux::plan {

namespace {

constexpr double GiB = 1024.0 * 1024.0 * 1024.0;
constexpr int kVllmBatchedTokens = 8192;
constexpr int kVllmMaxSeqs = 256;

double capacity_bytes(const MemoryInputs& in) {
  return (in.memory_gib > 0 ? in.memory_gib : in.device->memory_gib) * GiB;
}

double host_free_bytes(double ram_gib) { return ram_gib * GiB - std::max(4.0 * GiB, 0.1 * ram_gib * GiB); }

double layer_kv(const MemoryInputs& in, int i) {
  double per_token = kv_bytes_per_token_layer(*in.model, i, in.kv);
  return per_token * cached_tokens(*in.model, i, in.ctx, in.slots, in.engine, in.ubatch);
}

// llama.cpp's compute buffer: the largest of the logits and the attention +
// FFN intermediates of one ubatch, plus small per-ubatch activations.
double compute_buffer(const MemoryInputs& in, bool logits, double n_kv) {
  const auto& m = *in.model;
  double ub = in.ubatch;
  double out = logits ? ub * m.vocab_size * 4.0 : 0;
  double ffn = m.is_moe() ? static_cast<double>(m.moe_intermediate_size) * m.experts_active : m.intermediate_size;
  double attn = in.flash_attention ? ub * m.attention_heads * m.head_dim * 4.0 : ub * n_kv * m.attention_heads * 4.0;
  return std::max(out, attn + ub * ffn * 4.0 * 2) + ub * m.hidden_size * 4.0 * 2;
}

double max_cached_tokens(const MemoryInputs& in) {
  double n = 0;
  for (int i = 0; i < in.model->layers; ++i)
    n = std::max(n, cached_tokens(*in.model, i, in.ctx, in.slots, in.engine, in.ubatch));
  return n;
}

// Everything on one memory pool: a CPU machine or a unified-memory device.
MemoryPlan place_single_pool(const MemoryInputs& in) {
  const auto& w = *in.weights;
  DeviceUsage d;
  d.label = in.device->name;
  d.layers = in.model->layers;
  d.output = true;
  d.weights = w.file_bytes();
  for (int i = 0; i < in.model->layers; ++i) d.kv += layer_kv(in, i);
  d.compute = compute_buffer(in, true, max_cached_tokens(in));
  d.overhead = runtime_overhead_bytes(in.engine, *in.device);
  d.capacity = capacity_bytes(in);
  d.free = device_free_bytes(in);
  MemoryPlan p;
  p.devices.push_back(d);
  p.gpu_layers = in.device->kind == catalog::DeviceKind::cpu ? 0 : in.model->layers;
  p.offloaded = false;
  p.fits = d.fits();
  p.headroom = d.free - d.used();
  p.gpu_shortfall = std::max(0.0, -p.headroom);
  return p;
}

struct Split {
  std::vector<DeviceUsage> gpus;
  DeviceUsage host;
  bool fits() const {
    bool ok = host.fits();
    for (const auto& g : gpus) ok = ok && g.fits();
    return ok;
  }
  double worst_gap() const {
    double gap = 0;
    for (const auto& g : gpus) gap = std::max(gap, g.used() - g.free);
    return gap;
  }
};

DeviceUsage gpu_usage(const MemoryInputs& in, int g, int from, int to, bool with_output, double n_kv) {
  DeviceUsage d;
  d.label = "GPU " + std::to_string(g) + " (" + in.device->name + ")";
  d.first_layer = from;
  d.output = with_output;
  d.layers = to - from;
  d.weights = in.weights->layer_bytes(from, to);
  for (int i = from; i < to; ++i) d.kv += layer_kv(in, i);
  if (with_output) d.weights += in.weights->output_bytes + in.weights->other_bytes;
  d.compute = compute_buffer(in, with_output, n_kv);
  d.overhead = runtime_overhead_bytes(in.engine, *in.device);
  d.capacity = capacity_bytes(in);
  d.free = device_free_bytes(in);
  return d;
}

DeviceUsage host_usage(const MemoryInputs& in, int cpu_layers, bool output_on_gpu) {
  const auto& w = *in.weights;
  DeviceUsage h;
  h.label = "host RAM";
  h.host = true;
  h.layers = cpu_layers;
  h.output = !output_on_gpu;
  h.weights = w.token_embd_bytes + w.layer_bytes(0, cpu_layers);
  if (!output_on_gpu) h.weights += (w.tied ? 0 : w.output_bytes) + w.other_bytes;
  for (int i = 0; i < cpu_layers; ++i) h.kv += layer_kv(in, i);
  h.compute = in.ubatch * in.model->hidden_size * 4.0 * 4 + (output_on_gpu ? 0 : in.ubatch * in.model->vocab_size * 4.0);
  h.capacity = in.host_ram_gib * GiB;
  h.free = host_free_bytes(in.host_ram_gib);
  return h;
}

// llama.cpp -ngl N: the last min(N, L) layers on the GPUs, split evenly in
// order; the output matrix on the last GPU when N > L; the rest on the CPU.
Split place_llama(const MemoryInputs& in, int ngl) {
  int L = in.model->layers;
  int on_gpu = std::min(ngl, L);
  int first = L - on_gpu;
  bool output_on_gpu = ngl > L;
  double n_kv = max_cached_tokens(in);
  Split s;
  for (int g = 0; g < in.gpus; ++g) {
    int from = first + on_gpu * g / in.gpus, to = first + on_gpu * (g + 1) / in.gpus;
    s.gpus.push_back(gpu_usage(in, g, from, to, output_on_gpu && g == in.gpus - 1, n_kv));
  }
  s.host = host_usage(in, first, output_on_gpu);
  return s;
}

MemoryPlan plan_from_split(const MemoryInputs& in, const Split& s, int ngl, double shortfall) {
  MemoryPlan p;
  p.devices = s.gpus;
  if (s.host.used() > 0) p.devices.push_back(s.host);
  p.gpu_layers = std::min(ngl, in.model->layers);
  p.offloaded = ngl <= in.model->layers;
  p.fits = s.fits();
  p.headroom = 1e30;
  for (const auto& g : s.gpus) p.headroom = std::min(p.headroom, g.free - g.used());
  p.gpu_shortfall = shortfall;
  return p;
}

MemoryPlan place_llama_best(const MemoryInputs& in) {
  int L = in.model->layers;
  Split full = place_llama(in, L + 1);
  double shortfall = std::max(0.0, full.worst_gap());
  if (in.gpu_layers >= 0) {
    int ngl = std::min(in.gpu_layers, L + 1);
    MemoryPlan p = plan_from_split(in, place_llama(in, ngl), ngl, shortfall);
    p.layers_given = true;
    return p;
  }
  for (int ngl = L + 1; ngl >= 0; --ngl) {
    Split s = ngl == L + 1 ? full : place_llama(in, ngl);
    if (s.fits()) return plan_from_split(in, s, ngl, shortfall);
  }
  return plan_from_split(in, full, L + 1, shortfall);
}

// vLLM: activations of one profiling batch of max_num_batched_tokens, plus the
// sampler's logits for max_num_seqs sequences.
double vllm_activation(const MemoryInputs& in, int tp) {
  const auto& m = *in.model;
  double ffn = m.is_moe() ? static_cast<double>(m.moe_intermediate_size) * m.experts_active : m.intermediate_size;
  return kVllmBatchedTokens * (8.0 * m.hidden_size + 3.0 * ffn / tp) * 2 + kVllmMaxSeqs * m.vocab_size * 8.0;
}

// KV bytes per token on one GPU for a sequence of `ctx` tokens (sliding layers hold at most a window).
double vllm_kv_per_token(const MemoryInputs& in, int tp) {
  const auto& m = *in.model;
  double share = m.is_mla() ? 1.0 : std::max(1.0, static_cast<double>(m.kv_heads) / tp) / m.kv_heads;
  double sum = 0;
  for (int i = 0; i < m.layers; ++i) {
    double tokens = m.layer_slides(i) ? std::min<double>(in.ctx, m.sliding_window) : in.ctx;
    sum += kv_bytes_per_token_layer(m, i, in.kv) * tokens / in.ctx;
  }
  return sum * share;
}

MemoryPlan place_vllm(const MemoryInputs& in) {
  int tp = in.gpus;
  const auto& w = *in.weights;
  double per_gpu_weights = w.file_bytes() / tp;
  double per_token = vllm_kv_per_token(in, tp);
  MemoryPlan p;
  double pool_total = 1e30;
  for (int g = 0; g < tp; ++g) {
    DeviceUsage d;
    d.label = "GPU " + std::to_string(g) + " (" + in.device->name + ")";
    d.layers = in.model->layers;
    d.output = true;
    d.weights = per_gpu_weights;
    d.compute = vllm_activation(in, tp);
    d.overhead = runtime_overhead_bytes(in.engine, *in.device);
    d.capacity = capacity_bytes(in);
    // vLLM takes its share (gpu_memory_utilization) and fills what the weights, activations
    // and runtime leave with KV cache; a pool smaller than one context shows what that
    // context needs, so that the device's row and the verdict agree.
    double budget = std::min(d.capacity * in.gpu_memory_utilization, device_free_bytes(in));
    d.free = budget;
    double pool = std::max(0.0, budget - d.weights - d.compute - d.overhead);
    pool_total = std::min(pool_total, pool);
    d.kv = std::max(pool, static_cast<double>(in.ctx) * per_token);
    p.headroom = g == 0 ? budget - d.weights - d.compute - d.overhead : std::min(p.headroom, budget - d.weights - d.compute - d.overhead);
    p.devices.push_back(d);
  }
  p.kv_tokens = per_token > 0 ? std::floor(pool_total / per_token) : 0;
  p.gpu_layers = in.model->layers;
  p.fits = p.headroom > 0 && p.kv_tokens >= in.ctx;
  double need = in.tokens_per_request > 0 ? std::min<double>(in.tokens_per_request, in.ctx) : in.ctx;
  p.max_sequences = static_cast<int>(std::min<double>(kVllmMaxSeqs, std::floor(p.kv_tokens / need)));
  p.gpu_shortfall = p.fits ? 0 : std::max(0.0, in.ctx * per_token - p.headroom);
  return p;
}

}  // namespace

double device_free_bytes(const MemoryInputs& in) {
  double cap = capacity_bytes(in);
  const auto& d = *in.device;
  if (d.kind == catalog::DeviceKind::cpu) return cap - std::max(4.0 * GiB, 0.05 * cap);
  if (d.kind == catalog::DeviceKind::unified) {
    // macOS lets the GPU wire about 2/3 of RAM up to 36 GB, 3/4 above. A device's own
    // fraction describes its catalog memory; another size (--memory-gib) follows the rule.
    bool catalog_size = in.memory_gib <= 0 || in.memory_gib == d.memory_gib;
    double frac = d.usable_fraction > 0 && catalog_size ? d.usable_fraction : (cap <= 36 * GiB ? 0.67 : 0.75);
    return cap * frac;
  }
  double reserve = in.reserve_gib >= 0 ? in.reserve_gib : (d.segment == "datacenter" ? 0.5 : 0.6);
  return cap - reserve * GiB;
}

Result<MemoryPlan> plan_memory(const MemoryInputs& in) {
  if (!in.model || !in.weights || !in.device) return fail(ErrorCode::internal, "plan_memory: missing inputs");
  if (in.gpus < 1) return fail(ErrorCode::usage, "--gpus must be at least 1");
  MemoryPlan p;
  if (in.engine == Engine::vllm) p = place_vllm(in);
  else if (in.device->kind != catalog::DeviceKind::gpu) p = place_single_pool(in);
  else p = place_llama_best(in);
  p.layers = in.model->layers;
  p.kv_bytes_per_token = kv_bytes_per_token(*in.model, in.kv);
  if (in.engine != Engine::vllm) {
    p.kv_tokens = static_cast<double>(in.ctx) * in.slots;
    p.max_sequences = in.slots;
  }
  if (in.engine == Engine::vllm && p.fits && in.tokens_per_request > 0 && p.max_sequences < in.slots)
    p.notes.push_back("the KV cache holds " + std::to_string(p.max_sequences) + " requests of your length at once; " +
                      "vLLM will queue or preempt beyond that");
  return p;
}

}  // namespace llmux::plan
