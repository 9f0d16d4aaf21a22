// llmux plan: will a model fit this hardware, how fast, at what cost, and what
// to do. Reads the catalogs (no network, no GPU needed); --gpu auto looks at
// nvidia-smi / rocm-smi / /proc to say what is here.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "catalog/catalog.hpp"
#include "catalog/hf_config.hpp"
#include "catalog/model_source.hpp"
#include "catalog/try.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/model_input.hpp"
#include "cli/runtime_model.hpp"
#include "core/text.hpp"
#include "plan/efficiency_fit.hpp"
#include "plan/format.hpp"
#include "plan/hardware_detect.hpp"
#include "plan/plan.hpp"
#include "plan/plan_render.hpp"

namespace llmux::cli {

namespace {

struct PlanFlags {
  std::string model, gguf, hf_config, quant, engine = "llama.cpp", gpu = "auto", host, kv_cache, flash_attn = "auto";
  std::string workload, compare, privacy = "any", calibrate, format = "text";
  int gpus = 1, ctx = 0, concurrency = 1, gpu_layers = -1;
  double memory_gib = 0, reserve_gib = -1, host_ram = 0;
  double hardware_price = 0, amortize_months = 0, power_watts = 0, kwh_price = 0, pue = 0, utilization = 0, ops = 0;
  bool accuracy = false, calibrate_any = false;
  bool concurrency_given = false;  // --concurrency on the command line (else the plan may raise it)
  CLI::App* cmd = nullptr;
  bool given(const char* flag) const { return cmd->get_option(flag)->count() > 0; }
};

Result<std::string> read_small_file(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail(ErrorCode::io, "cannot read file", path);
  auto size = static_cast<std::size_t>(in.tellg());
  if (size > limit) return fail(ErrorCode::limit, "file is larger than " + std::to_string(limit >> 20) + " MiB", path);
  in.seekg(0);
  std::string s(size, '\0');
  in.read(s.data(), static_cast<std::streamsize>(size));
  return s;
}

Result<void> resolve_device(const PlanFlags& f, const catalog::Catalog& c, plan::PlanRequest& req) {
  if (to_lower(f.gpu) == "auto") {
    plan::Detection d;
    LLMUX_TRY_ASSIGN(d, plan::detect_hardware(c));
    req.device = d.device;
    req.gpus = f.given("--gpus") ? f.gpus : d.count;
    if (!f.given("--memory-gib")) req.memory_gib = d.memory_gib;
    if (!f.given("--reserve-gib")) req.reserve_gib = d.reserve_gib;
    req.detected = d.summary;
    req.cpu_compute_share = d.compute_share;
    return {};
  }
  LLMUX_TRY_ASSIGN(req.device, c.device(f.gpu));
  req.gpus = f.gpus;
  return {};
}

Result<void> resolve_host(const PlanFlags& f, const catalog::Catalog& c, plan::PlanRequest& req) {
  std::string host = f.host;
  if (host.empty()) host = req.device->kind != catalog::DeviceKind::gpu ? req.device->id
                           : req.device->segment == "datacenter"        ? "epyc-9654"
                                                                        : "desktop-ddr5";
  LLMUX_TRY_ASSIGN(req.host, c.device(host));
  if (req.host->kind == catalog::DeviceKind::gpu)
    return fail(ErrorCode::usage, "--host " + host + " is a GPU", "name a CPU entry, e.g. --host desktop-ddr5 or --host epyc-9654");
  req.host_ram_gib = f.host_ram > 0 ? f.host_ram : req.host->memory_gib;
  return {};
}

Result<void> resolve_compare(const PlanFlags& f, const catalog::Catalog& c, plan::PlanRequest& req) {
  std::vector<std::string> ids;
  if (f.given("--compare")) {
    for (auto id : split(f.compare, ','))
      if (!trim(id).empty()) ids.emplace_back(trim(id));
  } else {
    for (const char* id : {"gpt-4o-mini", "claude-3-5-haiku", "gemini-2.0-flash"})
      if (c.price(id)) ids.emplace_back(id);
    for (const auto& p : c.prices)
      if (!p.open_model.empty() && p.open_model == req.model.spec.id) ids.push_back(p.id);
  }
  for (const auto& id : ids) {
    const catalog::CloudPrice* p = nullptr;
    LLMUX_TRY_ASSIGN(p, c.price(id));
    req.compare.push_back(p);
  }
  return {};
}

Result<void> resolve_cost(const PlanFlags& f, plan::PlanRequest& req) {
  auto set = [&](const char* flag, double v, std::optional<double>& dst, double lo, double hi) -> Result<void> {
    if (!f.given(flag)) return {};
    if (v < lo || v > hi)
      return fail(ErrorCode::usage, std::string(flag) + " must be between " + plan::fmt("%g", lo) + " and " + plan::fmt("%g", hi));
    dst = v;
    return {};
  };
  auto& o = req.cost;
  LLMUX_TRY_VOID(set("--hardware-price", f.hardware_price, o.hardware_price, 0, 1e9));
  LLMUX_TRY_VOID(set("--amortize-months", f.amortize_months, o.amortize_months, 1, 240));
  LLMUX_TRY_VOID(set("--power-watts", f.power_watts, o.power_watts, 0, 1e6));
  LLMUX_TRY_VOID(set("--kwh-price", f.kwh_price, o.kwh_price, 0, 10));
  LLMUX_TRY_VOID(set("--pue", f.pue, o.pue, 1, 5));
  LLMUX_TRY_VOID(set("--utilization", f.utilization, o.utilization, 0.001, 1));
  LLMUX_TRY_VOID(set("--ops-per-month", f.ops, o.ops_per_month, 0, 1e9));
  return {};
}

// Sizes in GiB and the layer count: a value no machine has is a typo, not a plan.
Result<void> check_sizes(const PlanFlags& f) {
  auto gib = [&](const char* flag, double v, double lo, bool lo_ok) -> Result<void> {
    if (!f.given(flag) || (std::isfinite(v) && (lo_ok ? v >= lo : v > lo) && v <= 1e6)) return {};
    return fail(ErrorCode::usage, std::string(flag) + " " + plan::fmt("%g", v) + " is not a memory size",
                std::string("give GiB ") + (lo_ok ? "from 0" : "above 0") + " up to 1,000,000");
  };
  LLMUX_TRY_VOID(gib("--memory-gib", f.memory_gib, 0, false));
  LLMUX_TRY_VOID(gib("--host-ram", f.host_ram, 0, false));
  LLMUX_TRY_VOID(gib("--reserve-gib", f.reserve_gib, 0, true));
  if (f.given("--gpu-layers") && f.gpu_layers < 0)
    return fail(ErrorCode::usage, "--gpu-layers must be 0 or more", "leave it out to put as many layers on the GPU as fit");
  return {};
}

Result<void> resolve_settings(const PlanFlags& f, plan::PlanRequest& req) {
  LLMUX_TRY_ASSIGN(req.engine, plan::parse_engine(f.engine));
  std::string kv = f.kv_cache.empty() ? (req.engine == plan::Engine::vllm ? "auto" : "f16") : f.kv_cache;
  LLMUX_TRY_ASSIGN(req.kv, plan::parse_kv_cache_type(kv, req.engine));
  std::string fa = to_lower(f.flash_attn);
  if (fa == "on") req.flash_attention = true;
  else if (fa == "off") req.flash_attention = false;
  else if (fa != "auto") return fail(ErrorCode::usage, "--flash-attn must be auto, on or off");
  if (f.given("--workload")) LLMUX_TRY_ASSIGN(req.workload, plan::parse_workload(f.workload));
  std::string privacy = to_lower(f.privacy);
  if (privacy == "local-only" || privacy == "local") req.privacy = plan::Privacy::local_only;
  else if (privacy != "any") return fail(ErrorCode::usage, "--privacy must be any or local-only");
  if (f.given("--ctx") && f.ctx <= 0) return fail(ErrorCode::usage, "--ctx must be a positive number of tokens");
  LLMUX_TRY_VOID(check_sizes(f));
  req.ctx = f.ctx;
  req.concurrency = f.concurrency;
  req.concurrency_given = f.concurrency_given;
  req.gpu_layers = f.gpu_layers;
  req.memory_gib = f.memory_gib;
  req.reserve_gib = f.reserve_gib;
  return {};
}

Result<void> load_calibration(const PlanFlags& f, plan::PlanRequest& req) {
  if (f.calibrate.empty()) return {};
  std::string text;
  LLMUX_TRY_ASSIGN(text, read_small_file(f.calibrate, 64u << 20));
  plan::BenchResult b;
  LLMUX_TRY_ASSIGN(b, plan::parse_bench_result(text, f.calibrate));
  req.bench = b;
  req.bench_path = f.calibrate;
  return {};
}

// Whether the name an endpoint served is the planned model: by catalog entry
// when both names are known to the catalog, else by one name holding the other.
bool same_model(const catalog::Catalog& c, const std::string& served, const plan::PlanRequest& req) {
  auto bench = guess_model(c, served);
  auto planned = req.model.origin == "catalog" ? std::optional<ModelGuess>(ModelGuess{req.model.spec.id, ""})
                                               : guess_model(c, req.model.spec.id);
  if (bench && planned) return bench->model_id == planned->model_id;
  if (bench || planned) return false;
  std::string a = squash(served), b = squash(req.model.spec.id);
  return !a.empty() && !b.empty() && (a.find(b) != std::string::npos || b.find(a) != std::string::npos);
}

// --calibrate rescales the speed model to what the bench measured, so the bench
// must have run the planned model (and weights, when its model name says).
// The result records no GPU, so that cannot be checked. --calibrate-any skips it.
Result<void> check_calibration_matches(const PlanFlags& f, const catalog::Catalog& c, plan::PlanRequest& req) {
  if (!req.bench) return {};
  const std::string& served = req.bench->endpoint_model;
  auto guess = guess_model(c, served);
  if (guess) req.bench->quant = guess->quant;
  if (f.calibrate_any) return {};
  std::string what = "--calibrate " + f.calibrate + ": ";
  std::string force = "add --calibrate-any to apply it anyway";
  if (served.empty())
    return fail(ErrorCode::usage, what + "the bench result does not name its model, so it cannot be checked against " + req.model.spec.id,
                force);
  if (!same_model(c, served, req))
    return fail(ErrorCode::usage,
                what + "the bench ran '" + served + "'" + (guess ? " (" + guess->model_id + ")" : "") + ", not " +
                    req.model.spec.id + "; its speeds do not apply to this plan",
                "bench " + req.model.spec.id + " on this hardware and calibrate with that, or " + force);
  if (!req.bench->quant.empty() && req.quants.size() == 1 && !equals_icase(req.quants.front().name, req.bench->quant))
    return fail(ErrorCode::usage,
                what + "the bench ran " + req.bench->quant + " weights ('" + served + "'), not " + req.quants.front().name,
                "plan --quant " + req.bench->quant + ", or " + force);
  return {};
}

Result<plan::PlanRequest> build_request(const PlanFlags& f, const catalog::Catalog& c) {
  plan::PlanRequest req;
  LLMUX_TRY_VOID(resolve_settings(f, req));
  LLMUX_TRY_ASSIGN(req.model, load_model(ModelSource{f.model, f.gguf, f.hf_config}, c));
  LLMUX_TRY_VOID(resolve_device(f, c, req));
  LLMUX_TRY_VOID(resolve_host(f, c, req));
  LLMUX_TRY_ASSIGN(req.quants, pick_quants(req.model, req.engine, f.quant));
  req.quant_given = !f.quant.empty();
  LLMUX_TRY_VOID(resolve_compare(f, c, req));
  LLMUX_TRY_VOID(resolve_cost(f, req));
  LLMUX_TRY_VOID(load_calibration(f, req));
  LLMUX_TRY_VOID(check_calibration_matches(f, c, req));
  plan::FitResult fit;
  LLMUX_TRY_ASSIGN(fit, plan::fit_efficiencies(c));
  req.efficiency = std::move(fit.table);
  return req;
}

int print_accuracy(const catalog::Catalog& c) {
  auto fit = plan::fit_efficiencies(c);
  if (!fit) return print_error(fit.error());
  std::printf("%-32s %-7s %-4s %10s %10s %8s %10s %8s\n", "measurement", "metric", "gpus", "observed", "model", "error",
              "held-out", "error");
  for (const auto& r : fit->rows)
    std::printf("%-32s %-7s %-4d %10.1f %10.1f %+7.1f%% %10.1f %+7.1f%%\n", r.id.c_str(),
                r.metric == catalog::Metric::decode_tps ? "decode" : "prefill", r.gpus, r.observed, r.predicted,
                100 * r.error(), r.loo, 100 * r.loo_error());
  for (auto m : {catalog::Metric::decode_tps, catalog::Metric::prefill_tps}) {
    auto s = plan::summarize_accuracy(fit->rows, m);
    std::printf("%s: %d points, median |error| %.1f%% (held-out %.1f%%), worst %.1f%% %s (held-out %.1f%% %s)\n",
                m == catalog::Metric::decode_tps ? "decode" : "prefill", s.points, 100 * s.median, 100 * s.loo_median,
                100 * s.worst, s.worst_id.c_str(), 100 * s.loo_worst, s.loo_worst_id.c_str());
  }
  return 0;
}

int run_plan(PlanFlags& f) {
  auto c = catalog::load_catalog(catalog_dirs());
  if (!c) return print_error(c.error());
  if (f.accuracy) return print_accuracy(*c);
  auto format = plan::parse_output_format(f.format);
  if (!format) return print_error(format.error());
  auto req = build_request(f, *c);
  if (!req) return print_error(req.error());
  auto result = plan::make_plan(*req);
  if (!result) return print_error(result.error());
  std::fputs(plan::render(*result, *format).c_str(), stdout);
  return 0;
}

void add_cost_flags(CLI::App* cmd, PlanFlags& f) {
  cmd->add_option("--hardware-price", f.hardware_price, "USD for everything bought (default: catalog price x GPUs + host)");
  cmd->add_option("--amortize-months", f.amortize_months, "months to write the hardware off over (default 36)");
  cmd->add_option("--power-watts", f.power_watts, "system power under load (default: board power x GPUs + host)");
  cmd->add_option("--kwh-price", f.kwh_price, "USD per kWh (default 0.15)");
  cmd->add_option("--pue", f.pue, "power usage effectiveness (default 1.0 office, 1.4 data centre)");
  cmd->add_option("--utilization", f.utilization, "share of capacity in use, 0-1 (default: the workload's)");
  cmd->add_option("--ops-per-month", f.ops, "USD per month for operations (default 200)");
}

}  // namespace

void register_plan(CLI::App& app, CommandContext& ctx) {
  auto f = std::make_shared<PlanFlags>();
  auto* cmd = app.add_subcommand("plan", "will a model fit, how fast, what it costs locally vs cloud APIs");
  f->cmd = cmd;
  cmd->add_option("--model", f->model, "catalog model id (see `llmux catalog list models`)");
  cmd->add_option("--gguf", f->gguf, "plan from a GGUF file's header (exact tensor sizes)");
  cmd->add_option("--hf-config", f->hf_config, "plan from a Hugging Face config.json (or its directory)");
  cmd->add_option("--quant", f->quant, "weights: Q4_K_M, Q8_0, ... (llama.cpp) or BF16, FP8, AWQ (vLLM); default: a table");
  cmd->add_option("--engine", f->engine, "llama.cpp, ollama or vllm")->capture_default_str();
  cmd->add_option("--gpu", f->gpu, "catalog device id, or auto to detect")->capture_default_str();
  cmd->add_option("--gpus", f->gpus, "number of GPUs")->capture_default_str();
  cmd->add_option("--memory-gib", f->memory_gib, "memory per device, overriding the catalog (e.g. a 64 GB Mac)");
  cmd->add_option("--reserve-gib", f->reserve_gib, "memory per GPU not available to the model (default 0.5-0.6)");
  cmd->add_option("--host", f->host, "CPU that runs offloaded layers (default desktop-ddr5, or epyc-9654 for data-centre GPUs)");
  cmd->add_option("--host-ram", f->host_ram, "host RAM in GiB for CPU offload (default: the host entry's)");
  cmd->add_option("--ctx", f->ctx, "context tokens per sequence (default: enough for the workload)");
  auto* concurrency = cmd->add_option("--concurrency", f->concurrency,
                                      "requests served at once (default 1, raised when that does not keep up with --workload)");
  cmd->add_option("--kv-cache", f->kv_cache, "KV cache type: f16, q8_0, q4_0 (llama.cpp) or auto, fp8 (vLLM)");
  cmd->add_option("--flash-attn", f->flash_attn, "auto, on or off")->capture_default_str();
  cmd->add_option("--gpu-layers", f->gpu_layers, "llama.cpp layers on the GPU (default: as many as fit)");
  cmd->add_option("--workload", f->workload, "in=TOKENS,out=TOKENS,requests-per-day=N[,cached=0..1]");
  cmd->add_option("--compare", f->compare, "cloud models to compare (comma-separated price ids)");
  cmd->add_option("--privacy", f->privacy, "any, or local-only (data must not leave the premises)")->capture_default_str();
  add_cost_flags(cmd, *f);
  cmd->add_option("--calibrate", f->calibrate, "rescale the speed model with an `llmux bench` RESULT.json from this hardware");
  cmd->add_flag("--calibrate-any", f->calibrate_any,
                "apply --calibrate even when the bench ran another model or quantization than the one planned");
  cmd->add_option("--format", f->format, "text, json or markdown")->capture_default_str();
  cmd->add_flag("--accuracy", f->accuracy, "print the speed model's accuracy against its reference measurements");
  cmd->callback([f, concurrency, &ctx] {
    f->concurrency_given = concurrency->count() > 0;
    ctx.exit_code = run_plan(*f);
  });
}

}  // namespace llmux::cli
