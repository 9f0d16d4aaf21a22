#pragma once
// How a subcommand plugs into the CLI: each command file has a
// `void register_<name>(CLI::App& app, CommandContext& ctx)` that adds its
// subcommand and options; its callback runs the command and stores the exit
// status in ctx.exit_code (0 ok, 1 failure, 2 usage error). Errors are printed
// with print_error so every command reports them the same way.
#include <string>
#include <vector>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace llmux::cli {

struct CommandContext {
  int exit_code = 0;
  std::vector<std::string> argv;  // the command line as typed, for "reproduce with"
};

// "llmux: error: <message> (<context>)" on stderr; returns exit_code(e).
int print_error(const Error& e);

// Directory of the bundled catalogs: $LLMUX_DATA_DIR, else the installed
// share/llmux, else the source tree's data/ (when run from a build tree).
std::string data_dir();

// Raises the open-file limit to the hard limit (thousands of sockets).
void raise_fd_limit();

// True when output goes to a terminal and CI is not set (live progress lines).
bool interactive_stderr();

}  // namespace llmux::cli
