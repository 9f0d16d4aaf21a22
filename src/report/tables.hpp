#pragma once
// The report's tables, shared by the Markdown and HTML renderings so both show
// the same figures: targets side by side, every measured load level, cost at
// chosen volumes (the cost chart as numbers) and memory per quantization.
#include <string>
#include <vector>

#include "report/report.hpp"

namespace llmux::report {

struct Cell {
  std::string text;
  std::string tone;   // "", "good", "warn", "bad", "muted": how HTML colours it
};

struct Table {
  std::string id;
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
  bool first_column_is_header = false;
};

Table side_by_side_table(const Report& r);   // rows: metrics; columns: targets
Table levels_table(const Report& r);         // one row per target and load level
Table cost_volume_table(const Report& r);    // monthly cost at a few volumes
Table memory_table(const Report& r);

}  // namespace llmux::report
