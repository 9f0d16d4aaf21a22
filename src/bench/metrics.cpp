#include "bench/metrics.hpp"

#include <cmath>
#include <limits>
#include <numeric>

namespace llmux::bench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Tokens each event carries: as the server said; else one each when the server's
// total equals the event count; else the total apportioned by text length.
std::vector<double> tokens_per_event(const RequestRecord& r, double total, bool total_known, bool& apportioned) {
  const auto& ev = r.events;
  std::vector<double> out(ev.size(), 1.0);
  bool all_known = !ev.empty();
  for (const auto& e : ev) all_known &= e.tokens > 0;
  if (all_known) {
    for (std::size_t i = 0; i < ev.size(); ++i) out[i] = ev[i].tokens;
    return out;
  }
  if (!total_known || std::fabs(total - static_cast<double>(ev.size())) < 0.5) return out;
  apportioned = true;
  double chars = 0;
  for (const auto& e : ev) chars += e.chars;
  for (std::size_t i = 0; i < ev.size(); ++i)
    out[i] = chars > 0 ? total * ev[i].chars / chars : total / static_cast<double>(ev.size());
  return out;
}

}  // namespace

RequestMetrics compute_metrics(const RequestRecord& r) {
  RequestMetrics m;
  m.ok = r.ok();
  m.send_lag_ms = to_ms(r.sent - r.scheduled);
  if (!m.ok) {  // no latency figures for a failed request (null in the per-request JSON)
    m.ttft_ms = m.ttft_sched_ms = m.ttfc_ms = m.e2e_ms = m.tpot_ms = kNaN;
    return m;
  }
  m.e2e_ms = to_ms(r.done - r.sent);
  m.ttft_ms = r.first_token ? to_ms(r.first_token - r.sent) : kNaN;
  m.ttft_sched_ms = r.first_token ? to_ms(r.first_token - r.scheduled) : kNaN;
  m.ttfc_ms = r.first_content ? to_ms(r.first_content - r.sent) : kNaN;

  bool from_server = r.usage.present() && r.usage.source == api::Usage::Source::server;
  double total = 0;
  if (from_server) {
    total = static_cast<double>(r.usage.completion_tokens);
  } else {
    bool all_known = !r.events.empty();
    for (const auto& e : r.events) all_known &= e.tokens > 0;
    for (const auto& e : r.events) total += all_known ? e.tokens : 1;
  }
  m.output_tokens = total;
  m.tokens_from_server = from_server;
  // A whole (non-streamed) answer arrives at once: TPOT, ITL and inter-chunk gaps cannot be
  // measured (NaN and no samples, null in the JSON), and nothing was apportioned.
  if (!r.streamed) {
    m.tpot_ms = kNaN;
    return m;
  }
  m.tpot_ms = total >= 2 && r.first_token ? to_ms(r.last_token - r.first_token) / (total - 1) : kNaN;

  auto per_event = tokens_per_event(r, total, from_server, m.itl_apportioned);
  for (std::size_t i = 1; i < r.events.size(); ++i) {
    double gap = to_ms(r.events[i].t - r.events[i - 1].t);
    m.chunk_gap_ms.push_back(gap);
    double k = per_event[i];
    if (k <= 0) continue;
    auto copies = std::max<long>(1, std::lround(k));
    for (long c = 0; c < copies; ++c) m.itl_ms.push_back(gap / k);
  }
  for (const auto& e : r.events)
    if (e.server_t) m.timing_error_ms.push_back(to_ms(e.t - e.server_t));
  return m;
}

}  // namespace llmux::bench
