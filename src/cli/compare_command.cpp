// llmux compare: should we run this model ourselves or pay a cloud API? Finds
// the local runtimes (or simulates one from the plan), benches every target
// briefly, plans the local hardware against the cloud prices, and writes the
// report (docs/report.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/compare_run.hpp"

namespace llmux::cli {

void register_compare(CLI::App& app, CommandContext& ctx) {
  auto f = std::make_shared<CompareFlags>();
  auto* cmd = app.add_subcommand("compare", "local runtime vs cloud APIs: bench, plan and write the decision report");
  f->cmd = cmd;
  cmd->add_option("--local", f->local, "auto (find runtimes), none, sim, URLs or runtime names (ollama, llama.cpp, vllm, ...)")->capture_default_str();
  cmd->add_option("--local-model", f->local_model, "model the --local URL serves (default: the first it lists)");
  cmd->add_option("--cloud", f->cloud, "cloud targets provider:model, comma-separated, or none")->capture_default_str();
  cmd->add_option("--cloud-url", f->cloud_urls, "a cloud API by URL: NAME=URL[,dialect=D][,price=ID][,model=M][,key-env=VAR] (repeatable)");
  cmd->add_option("--model", f->model, "catalog model the local runtime serves (default: guessed from its name; llama-3.1-8b when simulated)");
  cmd->add_option("--gguf", f->gguf, "plan the local runtime's model from its GGUF file (a model not in the catalog)");
  cmd->add_option("--hf-config", f->hf_config, "plan the local runtime's model from its Hugging Face config.json");
  cmd->add_option("--quant", f->quant, "its quantization (default: guessed from the name, else the plan picks)");
  cmd->add_option("--engine", f->engine, "llama.cpp, ollama or vllm (default: from the runtime found)");
  cmd->add_option("--gpu", f->gpu, "catalog device id, or auto (default: auto; rtx-4090 when simulated)");
  cmd->add_option("--gpus", f->gpus, "number of GPUs (default: what auto finds, else 1)");
  cmd->add_option("--workload", f->workload, "in=TOKENS,out=TOKENS,requests-per-day=N[,cached=0..1]");
  cmd->add_option("--privacy", f->privacy, "any, local-only, or local-only:CLASS[,CLASS] for data classes that must stay local")->capture_default_str();
  cmd->add_option("--slo", f->slo, "targets the load levels must meet")->capture_default_str();
  cmd->add_option("--concurrency,-c", f->concurrency, "closed-loop load levels")->capture_default_str();
  cmd->add_option("--level-duration", f->level_duration, "how long each load level runs")->capture_default_str();
  cmd->add_option("--output,-o", f->output, "report file; .html, .md or .json picks the format")->capture_default_str();
  cmd->add_option("--format", f->format, "html, markdown or json (default: from --output)");
  cmd->add_option("--save-results", f->save_dir, "keep the bench, plan and compare JSON here (for `llmux report`)");
  cmd->add_flag("--quiet,-q", f->quiet, "no progress output");
  cmd->callback([f, &ctx] {
    f->argv = ctx.argv;
    ctx.exit_code = run_compare(*f);
  });
}

}  // namespace llmux::cli
