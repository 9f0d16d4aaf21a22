// llmux sim: run the simulated inference server until Ctrl-C.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/plan_sim_profile.hpp"
#include "catalog/catalog.hpp"
#include "cli/signals.hpp"
#include "sim/server.hpp"

namespace llmux::cli {

namespace {

struct SimFlags {
  SimTimingFlags timing;
  std::string dialect = "openai";
  std::string models = "sim-model";
  std::string error_statuses = "500";
  std::string stall = "30s", slow_headers = "0";
  // Timing from the plan's speed model instead of --profile flags.
  std::string plan_model, plan_quant = "Q4_K_M", plan_gpu;
  int plan_gpus = 1;
  int plan_ctx = 4096;
  std::string plan_engine = "llama.cpp";
  sim::SimOptions opts;
};

// --model M --gpu G: the batch profile the plan predicts for M on G.
Result<void> apply_plan_timing(SimFlags& f) {
  auto cat = catalog::load_catalog(catalog_dirs());
  if (!cat) return tl::unexpected(cat.error());
  PlanSimTuning tuning;
  tuning.engine = f.plan_engine;
  tuning.ctx = f.plan_ctx;
  auto planned = sim_options_from_plan(*cat, f.plan_model, f.plan_quant, f.plan_gpu, f.plan_gpus, tuning);
  if (!planned) return tl::unexpected(planned.error());
  sim::SimOptions& o = f.opts;
  o.profile = planned->profile;
  o.batch = planned->batch;
  o.description = planned->description;
  o.ollama_show = planned->ollama_show;
  if (f.models == "sim-model") f.models = f.plan_model;
  return {};
}

int run_sim(SimFlags& f) {
  auto& o = f.opts;
  auto dialect = api::parse_dialect(f.dialect);
  if (!dialect)
    return print_error(Error{ErrorCode::usage, "unknown dialect '" + f.dialect + "'; use openai, anthropic, gemini or ollama",
                             "--dialect", 0});
  o.dialect = *dialect;
  auto statuses = parse_number_list(f.error_statuses);
  if (!statuses) return print_error(Error{ErrorCode::usage, statuses.error().message, "--error-status", 0});
  o.faults.error_statuses.clear();
  for (double s : *statuses) o.faults.error_statuses.push_back(static_cast<int>(s));
  auto stall = parse_duration_ns(f.stall, "ms");
  auto slow = parse_duration_ns(f.slow_headers, "ms");
  if (!stall || !slow) return print_error(Error{ErrorCode::usage, "bad --stall or --slow-headers duration", "", 0});
  o.faults.stall = *stall;
  o.faults.slow_headers = *slow;
  if (auto r = apply_timing(f.timing, o); !r) return print_error(r.error());
  if (!f.plan_model.empty() || !f.plan_gpu.empty()) {
    if (f.plan_model.empty() || f.plan_gpu.empty())
      return print_error(Error{ErrorCode::usage, "timing from the plan needs both --model and --gpu", "--model/--gpu", 0});
    if (auto r = apply_plan_timing(f); !r) return print_error(r.error());
  }
  o.models.clear();
  for (auto m : split(f.models, ',')) o.models.emplace_back(trim(m));
  raise_fd_limit();
  block_server_signals();
  sim::SimServer server(o);
  if (auto r = server.start(); !r) return print_error(r.error());
  std::printf("llmux sim listening on %s\n", server.base_url().c_str());
  std::printf("dialect %s, model %s, %s; Ctrl-C to stop\n", f.dialect.c_str(), f.models.c_str(), o.description.c_str());
  std::fflush(stdout);
  while (wait_for_signal() == SIGHUP) {
  }
  server.stop(2 * kNanosPerSecond);
  auto stats = server.stats();
  std::fprintf(stderr, "llmux sim: %s\n", stats.to_json().c_str());
  if (auto warning = stats.lateness_warning(); !warning.empty())
    std::fprintf(stderr, "llmux sim: warning: %s\n", warning.c_str());
  return 0;
}

}  // namespace

void register_sim(CLI::App& app, CommandContext& ctx) {
  auto f = std::make_shared<SimFlags>();
  auto* cmd = app.add_subcommand("sim", "run a simulated inference server (OpenAI, Anthropic, Gemini or Ollama API)");
  cmd->add_option("--host", f->opts.host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", f->opts.port, "port (0 picks a free one; the chosen port is printed)")
      ->check(CLI::Validator(check_port, "PORT"))
      ->capture_default_str();
  cmd->add_option("--threads", f->opts.threads, "I/O threads (fixed profile)")->capture_default_str();
  cmd->add_option("--dialect", f->dialect, "API to serve: openai, anthropic (/v1/messages), gemini (/v1beta/models/M:generateContent), ollama (/api/chat)")
      ->check(CLI::IsMember({"openai", "anthropic", "gemini", "ollama"}))->capture_default_str();
  cmd->add_option("--model-name", f->models, "model ids the sim lists (comma-separated)")->capture_default_str();
  cmd->add_option("--max-context", f->opts.max_context, "context limit in tokens")->capture_default_str();
  add_timing_flags(*cmd, f->timing);
  cmd->add_option("--model", f->plan_model, "time the answers with the plan's speed model for this catalog model (with --gpu)");
  cmd->add_option("--quant", f->plan_quant, "quantization for --model")->capture_default_str();
  cmd->add_option("--gpu", f->plan_gpu, "catalog device for --model (e.g. rtx-4090, h100-sxm)");
  cmd->add_option("--gpus", f->plan_gpus, "number of devices for --model")->capture_default_str();
  cmd->add_option("--ctx", f->plan_ctx, "context per sequence the KV cache is sized for (--model)")->capture_default_str();
  cmd->add_option("--engine", f->plan_engine, "engine the plan models (llama.cpp, vllm, ollama)")->capture_default_str();
  cmd->add_option("--default-max-tokens", f->opts.default_max_tokens, "output length when a request sets no max_tokens")->capture_default_str();
  cmd->add_option("--natural-tokens", f->opts.natural_mean_tokens, "mean answer length when the model may stop on its own (no ignore_eos)")->capture_default_str();
  cmd->add_option("--reasoning-tokens", f->opts.reasoning_tokens, "answers start with this many reasoning tokens")->capture_default_str();
  cmd->add_option("--error-rate", f->opts.faults.error_rate, "probability of an HTTP error answer")->capture_default_str();
  cmd->add_option("--error-status", f->error_statuses, "statuses for --error-rate (comma-separated)")->capture_default_str();
  cmd->add_option("--rate-limit-rate", f->opts.faults.rate_limit_rate, "probability of a 429 with Retry-After")->capture_default_str();
  cmd->add_option("--retry-after", f->opts.faults.retry_after_s, "Retry-After seconds for 429s")->capture_default_str();
  cmd->add_option("--cut-rate", f->opts.faults.cut_rate, "probability of cutting a stream")->capture_default_str();
  cmd->add_option("--cut-after", f->opts.faults.cut_after_tokens, "tokens sent before a cut")->capture_default_str();
  cmd->add_option("--stall-rate", f->opts.faults.stall_rate, "probability of a stall")->capture_default_str();
  cmd->add_option("--stall", f->stall, "stall length")->capture_default_str();
  cmd->add_option("--stall-after", f->opts.faults.stall_after_tokens, "tokens sent before a stall")->capture_default_str();
  cmd->add_option("--slow-headers", f->slow_headers, "delay before every response head")->capture_default_str();
  cmd->add_option("--malformed-rate", f->opts.faults.malformed_rate, "probability of one malformed chunk")->capture_default_str();
  cmd->add_option("--seed", f->opts.seed, "random seed (faults, lengths, text)")->capture_default_str();
  cmd->add_flag("--echo", f->opts.echo, "answers repeat the last user message, token for token");
  cmd->add_flag("--record", f->opts.record, "keep request bodies; GET /sim/received lists them (for tests)");
  cmd->add_flag("--annotate", f->opts.annotate, "add {\"llmux\":{\"tokens\":k,\"t\":ns}} to chunks, in every dialect (ground truth for bench)");
  cmd->footer(
      "Per request, the header x-llmux-fault forces a fault: status=503, rate-limit, retry-after=2,\n"
      "cut-after=5, stall=2s, stall-after=3, slow-headers=1s, malformed-at=2 (several separated by ';').");
  cmd->callback([f, &ctx] { ctx.exit_code = run_sim(*f); });
}

}  // namespace llmux::cli
