// Human renderings of a bench result: the summary table and CSV.
#include <cmath>
#include <cstdio>

#include "bench/result.hpp"
#include "core/text.hpp"

namespace llmux::bench {

namespace {

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string ms(double v) { return std::isfinite(v) ? format_duration_ms(v) : "-"; }

std::string pad(const std::string& s, std::size_t w, bool left = false) {
  if (s.size() >= w) return s;
  return left ? s + std::string(w - s.size(), ' ') : std::string(w - s.size(), ' ') + s;
}

using Row = std::vector<std::string>;

std::string render_rows(const std::vector<Row>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      out += i ? "  " : " ";
      out += pad(r[i], width[i], i == 0);
    }
    out += '\n';
  }
  return out;
}

}  // namespace

void add_derived_notes(BenchResult& r) {
  bool estimated = false, apportioned = false;
  double worst_match = 1;
  for (const auto& l : r.levels) {
    if (l.completed == 0) continue;
    estimated |= !l.tokens_from_server;
    apportioned |= l.itl_apportioned;
    worst_match = std::min(worst_match, l.output_match);
  }
  if (r.endpoint.simulated)
    r.notes.push_back("SIMULATED ENDPOINT: these figures describe llmux sim (" + r.endpoint.simulated_profile +
                      "), not a real model server. Point --url at your runtime to measure it.");
  if (!r.run.ignore_eos || worst_match < 0.99) {
    // Anthropic and Gemini have no knob at all; elsewhere ignore_eos was off or ignored.
    bool no_knob = r.endpoint.dialect == "anthropic" || r.endpoint.dialect == "gemini";
    const char* why = no_knob              ? " (this API has no way to force it: max_tokens is only a cap)"
                      : r.run.ignore_eos ? " (the server stopped early; it may ignore ignore_eos)"
                                         : " (ignore_eos off)";
    char buf[200];
    std::snprintf(buf, sizeof buf, "output length not forced: %.0f%% of completed requests got exactly max_tokens%s",
                  worst_match * 100, why);
    r.notes.push_back(buf);
  }
  // Closed loop: a level with more users than measured requests never reaches its concurrency.
  std::string short_levels;
  int shorts = 0;
  for (const auto& l : r.levels)
    if (l.level.mode == LoadLevel::Mode::concurrency && r.run.requests > 0 &&
        l.level.value > static_cast<double>(r.run.requests))
      short_levels += (shorts++ ? ", " : "") + l.level.label();
  std::string n = std::to_string(r.run.requests);
  if (shorts)
    r.notes.push_back(
        short_levels + (shorts > 1 ? " never reached their concurrency" : " never reached its concurrency") +
        ": with -n " + n + " at most " + n +
        " measured requests were in flight; give -n several times the concurrency to measure it");
  if (r.search && r.search->capped_at > 0)
    r.notes.push_back(
        "--search capped at " + fixed(r.search->capped_at, 0) + " users by -n " + n +
        ": a level with more users than requests never has them all in flight; raise -n to search higher");
  if (!r.run.stream)
    r.notes.push_back(
        "not streamed (--no-stream): each answer arrived whole, so TTFT and TTFC are the time to the whole "
        "answer (as E2E, less the end of the body) and TPOT, ITL and inter-chunk gaps cannot be measured");
  if (estimated) r.notes.push_back("output tokens estimated by counting stream events: the server did not report usage");
  if (apportioned)
    r.notes.push_back("ITL apportioned: the server's token total was spread over events by text length");
  if (!r.input_calibrated)
    r.notes.push_back("input lengths not calibrated (no /tokenize endpoint): prompt sizes are estimates; the server's own counts are reported");
}

