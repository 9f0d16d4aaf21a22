// llmux: local LLMs vs cloud APIs, measured. All logic lives in the modules;
// main only hands the command line to the CLI and turns its result into an exit code.
#include "cli/cli.hpp"

int main(int argc, char** argv) { return llmux::cli::run(argc, argv); }
