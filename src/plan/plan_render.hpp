#pragma once
// Output of `llmux plan`: a terminal table, Markdown, or one JSON object
// (schema documented in docs/plan.md, with schema_version).
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "plan/plan.hpp"

namespace llmux::plan {

enum class OutputFormat { text, json, markdown };
Result<OutputFormat> parse_output_format(std::string_view s);

// The plan as titled sections of tables and lines; text and Markdown render these.
struct Section {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> lines;    // sentences under the table
  bool bullets = false;              // render `lines` as a list
};
std::vector<Section> plan_sections(const PlanResult& p);

std::string render_text(const PlanResult& p);
std::string render_markdown(const PlanResult& p);
std::string render_json(const PlanResult& p);
std::string render(const PlanResult& p, OutputFormat f);

// The engine command line that starts this plan's primary option.
std::string engine_command(const PlanResult& p);

}  // namespace llmux::plan
