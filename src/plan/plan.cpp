// The `llmux plan` driver: validate the request, size each quantization on the
// hardware (memory, speed, cost), pick the option the plan is about, then add
// the cloud comparison, alternatives and a recommendation.
#include "plan/plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "catalog/try.hpp"
#include "core/text.hpp"
#include "plan/advice.hpp"
#include "plan/format.hpp"

namespace llmux::plan {

namespace {

Result<void> check_quant(const PlanRequest& req, const catalog::QuantScheme& q) {
  bool gguf = q.format == catalog::WeightFormat::gguf;
  if (req.engine == Engine::vllm && gguf && q.name != "BF16" && q.name != "F16")
    return fail(ErrorCode::usage, q.name + " is a GGUF (llama.cpp) format; vLLM serves safetensors checkpoints",
                "use --engine llama.cpp, or --quant BF16, FP8, INT8 or AWQ with vLLM");
  if (uses_gguf(req.engine) && !gguf)
    return fail(ErrorCode::usage, q.name + " is a safetensors format that " + std::string(to_string(req.engine)) + " does not load",
                "use a GGUF type such as --quant Q4_K_M, or --engine vllm");
  return {};
}

Result<void> validate(const PlanRequest& req) {
  const auto& m = req.model.spec;
  if (!req.device) return fail(ErrorCode::usage, "no device given", "use --gpu ID (see `llmux catalog list devices`) or --gpu auto");
  if (req.gpus < 1) return fail(ErrorCode::usage, "--gpus must be at least 1 (zero GPUs cannot hold a model)", "for a CPU-only plan use --gpu with a CPU entry, e.g. --gpu epyc-9654");
  if (req.gpus > 64) return fail(ErrorCode::usage, "--gpus " + std::to_string(req.gpus) + " is more than one node holds", "plan at most 64 GPUs");
  if (req.device->kind != catalog::DeviceKind::gpu && req.gpus != 1)
    return fail(ErrorCode::usage, req.device->name + " is a whole machine, not a GPU card", "use --gpus 1 with it");
  if (req.concurrency < 1 || req.concurrency > 4096) return fail(ErrorCode::usage, "--concurrency must be between 1 and 4096");
  if (req.ctx < 0) return fail(ErrorCode::usage, "--ctx must be positive");
  if (req.ctx > m.max_context)
    return fail(ErrorCode::usage, "context " + std::to_string(req.ctx) + " is over " + m.id + "'s maximum of " + std::to_string(m.max_context) + " tokens",
                "use --ctx " + std::to_string(m.max_context) + " or less");
  LLMUX_TRY_VOID(engine_supports(req.engine, *req.device));
  if (req.engine == Engine::vllm && !tensor_parallel_ok(m, req.gpus))
    return fail(ErrorCode::usage,
                "vLLM tensor parallelism cannot split " + m.id + " over " + std::to_string(req.gpus) + " GPUs: --gpus must divide its " +
                    std::to_string(m.attention_heads) + " attention heads, and divide or be a multiple of its " +
                    std::to_string(m.kv_heads) + " KV heads",
                "use --gpus " + tensor_parallel_sizes(m));
  double capacity = req.memory_gib > 0 ? req.memory_gib : req.device->memory_gib;
  if (req.device->kind == catalog::DeviceKind::gpu && req.reserve_gib >= capacity)
    return fail(ErrorCode::usage, fmt("--reserve-gib %g", req.reserve_gib) + " leaves nothing of the " + req.device->name + fmt("'s %g GiB", capacity),
                "reserve less than the GPU's memory; the default is 0.6 GiB");
  if (req.quants.empty()) return fail(ErrorCode::usage, "no quantization to plan for");
  for (const auto& q : req.quants) LLMUX_TRY_VOID(check_quant(req, q));
  return {};
}

// A request (prompt + output) must fit one sequence's context, or the engine
// refuses or truncates it: no verdict about memory would mean anything.
Result<void> check_requests_fit_context(const PlanRequest& req, int ctx) {
  const auto& m = req.model.spec;
  double need = req.workload.tokens_per_request();
  if (need <= ctx) return {};
  std::string requests = "the workload's requests of " + thousands(need) + " tokens (in + out)";
  if (need > m.max_context)
    return fail(ErrorCode::usage, requests + " are longer than " + m.id + "'s maximum context of " + thousands(m.max_context) +
                                      " tokens: they do not fit the model",
                "shorten them with --workload in=N,out=N, or plan a model with a longer context");
  return fail(ErrorCode::usage, "--ctx " + std::to_string(ctx) + " is shorter than " + requests + ": they do not fit it",
              "use --ctx " + fmt("%.0f", need) + " or more, up to " + std::to_string(m.max_context) + ", or leave --ctx out");
}

// --gpu-layers past the model's layers means all of them (as -ngl 999 does).
void note_gpu_layers(const PlanRequest& req, PlanResult& r) {
  if (req.gpu_layers < 0) return;
  if (req.engine == Engine::vllm || req.device->kind != catalog::DeviceKind::gpu)
    r.notes.push_back("--gpu-layers applies to llama.cpp and Ollama on a GPU; ignored here (every layer is on the " +
                      std::string(req.engine == Engine::vllm ? "GPUs" : "one device") + ")");
  else if (req.gpu_layers > r.model.layers + 1)
    r.notes.push_back("--gpu-layers " + std::to_string(req.gpu_layers) + " is more than " + r.model.id + "'s " +
                      std::to_string(r.model.layers) + " layers: planning all of them (and the output layer) on the GPU");
}

// A CPU machine with fewer threads than its catalog entry: the plan runs on a
// copy whose compute is that share (bandwidth stays the entry's).
void scale_cpu(const PlanRequest& req, PlanResult& r) {
  if (req.cpu_compute_share >= 1 || req.cpu_compute_share <= 0 || req.device->kind != catalog::DeviceKind::cpu) return;
  auto d = std::make_shared<catalog::DeviceSpec>(*req.device);
  for (double* f : {&d->fp16_tflops, &d->bf16_tflops, &d->fp8_tflops, &d->int8_tops}) *f *= req.cpu_compute_share;
  d->name += fmt(", compute scaled to %.0f%% (the threads found)", 100 * req.cpu_compute_share);
  bool host_is_device = r.host == req.device || r.host->id == req.device->id;
  r.scaled_device = d;
  r.device = d.get();
  if (host_is_device) r.host = d.get();
}

int default_ctx(const PlanRequest& req) {
  int need = static_cast<int>(req.workload.tokens_per_request());
  int ctx = 4096;
  while (ctx < need && ctx < (1 << 24)) ctx *= 2;
  return std::min(ctx, req.model.spec.max_context);
}

SpeedEstimate estimate_speed(const Configuration& c, const PlanResult& plan) {
  SpeedEstimate s;
  const auto& w = plan.workload;
  int batch = plan.concurrency;
  if (plan.engine == Engine::vllm && c.memory.max_sequences > 0) batch = std::min(batch, c.memory.max_sequences);
  double ctx = w.input_tokens + w.output_tokens / 2.0;
  s.ttft_s = prefill_seconds(c.speed, w.input_tokens);
  s.prefill_tps = w.input_tokens / s.ttft_s;
  s.step_s = decode_step_seconds(c.speed, batch, ctx);
  s.single_tps = 1.0 / decode_step_seconds(c.speed, 1, ctx);
  s.user_tps = 1.0 / s.step_s;
  s.capacity_rps = batch / (batch * s.ttft_s + w.output_tokens * s.step_s);
  s.total_tps = s.capacity_rps * w.output_tokens;
  s.band_decode = decode_band(c.speed);
  s.band_prefill = prefill_band(c.speed);
  s.ttft_lo = s.ttft_s * (1 - s.band_prefill), s.ttft_hi = s.ttft_s * (1 + s.band_prefill);
  s.user_lo = s.user_tps * (1 - s.band_decode), s.user_hi = s.user_tps * (1 + s.band_decode);
  double band_total = std::max(s.band_decode, s.band_prefill);
  s.total_lo = s.total_tps * (1 - band_total), s.total_hi = s.total_tps * (1 + band_total);
  return s;
}

std::string verdict(const MemoryPlan& m) {
  if (!m.fits) return "does not fit";
  if (m.offloaded) return "fits with CPU offload";
  return "fits";
}

// The option the plan is about, and why (options run largest first): the
// largest that fits on the accelerator and keeps up with the workload; failing
// that, the fastest of those on the accelerator with at least ~4.5 bits per
// weight (quality holds up), then the fastest on the accelerator; only when
// nothing fits on the accelerator alone, the same steps over the options that
// fit with CPU offload; when nothing fits at all, the smallest.
struct Pick {
  std::size_t index = 0;
  std::string reason;
};

// `prefix` says why this set is searched; `where` how its options fit.
std::optional<Pick> pick_among(const PlanResult& r, bool offloaded, const std::string& prefix, const std::string& where) {
  std::optional<std::size_t> largest, fastest_good, fastest;
  for (std::size_t i = 0; i < r.options.size(); ++i) {
    const auto& o = r.options[i];
    if (!o.config.memory.fits || o.config.memory.offloaded != offloaded) continue;
    if (o.cost.keeps_up && !largest) largest = i;
    auto faster = [&](const std::optional<std::size_t>& b) { return !b || o.speed.capacity_rps > r.options[*b].speed.capacity_rps; };
    if (o.config.weights.bits_per_weight() >= 4.5 && faster(fastest_good)) fastest_good = i;
    if (faster(fastest)) fastest = i;
  }
  if (largest) return Pick{*largest, prefix + "the largest that fits " + where + " and keeps up with the workload"};
  std::string none = prefix + "none that fits " + where + " keeps up with the workload, so the fastest of those";
  if (fastest_good) return Pick{*fastest_good, none + " with at least 4.5 bits per weight (quality holds up)"};
  if (fastest) return Pick{*fastest, none};
  return std::nullopt;
}

// The quantization a model was released in, when that is not 16-bit: a larger one
// adds memory, not quality (gpt-oss: MXFP4 experts).
std::string native_quant(const catalog::ModelSpec& m, Engine e) {
  if (m.arch != "gpt-oss") return "";
  return e == Engine::vllm ? "MXFP4" : "MXFP4_MOE";
}

Pick pick_primary(const PlanResult& r) {
  if (r.options.size() == 1) return {0, "the quantization asked for"};
  if (std::string native = native_quant(r.model, r.engine); !native.empty())
    for (std::size_t i = 0; i < r.options.size(); ++i) {
      const auto& o = r.options[i];
      if (o.config.quant.name == native && o.config.memory.fits && !o.config.memory.offloaded && o.cost.keeps_up)
        return {i, native + ", the weights " + r.model.name + " was released in (a larger quantization adds memory, not quality), " +
                       "fits on the accelerator and keeps up with the workload"};
    }
  if (auto p = pick_among(r, false, "", "on the accelerator")) return *p;
  if (auto p = pick_among(r, true, "nothing fits on the accelerator alone; ", "with CPU offload")) return *p;
  return {r.options.size() - 1, "nothing fits, so the smallest, for reference"};
}

Result<void> size_options(const PlanRequest& req, PlanResult& r) {
  for (const auto& q : req.quants) {
    Variant v{q, r.ctx, r.concurrency, r.gpus, r.kv, req.gpu_layers};
    QuantOption o;
    LLMUX_TRY_ASSIGN(o.config, configure_variant(req, r, v));
    o.speed = estimate_speed(o.config, r);
    o.cost = local_cost(*r.device, r.gpus, r.workload, o.config.memory.fits ? o.speed.capacity_rps : 0, req.cost);
    o.verdict = verdict(o.config.memory);
    r.options.push_back(std::move(o));
  }
  return {};
}

// Sizes every quantization at the result's concurrency and picks the primary one.
Result<void> size_and_pick(const PlanRequest& req, PlanResult& r) {
  r.options.clear();
  LLMUX_TRY_VOID(size_options(req, r));
  Pick pick = pick_primary(r);
  r.primary = pick.index;
  r.primary_reason = pick.reason;
  return {};
}

// Serving one request at a time is llama-server's default, not a limit of the
// hardware: a plan that said "local keeps up with only 39,037 of your 100,000
// requests/day, take the cloud model at 15x the price" for an 8B model on a 24 GB
// card was wrong advice. Without --concurrency, when the pick does not keep up with
// a given workload with headroom (kComfortableLoad of its capacity), the plan is made
// again at 2, 4, ... 64 concurrent requests, and the fewest that do (else the most
// that still fit) is the plan.
Result<void> raise_concurrency(const PlanRequest& req, PlanResult& r) {
  auto comfortable = [&](const PlanResult& p) { return busy_share(p.chosen().cost, p.workload) <= kComfortableLoad; };
  if (req.concurrency_given || !req.workload.given || comfortable(r) || !r.chosen().config.memory.fits) return {};
  double alone = r.chosen().cost.capacity_requests_per_day;
  PlanResult best = r;
  for (int c = r.concurrency * 2; c <= 64; c *= 2) {
    PlanResult trial = r;
    trial.concurrency = c;
    LLMUX_TRY_VOID(size_and_pick(req, trial));
    if (!trial.chosen().config.memory.fits) break;  // no room for more sequences' KV cache
    bool done = comfortable(trial);
    best = std::move(trial);
    if (done) break;
  }
  if (best.concurrency == r.concurrency) return {};
  r = std::move(best);
  r.assumptions.push_back("concurrency: " + std::to_string(r.concurrency) + " requests at once, " +
                          (comfortable(r) ? "the fewest (1, 2, 4, ...) at which this setup serves the workload with 20% headroom"
                                          : "the most that fit in memory") +
                          "; one at a time serves " + thousands(alone) + " requests/day (--concurrency)");
  return {};
}

// The option the bench measured: the one whose weights its model name gives,
// else the primary.
const QuantOption& benched_option(const PlanRequest& req, const PlanResult& r) {
  for (const auto& o : r.options)
    if (!req.bench->quant.empty() && equals_icase(o.config.quant.name, req.bench->quant)) return o;
  return r.chosen();
}

void apply_calibration(const PlanRequest& req, PlanResult& r) {
  if (!req.bench) return;
  auto cal = calibrate_from_bench(*req.bench, benched_option(req, r).config.speed, req.bench_path);
  if (!cal) {
    r.notes.push_back("calibration skipped: " + cal.error().describe());
    return;
  }
  r.calibration = *cal;
  r.efficiency.decode_scale *= cal->decode_scale;
  r.efficiency.prefill_scale *= cal->prefill_scale;
  r.efficiency.band_decode = cal->decode_band;
  r.efficiency.band_prefill = cal->prefill_band;
  r.efficiency.basis += "; rescaled by " + std::to_string(cal->decode_runs) + (cal->decode_runs == 1 ? " bench run" : " bench runs") + " from " + req.bench_path;
  for (auto& o : r.options) {
    o.config.speed.decode_scale *= cal->decode_scale;
    o.config.speed.prefill_scale *= cal->prefill_scale;
    for (auto& st : o.config.speed.stages)
      if (!st.cpu) st.eff.band_decode = cal->decode_band, st.eff.band_prefill = cal->prefill_band;
    o.speed = estimate_speed(o.config, r);
    o.cost = local_cost(*r.device, r.gpus, r.workload, o.config.memory.fits ? o.speed.capacity_rps : 0, req.cost);
  }
  for (const auto& n : cal->notes) r.notes.push_back(n);
}

// Cloud prices for the same workload, and where the local bill meets each one
// (only when the local setup runs at all).
void compare_cloud(const PlanRequest& req, PlanResult& r) {
  const auto& local = r.chosen().cost;
  bool runs = r.chosen().config.memory.fits;
  for (const auto* p : req.compare) {
    CloudCost c = cloud_cost(*p, r.workload);
    if (!c.context_ok) r.notes.push_back(p->id + fmt(" takes at most %.0f tokens per request", p->context));
    BreakEven b = runs ? break_even(local, c, r.workload) : BreakEven{};
    b.cloud_id = c.id;
    b.applies = runs;
    r.break_even.push_back(b);
    r.cloud.push_back(std::move(c));
  }
}

void name_assumptions(const PlanRequest& req, PlanResult& r) {
  if (!req.workload.given) r.assumptions.push_back("workload: " + describe(r.workload));
  if (req.ctx == 0)
    r.assumptions.push_back("context: " + std::to_string(r.ctx) + " tokens per sequence, enough for the workload's " +
                            fmt("%.0f-token requests (--ctx)", r.workload.tokens_per_request()));
  if (r.device->kind == catalog::DeviceKind::gpu)
    r.assumptions.push_back(fmt("host RAM for CPU offload: %.0f GiB (--host-ram)", req.host_ram_gib) + "; host CPU: " +
                            (r.host ? r.host->id : std::string("?")) + " (--host)");
  r.assumptions.push_back(std::string("flash attention: ") + (r.flash_attention ? "on" : "off") + " (--flash-attn)");
  r.assumptions.push_back("KV cache: " + r.kv.name + " (--kv-cache)");
}

}  // namespace

std::string default_host_id(const catalog::DeviceSpec& device) {
  if (device.kind != catalog::DeviceKind::gpu) return device.id;
  return device.segment == "datacenter" ? "epyc-9654" : "desktop-ddr5";
}

std::vector<catalog::QuantScheme> usual_quants(Engine e, const catalog::ModelSpec& m) {
  std::vector<catalog::QuantScheme> out;
  bool native_mxfp4 = !native_quant(m, e).empty();
  if (e == Engine::vllm) {
    for (const auto& q : catalog::safetensors_quants())
      if (q.usual || (native_mxfp4 && q.name == "MXFP4")) out.push_back(q);
    return out;
  }
  for (const auto& q : catalog::gguf_quants())
    if (q.usual || (native_mxfp4 && q.name == "MXFP4_MOE")) out.push_back(q);
  return out;
}

Result<PlanResult> make_plan(const PlanRequest& req) {
  LLMUX_TRY_VOID(validate(req));
  PlanResult r;
  r.model = req.model.spec;
  r.model_origin = req.model.origin;
  r.engine = req.engine, r.device = req.device, r.gpus = req.gpus;
  r.host = req.host ? req.host : req.device;
  scale_cpu(req, r);
  r.workload = req.workload, r.privacy = req.privacy, r.concurrency = req.concurrency, r.detected = req.detected;
  r.ctx = req.ctx > 0 ? req.ctx : default_ctx(req);
  r.kv = req.kv;
  r.flash_attention = req.flash_attention.value_or(req.engine != Engine::ollama);
  if (r.kv.needs_flash_attention && !r.flash_attention) {
    if (req.flash_attention) return fail(ErrorCode::usage, "llama.cpp quantizes the V cache only with flash attention", "drop --flash-attn off or use --kv-cache f16");
    r.flash_attention = true;
    r.notes.push_back("a quantized KV cache needs flash attention: assuming it is on (OLLAMA_FLASH_ATTENTION=1)");
  }
  r.efficiency = req.efficiency.lookup(std::string(calibration_engine(req.engine)), req.device->backend, req.device->id);
  r.quant_table = req.quants.size() > 1;
  for (const auto& n : req.model.notes) r.notes.push_back(n);
  r.warnings = req.model.warnings;
  LLMUX_TRY_VOID(check_requests_fit_context(req, r.ctx));
  note_gpu_layers(req, r);
  LLMUX_TRY_VOID(size_and_pick(req, r));
  LLMUX_TRY_VOID(raise_concurrency(req, r));
  apply_calibration(req, r);
  compare_cloud(req, r);
  r.alternatives = find_alternatives(req, r);
  r.recommendation = recommend(req, r);
  name_assumptions(req, r);
  return r;
}

}  // namespace llmux::plan
