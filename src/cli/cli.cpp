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
  // `llmux help [COMMAND]`, as git and cargo have it: the same as --help.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }
  std::vector<char*> given{argv[0]};
  for (auto& a : args) given.push_back(a.data());
  try {
    app.parse(static_cast<int>(given.size()), given.data());
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return ctx.exit_code;
}

}  // namespace llmux::cli
