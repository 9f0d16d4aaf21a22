#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command.hpp"
#include "cli/commands.hpp"

namespace llmux::cli {

int run(int argc, char** argv) {
  CLI::App app{"llmux: local LLMs vs cloud APIs, measured"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "llmux 0.1.0");
  CommandContext ctx;
  for (int i = 0; i < argc; ++i) ctx.argv.emplace_back(i == 0 ? "llmux" : argv[i]);
  register_all(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return ctx.exit_code;
}

}  // namespace llmux::cli
