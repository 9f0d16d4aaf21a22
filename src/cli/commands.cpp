#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

namespace llmux::cli {

void register_all(CLI::App& app, CommandContext& ctx) {
  (void)ctx;
  app.add_subcommand("version", "print the version")->callback([] { std::puts("llmux 0.1.0"); });
}

}  // namespace llmux::cli
