#pragma once
// The report page's stylesheet, inlined into the HTML: screen (desktop and
// phone widths) and print (A4, the simulated banner on every page, no page
// breaks inside charts or table rows). Private to report.
#include <string_view>

namespace llmux::report {

std::string_view report_css();

}  // namespace llmux::report
