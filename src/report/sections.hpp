#pragma once
// Sentences the Markdown and HTML renderings share: the workload line, the
// answer's headline, the labels of the methodology's parts.
#include <string>

#include "report/report.hpp"

namespace llmux::report {

std::string workload_line(const Report& r);     // "2,000 tokens in, 400 out, 20,000 requests/day (48M tokens/day)"
std::string privacy_line(const Report& r);      // "card numbers must stay local" / "any traffic may go to the cloud"
std::string slo_line(const Report& r);          // "ttft:p90<1000ms, tpot:p90<50ms" / "none"
std::string headline(const Report& r);          // "Run it locally: ..." / "Use gpt-4o-mini"

}  // namespace llmux::report
