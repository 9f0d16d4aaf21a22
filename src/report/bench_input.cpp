// Reads an `llmux bench` result (docs/bench.md, schema_version 1) into the
// fields the report shows.
#include <regex>

#include "catalog/try.hpp"
#include "report/inputs.hpp"
#include "report/json_fields.hpp"

namespace llmux::report {

namespace {

using namespace detail;

constexpr int kBenchSchema = 1;

Result<Distribution> read_distribution(const json& summary, std::string_view key, const Where& w) {
  Distribution d;
  auto it = summary.find(key);
  if (it == summary.end() || it->is_null()) return d;
  if (!it->is_object()) return tl::unexpected(w.at(key).error("expected an object (a distribution)"));
  Where at = w.at(key);
  double count = 0;
  LLMUX_TRY_ASSIGN(count, opt_number(*it, "count", at, 0));
  d.count = static_cast<std::size_t>(count);
  LLMUX_TRY_ASSIGN(d.mean, opt_number(*it, "mean", at, kNaN));
  LLMUX_TRY_ASSIGN(d.p50, opt_number(*it, "p50", at, kNaN));
  LLMUX_TRY_ASSIGN(d.p90, opt_number(*it, "p90", at, kNaN));
  LLMUX_TRY_ASSIGN(d.p99, opt_number(*it, "p99", at, kNaN));
  return d;
}

Result<void> read_errors(const json& s, const Where& w, BenchLevel& l) {
  auto it = s.find("errors");
  if (it == s.end() || it->is_null()) return {};
  if (!it->is_object()) return tl::unexpected(w.at("errors").error("expected an object of counts by kind"));
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (!e->is_number_integer()) return tl::unexpected(w.at("errors").at(e.key()).error("expected a count"));
    l.errors[e.key()] = e->get<std::int64_t>();
  }
  LLMUX_TRY_ASSIGN(l.error_samples, opt_strings(s, "error_samples", w));
  return {};
}

Result<void> read_summary(const json& s, const Where& w, BenchLevel& l) {
  LLMUX_TRY_ASSIGN(l.measured, need_int(s, "requests_measured", w));
  LLMUX_TRY_ASSIGN(l.completed, need_int(s, "requests_completed", w));
  LLMUX_TRY_ASSIGN(l.failed, need_int(s, "requests_failed", w));
  LLMUX_TRY_VOID(read_errors(s, w, l));
  LLMUX_TRY_ASSIGN(l.output_tokens_per_s, need_number(s, "output_tokens_per_s", w));
  LLMUX_TRY_ASSIGN(l.requests_per_s, need_number(s, "request_throughput_per_s", w));
  LLMUX_TRY_ASSIGN(l.goodput_per_s, opt_number(s, "goodput_per_s", w, 0));
  LLMUX_TRY_ASSIGN(l.ttft_ms, read_distribution(s, "ttft_ms", w));
  LLMUX_TRY_ASSIGN(l.tpot_ms, read_distribution(s, "tpot_ms", w));
  LLMUX_TRY_ASSIGN(l.e2e_ms, read_distribution(s, "e2e_ms", w));
  auto slos = s.find("slos");
  l.has_slos = slos != s.end() && slos->is_array() && !slos->empty();
  LLMUX_TRY_ASSIGN(l.slos_met, opt_bool(s, "slos_met", w, false));
  return {};
}

Result<BenchLevel> read_level(const json& run, const Where& w) {
  BenchLevel l;
  const json* load = nullptr;
  LLMUX_TRY_ASSIGN(load, need(run, "load", w, json::value_t::object));
  LLMUX_TRY_ASSIGN(l.mode, need_string(*load, "mode", w.at("load")));
  if (l.mode != "concurrency" && l.mode != "rate")
    return tl::unexpected(w.at("load").at("mode").error("'" + l.mode + "' is neither concurrency nor rate"));
  LLMUX_TRY_ASSIGN(l.load, need_number(*load, "value", w.at("load")));
  LLMUX_TRY_ASSIGN(l.label, opt_string(*load, "label", w.at("load"), (l.mode == "rate" ? "rate=" : "c=") + std::to_string(l.load)));
  const json* summary = nullptr;
  LLMUX_TRY_ASSIGN(summary, need(run, "summary", w, json::value_t::object));
  LLMUX_TRY_VOID(read_summary(*summary, w.at("summary"), l));
  return l;
}

// "synthetic input 2000 tokens, output 400 tokens": the fixed lengths, when fixed.
void parse_lengths(BenchInput& b) {
  static const std::regex in_re(R"(input (\d+) tokens)"), out_re(R"(output (\d+) tokens)");
  std::smatch m;
  if (b.workload.rfind("synthetic input", 0) == 0 && std::regex_search(b.workload, m, in_re)) b.input_tokens = std::stoi(m[1]);
  if (std::regex_search(b.workload, m, out_re)) b.output_tokens = std::stoi(m[1]);
}

Result<void> read_header(const json& doc, const Where& w, BenchInput& b) {
  LLMUX_TRY_ASSIGN(b.started_at, opt_string(doc, "started_at", w));
  LLMUX_TRY_ASSIGN(b.tool_version, opt_string(doc, "tool_version", w));
  LLMUX_TRY_ASSIGN(b.command, opt_string(doc, "command", w));
  const json* ep = nullptr;
  LLMUX_TRY_ASSIGN(ep, need(doc, "endpoint", w, json::value_t::object));
  Where e = w.at("endpoint");
  LLMUX_TRY_ASSIGN(b.url, need_string(*ep, "url", e));
  LLMUX_TRY_ASSIGN(b.model, opt_string(*ep, "model", e));
  LLMUX_TRY_ASSIGN(b.dialect, opt_string(*ep, "dialect", e, "openai"));
  LLMUX_TRY_ASSIGN(b.api_key_env, opt_string(*ep, "api_key_env", e));
  LLMUX_TRY_ASSIGN(b.simulated, opt_bool(*ep, "simulated", e, false));
  LLMUX_TRY_ASSIGN(b.simulated_profile, opt_string(*ep, "simulated_profile", e));
  const json* wl = nullptr;
  LLMUX_TRY_ASSIGN(wl, need(doc, "workload", w, json::value_t::object));
  LLMUX_TRY_ASSIGN(b.workload, need_string(*wl, "description", w.at("workload")));
  parse_lengths(b);
  LLMUX_TRY_ASSIGN(b.slos, opt_strings(doc, "slos", w));
  LLMUX_TRY_ASSIGN(b.notes, opt_strings(doc, "notes", w));
  return {};
}

}  // namespace

Result<BenchInput> parse_bench(const std::string& path, const std::string& text) {
  json doc;
  LLMUX_TRY_ASSIGN(doc, parse_document(path, text));
  LLMUX_TRY_VOID(check_schema(doc, path, "llmux bench", kBenchSchema));
  BenchInput b;
  b.path = path;
  Where w{&path, ""};
  LLMUX_TRY_VOID(read_header(doc, w, b));
  const json* runs = nullptr;
  LLMUX_TRY_ASSIGN(runs, need(doc, "runs", w, json::value_t::array));
  for (std::size_t i = 0; i < runs->size(); ++i) {
    if (!(*runs)[i].is_object()) return tl::unexpected(w.at("runs").at(i).error("expected an object"));
    BenchLevel l;
    LLMUX_TRY_ASSIGN(l, read_level((*runs)[i], w.at("runs").at(i)));
    b.levels.push_back(std::move(l));
  }
  return b;
}

std::string workload_key(const BenchInput& b) {
  if (b.input_tokens && b.output_tokens)
    return "in=" + std::to_string(*b.input_tokens) + "/out=" + std::to_string(*b.output_tokens);
  return b.workload;
}

}  // namespace llmux::report
