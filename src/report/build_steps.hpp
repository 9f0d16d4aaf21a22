#pragma once
// The steps build_report() runs, one file each (private to the report module).
#include <optional>
#include <vector>

#include "report/report.hpp"

namespace llmux::report::detail {

// targets.cpp: one target per compared endpoint or priced cloud model.
std::vector<Target> make_targets(const Inputs& in);
// decision.cpp: the recommendation, its reasons, what would change it.
Answer decide(const Inputs& in, const std::vector<Target>& targets, const std::vector<std::string>& local_only_classes);
// cost_curves.cpp
std::optional<CostCurves> cost_curves(const PlanInput& plan);
std::optional<MemoryView> memory_view(const PlanInput& plan);
// methodology.cpp
Methodology methodology(const Inputs& in);
// Host of a URL ("http://127.0.0.1:8080/v1" -> "127.0.0.1:8080"); whether it is this machine or a private network.
std::string url_host(const std::string& url);
bool is_private_host(const std::string& host_port);

}  // namespace llmux::report::detail
