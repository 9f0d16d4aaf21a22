#include "cli/compare_bench.hpp"

#include <cstdio>

#include "bench/bench.hpp"
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "catalog/try.hpp"
#include "cli/signals.hpp"
#include "core/text.hpp"
#include "plan/format.hpp"

namespace llmux::cli {

namespace {

std::string levels_text(const std::vector<double>& levels) {
  std::string s;
  for (double v : levels) s += (s.empty() ? "" : ",") + plan::fmt("%.0f", v);
  return s;
}

// The equivalent stand-alone command, for the report's "reproduce" list.
std::string bench_command(const CompareTarget& t, const StandardBench& s) {
  std::string cmd = "llmux bench --url " + (t.simulated && t.runtime.empty() ? std::string("<the simulated server>") : t.url) + " --model " + t.model +
                    " --dialect " + t.dialect + (t.key_env.empty() ? "" : " --api-key-env " + t.key_env) + " -c " +
                    levels_text(s.concurrency) + plan::fmt(" --duration %.0fs", to_seconds(s.level_duration)) +
                    " --input-tokens " + std::to_string(s.input_tokens) + " --output-tokens " + std::to_string(s.output_tokens);
  if (!s.slo_text.empty()) cmd += " --slo '" + s.slo_text + "'";
  return cmd + " -o bench-" + slug(t.name) + ".json";
}

Result<bench::BenchConfig> make_config(const CompareTarget& t, const StandardBench& s) {
  bench::BenchConfig c;
  auto api = api::parse_dialect(t.dialect);
  if (!api) return fail(ErrorCode::usage, "unknown dialect '" + t.dialect + "'", t.name);
  providers::EndpointSpec spec{t.url, *api, t.model, t.key_env, {}};
  LLMUX_TRY_ASSIGN(c.endpoint, providers::make_endpoint(spec));
  c.endpoint.simulated = t.simulated;
  c.endpoint.accepts_ignore_eos = t.accepts_ignore_eos;
  c.workload.input = {bench::LengthDist::Kind::fixed, static_cast<double>(s.input_tokens), 0};
  c.workload.output = {bench::LengthDist::Kind::fixed, static_cast<double>(s.output_tokens), 0};
  c.run.requests = 0;
  c.run.duration = s.level_duration;
  c.run.ignore_eos = t.accepts_ignore_eos;
  c.run.client.total_timeout = 180 * kNanosPerSecond;
  c.run.client.read_timeout = 60 * kNanosPerSecond;
  c.run.client.connect_timeout = 10 * kNanosPerSecond;
  c.run.client.max_idle_per_origin = 1024;
  for (double v : s.concurrency) c.levels.push_back({bench::LoadLevel::Mode::concurrency, v});
  c.slos = s.slos;
  c.command = bench_command(t, s);
  return c;
}

}  // namespace

BenchOutcome bench_target(const CompareTarget& t, const StandardBench& s, const std::string& position,
                          const std::string& simulated_profile) {
  BenchOutcome out;
  out.command = bench_command(t, s);
  auto cfg = make_config(t, s);
  if (!cfg) {
    out.error = cfg.error().describe();
    return out;
  }
  cfg->simulated_profile = simulated_profile;
  bench::LiveCounters live;
  StopOnInterrupt stop_on_interrupt(live.stop);
  std::string label;
  Nanos started = 0;
  double limit = to_seconds(s.level_duration);
  ProgressLine progress(
      [&] {
        double el = to_seconds(mono_now() - started);
        return "  [" + position + "] " + t.name + " " + label + ": " + std::to_string(live.completed.load()) + " done, " +
               std::to_string(live.failed.load()) + " failed, " + std::to_string(live.in_flight.load()) + " in flight, " +
               plan::fmt("%.0f tok/s, ", el > 0 ? static_cast<double>(live.output_tokens.load()) / el : 0.0) +
               (el <= limit ? plan::fmt("%.0f", el) + plan::fmt(" of %.0f s", limit)
                            : std::string("time is up, finishing the requests in flight"));
      },
      interactive_stderr() && !s.quiet);
  bench::BenchHooks hooks;
  hooks.level_started = [&](const bench::LoadLevel& l) {
    label = l.label();
    started = mono_now();
    if (!s.quiet) progress.start();
  };
  hooks.level_finished = [&](const bench::LevelSummary& l) {
    progress.finish();
    if (!s.quiet)
      std::fprintf(stderr, "  [%s] %s %s: %lld ok, %lld failed, %.1f tokens/s, TTFT p50 %s\n", position.c_str(), t.name.c_str(),
                   l.level.label().c_str(), static_cast<long long>(l.completed), static_cast<long long>(l.failed),
                   l.output_throughput, l.ttft_ms.count ? format_duration_ms(l.ttft_ms.p50).c_str() : "-");
  };
  auto result = bench::run_bench(std::move(*cfg), live, hooks);
  progress.finish();
  if (!result) {
    out.error = result.error().describe();
    return out;
  }
  out.ran = true;
  out.simulated = result->endpoint.simulated;
  out.json = bench::to_json(*result, false);
  return out;
}

}  // namespace llmux::cli
