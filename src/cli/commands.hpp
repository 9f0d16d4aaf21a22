#pragma once
// The list of subcommands. Each is registered by its own file (see command.hpp).
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace llmux::cli {

void register_all(CLI::App& app, CommandContext& ctx);

void register_bench(CLI::App& app, CommandContext& ctx);
void register_sim(CLI::App& app, CommandContext& ctx);
void register_serve(CLI::App& app, CommandContext& ctx);
void register_plan(CLI::App& app, CommandContext& ctx);
void register_catalog(CLI::App& app, CommandContext& ctx);
void register_detect(CLI::App& app, CommandContext& ctx);
void register_compare(CLI::App& app, CommandContext& ctx);
void register_report(CLI::App& app, CommandContext& ctx);

// Catalog directories: the bundled data, then the user's overrides (imported prices).
std::vector<std::string> catalog_dirs();
std::string user_data_dir();

}  // namespace llmux::cli
