#pragma once
// Number formatting shared by the plan's renderers and advice.
#include <string>

namespace llmux::plan {

std::string fmt(const char* printf_format, double v);
std::string thousands(double v);   // "20,000"
std::string money(double usd);     // "$1,234", "$12.50", "$0.0042"
std::string gib_text(double bytes);  // "23.40 GiB"
std::string tps_text(double tokens_per_s);
std::string seconds_text(double s);

}  // namespace llmux::plan
