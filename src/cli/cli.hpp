#pragma once

namespace llmux::cli {

// Parses the command line, runs the chosen subcommand, returns the exit status:
// 0 success, 1 failure, 2 usage error.
int run(int argc, char** argv);

}  // namespace llmux::cli
