#include "report/sections.hpp"

#include "plan/format.hpp"
#include "report/text_format.hpp"

namespace llmux::report {

std::string workload_line(const Report& r) {
  if (!r.workload) return r.measured_workload.empty() ? "not given" : r.measured_workload;
  const auto& w = *r.workload;
  std::string s = plan::thousands(w.input_tokens) + " tokens in, " + plan::thousands(w.output_tokens) + " out, " +
                  plan::thousands(w.requests_per_day) + " requests/day (" + compact(w.tokens_per_request() * w.requests_per_day) +
                  " tokens/day)";
  if (w.cached_fraction > 0) s += ", " + percent(w.cached_fraction) + " of input cached";
  if (!w.given) s += " — llmux's default workload; set yours with --workload";
  return s;
}

std::string privacy_line(const Report& r) {
  if (r.privacy == "local-only" && r.local_only_classes.empty()) return "all traffic must stay local";
  if (!r.local_only_classes.empty()) return classes_text(r.local_only_classes) + " must stay local; other traffic may go to the cloud";
  return "no rule: any traffic may go to the cloud";
}

std::string slo_line(const Report& r) { return r.slos.empty() ? "none set" : join(r.slos, ", "); }

std::string headline(const Report& r) {
  const auto& a = r.answer;
  if (a.choice.rfind("none", 0) == 0) return "Nothing qualifies yet";
  if (a.local) return "Run it locally: " + (a.choice.rfind("local: ", 0) == 0 ? a.choice.substr(7) : a.choice);
  return "Use " + (a.target.empty() ? a.choice : a.target);
}

}  // namespace llmux::report