std::string render_table(const BenchResult& r) {
  std::string out;
  out += "llmux bench: " + r.endpoint.url + "  model " + r.endpoint.model + "  (" + r.endpoint.dialect +
         (r.endpoint.simulated ? ", SIMULATED" : "") + ")\n";
  out += "workload: " + r.workload + "\n\n";
  std::vector<Row> rows;
  rows.push_back({"load", "ok", "fail", "req/s", "out tok/s", "TTFT p50", "TTFT p99", "TPOT p50", "ITL p50", "ITL p99",
                  "E2E p50", "E2E p99", "goodput/s"});
  for (const auto& l : r.levels) {
    std::string label = l.level.label();
    if (!l.slos.empty()) label += l.slos_met ? " ✓" : " ✗";
    rows.push_back({label, std::to_string(l.completed), std::to_string(l.failed), fixed(l.request_throughput, 2),
                    fixed(l.output_throughput, 1), ms(l.ttft_ms.p50), ms(l.ttft_ms.p99), ms(l.tpot_ms.p50),
                    ms(l.itl_ms.p50), ms(l.itl_ms.p99), ms(l.e2e_ms.p50), ms(l.e2e_ms.p99), fixed(l.goodput, 2)});
  }
  out += render_rows(rows);
  for (const auto& l : r.levels) {
    if (l.errors.empty()) continue;
    out += "\nerrors at " + l.level.label() + ":";
    for (const auto& [kind, n] : l.errors) out += " " + kind + "=" + std::to_string(n);
    out += "\n";
    for (const auto& s : l.error_samples) out += "  e.g. " + s + "\n";
  }
  if (!r.slos.empty()) {
    out += "\nSLOs:";
    for (const auto& s : r.slos) out += " " + s.text;
    out += "  (✓ met, ✗ missed)\n";
  }
  if (r.search) {
    out += r.search->found
               ? "highest " + r.search->mode +
                     " meeting every SLO: " + fixed(r.search->best, r.search->mode == "rate" ? 2 : 0) +
                     (r.search->best == r.search->capped_at ? " (the most -n allows)" : "") + "\n"
               : "no tested " + r.search->mode + " met every SLO\n";
  }
  for (const auto& n : r.notes) out += "\nnote: " + n;
  if (!r.notes.empty()) out += "\n";
  return out;
}

std::string to_csv(const BenchResult& r) {
  std::string out =
      "mode,load,completed,failed,wall_s,request_throughput,output_tokens_per_s,goodput_per_s,"
      "ttft_p50_ms,ttft_p90_ms,ttft_p99_ms,ttfc_p50_ms,tpot_p50_ms,tpot_p99_ms,itl_p50_ms,itl_p99_ms,"
      "inter_chunk_p50_ms,e2e_p50_ms,e2e_p99_ms,input_tokens_mean,output_tokens_mean,slos_met\n";
  for (const auto& l : r.levels) {
    auto f = [](double v) { return std::isfinite(v) ? fixed(v, 4) : std::string(); };
    out += std::string(l.level.mode == LoadLevel::Mode::concurrency ? "concurrency" : "rate") + "," + f(l.level.value) +
           "," + std::to_string(l.completed) + "," + std::to_string(l.failed) + "," + f(l.wall_s) + "," +
           f(l.request_throughput) + "," + f(l.output_throughput) + "," + f(l.goodput) + "," + f(l.ttft_ms.p50) + "," +
           f(l.ttft_ms.p90) + "," + f(l.ttft_ms.p99) + "," + f(l.ttfc_ms.p50) + "," + f(l.tpot_ms.p50) + "," +
           f(l.tpot_ms.p99) + "," + f(l.itl_ms.p50) + "," + f(l.itl_ms.p99) + "," + f(l.chunk_gap_ms.p50) + "," +
           f(l.e2e_ms.p50) + "," + f(l.e2e_ms.p99) + "," + f(l.input_tokens.mean) + "," + f(l.output_tokens.mean) + "," +
           (l.slos.empty() ? "" : (l.slos_met ? "true" : "false")) + "\n";
  }
  return out;
}

}  // namespace llmux::bench
