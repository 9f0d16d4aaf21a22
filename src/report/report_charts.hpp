#pragma once
// The report's charts, built from its data: latency and throughput against
// load per target, monthly cost against volume with break-even points, and
// memory per quantization against the device's memory. Each is absent when the
// report has nothing to plot in it.
#include <optional>

#include "report/chart.hpp"
#include "report/report.hpp"

namespace llmux::report {

std::optional<LineChart> latency_chart(const Report& r);
std::optional<LineChart> throughput_chart(const Report& r);
std::optional<LineChart> cost_chart(const Report& r);
std::optional<BarChart> memory_chart(const Report& r);

}  // namespace llmux::report
