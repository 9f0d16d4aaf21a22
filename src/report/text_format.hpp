#pragma once
// Number and text formatting for the report's renderers (on top of plan's
// money/thousands helpers), so every rendering writes a value the same way.
#include <string>
#include <vector>

#include "core/text.hpp"  // join

namespace llmux::report {

std::string compact(double v);         // 950, 12.5k, 31.2M, 4.1B
std::string ms_text(double ms);        // "120 ms", "1.23 s", "-" for NaN
std::string rate_text(double per_s);   // "123 tok/s" style numbers without the unit: "123", "12.5"
std::string percent(double fraction);  // "42%"
// "credit_card" -> "card numbers": the data classes privacy rules name.
std::string class_text(const std::string& data_class);
std::string classes_text(const std::vector<std::string>& classes);

}  // namespace llmux::report
