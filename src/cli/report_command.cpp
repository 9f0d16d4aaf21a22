// llmux report RESULT.json...: the compare report drawn from saved `llmux
// bench`, `llmux plan --format json` and `llmux compare --save-results` files,
// any number of bench runs side by side.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <memory>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "report/render.hpp"

namespace llmux::cli {

namespace {

struct ReportFlags {
  std::vector<std::string> files;
  std::string output, format;
  std::vector<std::string> argv;
};

int run_report(const ReportFlags& f) {
  auto format = !f.format.empty()  ? report::parse_format(f.format)
                : f.output.empty() ? Result<report::Format>(report::Format::markdown)
                                   : report::format_for_path(f.output);
  if (!format) return print_error(format.error());
  auto inputs = report::load_inputs(f.files);
  if (!inputs) return print_error(inputs.error());
  auto r = report::build_report(*inputs, {iso_now(), shell_command(f.argv)});
  if (!r) return print_error(r.error());
  std::string text = report::render(*r, *format);
  if (f.output.empty() || f.output == "-") {
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  std::ofstream out(f.output, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return print_error(Error{ErrorCode::io, "cannot write " + f.output, "--output", 0});
  std::printf("answer: %s\nreport: %s\n", r->answer.choice.c_str(), f.output.c_str());
  return 0;
}

}  // namespace

void register_report(CLI::App& app, CommandContext& ctx) {
  auto f = std::make_shared<ReportFlags>();
  auto* cmd = app.add_subcommand("report", "draw the local-vs-cloud report from saved bench, plan and compare results");
  cmd->add_option("files", f->files, "RESULT.json files: llmux bench -o, llmux plan --format json, compare --save-results")->required();
  cmd->add_option("--output,-o", f->output, "report file; .html, .md or .json picks the format (default: Markdown on stdout)");
  cmd->add_option("--format", f->format, "html, markdown or json (default: from --output)");
  cmd->callback([f, &ctx] {
    f->argv = ctx.argv;
    ctx.exit_code = run_report(*f);
  });
}

}  // namespace llmux::cli
