#pragma once
// The list of subcommands. Each is registered by its own file (see command.hpp).
#include "cli/command.hpp"

namespace llmux::cli {

void register_all(CLI::App& app, CommandContext& ctx);

void register_bench(CLI::App& app, CommandContext& ctx);
void register_sim(CLI::App& app, CommandContext& ctx);

}  // namespace llmux::cli
