#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

namespace llmux::cli {

void register_all(CLI::App& app, CommandContext& ctx) {
  app.add_subcommand("version", "print the version")->callback([] { std::puts("llmux 0.1.0"); });
  register_bench(app, ctx);
  register_sim(app, ctx);
  register_serve(app, ctx);
  register_plan(app, ctx);
  register_catalog(app, ctx);
  register_detect(app, ctx);
  register_compare(app, ctx);
  register_report(app, ctx);
}

}  // namespace llmux::cli
