// llmux bench: load-test an endpoint (or the built-in simulated one).
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

#include "bench/bench.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/signals.hpp"
#include "net/proxy.hpp"
#include "providers/presets.hpp"
#include "sim/server.hpp"

namespace llmux::cli {

namespace {

constexpr std::int64_t kUnset = std::numeric_limits<std::int64_t>::min();

struct BenchFlags {
  std::string url, model, api_key_env, dialect, provider;
  std::vector<std::string> headers;
  std::string concurrency, rate;
  std::int64_t requests = kUnset;  // the default depends on the target
  std::string duration;
  std::int64_t warmup = 0;
  std::string arrivals = "poisson";
  std::int64_t max_inflight = 0;
  std::string input_tokens = "512", output_tokens = "128";
  std::string prompts, sharegpt, system_prompt;
  std::int64_t shared_prefix = 0;
  int prefix_groups = 1;
  std::string slo;
  bool search = false;
  double search_max = 0;
  int threads = 1;
  std::string timeout = "300s", read_timeout = "120s";
  bool no_stream = false, completions = false, per_request = false, quiet = false, insecure = false;
  std::string ignore_eos = "auto";
  std::string output, csv, ca_file;
  std::uint64_t seed = 1;
  std::vector<std::string> argv;
};

// The levels to run: --concurrency or --rate lists (one of them).
Result<std::vector<bench::LoadLevel>> parse_levels(const BenchFlags& f, bool simulated) {
  if (!f.concurrency.empty() && !f.rate.empty())
    return fail(ErrorCode::usage, "give either --concurrency or --rate, not both");
  bool rate = !f.rate.empty();
  std::string text = rate ? f.rate : (f.concurrency.empty() ? (simulated ? "1,4,16" : "1") : f.concurrency);
  auto values = parse_number_list(text);
  if (!values) return fail(ErrorCode::usage, values.error().message, rate ? "--rate" : "--concurrency");
  std::vector<bench::LoadLevel> out;
  for (double v : *values) {
    if (v <= 0 || (!rate && (v != static_cast<double>(static_cast<long long>(v)) || v > 100000)))
      return fail(ErrorCode::usage, rate ? "rates must be positive requests per second"
                                         : "concurrency levels must be whole numbers from 1 to 100000",
                  rate ? "--rate" : "--concurrency");
    out.push_back({rate ? bench::LoadLevel::Mode::rate : bench::LoadLevel::Mode::concurrency, v});
  }
  return out;
}

// Counts a user can get wrong by sign: each is named with the smallest value it takes.
Result<void> check_counts(const BenchFlags& f) {
  struct Count {
    const char* flag;
    double value;
    double min;
    const char* meaning;
  };
  for (const auto& c : {Count{"--requests", static_cast<double>(f.requests == kUnset ? 1 : f.requests), 1, ""},
                        Count{"--warmup", static_cast<double>(f.warmup), 0, ""},
                        Count{"--max-inflight", static_cast<double>(f.max_inflight), 0, " (0 = no cap)"},
                        Count{"--shared-prefix", static_cast<double>(f.shared_prefix), 0, " (0 = none)"},
                        Count{"--prefix-groups", static_cast<double>(f.prefix_groups), 1, ""},
                        Count{"--search-max", f.search_max, 0, " (0 = 1024 users or 1000 requests/s)"}}) {
    if (c.value < c.min) {
      char got[32];
      std::snprintf(got, sizeof got, "%g", c.value);
      return fail(ErrorCode::usage, std::string(c.flag) + " must be at least " + std::to_string(static_cast<int>(c.min)) +
                                        c.meaning + ", not " + got, c.flag);
    }
  }
  return {};
}

// Flags that would be accepted and then ignored: each needs another it works with.
Result<void> check_combinations(const BenchFlags& f, const bench::LengthDist& input) {
  bool files = !f.prompts.empty() || !f.sharegpt.empty();
  if (f.prefix_groups != 1 && f.shared_prefix == 0)
    return fail(ErrorCode::usage, "--prefix-groups needs --shared-prefix (the prefix each group shares)", "--prefix-groups");
  if (files && f.shared_prefix > 0)
    return fail(ErrorCode::usage, "--shared-prefix shapes synthetic prompts; prompt files keep their own text",
                "--shared-prefix with " + std::string(f.prompts.empty() ? "--sharegpt" : "--prompts"));
  if (files && !f.system_prompt.empty())
    return fail(ErrorCode::usage, "--system-prompt is added to synthetic prompts; put it in the prompt file instead",
                "--system-prompt");
  // The shortest prompt the input lengths give (the mean for normal and lognormal).
  if (!files && f.shared_prefix > 0 && static_cast<double>(f.shared_prefix) >= input.a) {
    char in[32];
    std::snprintf(in, sizeof in, "%g", input.a);
    return fail(ErrorCode::usage,
                "--shared-prefix " + std::to_string(f.shared_prefix) + " is not shorter than the prompts (--input-tokens " +
                    f.input_tokens + "): give a prefix under " + in + " tokens, so that prompts differ after it",
                "--shared-prefix");
  }
  if (f.max_inflight > 0 && f.rate.empty())
    return fail(ErrorCode::usage, "--max-inflight caps the open loop (--rate); with --concurrency the users are the cap",
                "--max-inflight");
  return {};
}

Result<bench::BenchConfig> make_config(const BenchFlags& f, bool simulated) {
  bench::BenchConfig c;
  if (auto r = check_counts(f); !r) return tl::unexpected(r.error());
  auto levels = parse_levels(f, simulated);
  if (!levels) return tl::unexpected(levels.error());
  c.levels = *levels;
  auto in = bench::parse_length_dist(f.input_tokens, "--input-tokens");
  if (!in) return tl::unexpected(in.error());
  auto out = bench::parse_length_dist(f.output_tokens, "--output-tokens");
  if (!out) return tl::unexpected(out.error());
  c.workload.input = *in;
  c.workload.output = *out;
  if (auto r = check_combinations(f, *in); !r) return tl::unexpected(r.error());
  c.workload.prompts_jsonl = f.prompts;
  c.workload.sharegpt_json = f.sharegpt;
  c.workload.output_from_file = !f.sharegpt.empty() || !f.prompts.empty();
  c.workload.shared_prefix_tokens = f.shared_prefix;
  c.workload.prefix_groups = f.prefix_groups;
  c.workload.system_prompt = f.system_prompt;
  c.workload.seed = f.seed;
  c.workload.completions_endpoint = f.completions;
  if (!f.prompts.empty() && !f.sharegpt.empty()) return fail(ErrorCode::usage, "give either --prompts or --sharegpt");
  c.run.requests = f.requests != kUnset ? f.requests : (simulated ? 24 : 100);
  if (!f.duration.empty()) {
    auto d = parse_duration_ns(f.duration, "s");
    if (!d || *d <= 0) return fail(ErrorCode::usage, "--duration must be a positive duration like 60s");
    c.run.duration = *d;
    if (f.requests == kUnset) c.run.requests = 0;  // --duration alone: no request limit
  }
  c.run.warmup = f.warmup;
  c.run.poisson = f.arrivals == "poisson";
  c.run.max_inflight = f.max_inflight;
  c.run.threads = f.threads;
  c.run.stream = !f.no_stream;
  c.run.completions = f.completions;
  c.run.seed = f.seed;
  auto timeout = parse_duration_ns(f.timeout, "s");
  auto idle = parse_duration_ns(f.read_timeout, "s");
  if (!timeout || !idle || *timeout <= 0 || *idle <= 0) return fail(ErrorCode::usage, "--timeout and --read-timeout must be durations like 30s");
  c.run.client.total_timeout = *timeout;
  c.run.client.read_timeout = std::min(*idle, *timeout);
  c.run.client.connect_timeout = std::min<Nanos>(10 * kNanosPerSecond, *timeout);
  c.run.client.ca_file = f.ca_file;
  c.run.client.verify_tls = !f.insecure;
  c.run.client.max_idle_per_origin = 100000;
  if (!f.slo.empty()) {
    auto slos = bench::parse_slos(f.slo);
    if (!slos) return tl::unexpected(slos.error());
    c.slos = *slos;
  }
  for (const auto& slo : c.slos)
    if (f.no_stream && (slo.metric == "tpot" || slo.metric == "itl"))
      return fail(ErrorCode::usage,
                  "SLO '" + slo.text + "' needs streaming: with --no-stream each answer arrives whole, so " +
                      (slo.metric == "tpot" ? "TPOT" : "ITL") + " cannot be measured",
                  "--slo with --no-stream: drop --no-stream, or set targets on ttft, ttfc or e2e");
  if (f.search && c.slos.empty()) return fail(ErrorCode::usage, "--search needs --slo targets to meet", "e.g. --slo 'ttft:p90<500ms'");
  c.search = f.search;
  c.search_max = f.search_max;
  if (f.threads < 1 || f.threads > 64) return fail(ErrorCode::usage, "--threads must be 1-64");
  return c;
}

// Checks that `path` can be written before the run, so that a typo does not cost the results.
// It opens the file as the write at the end will (creating and removing it when new):
// access() says yes to root everywhere, even in /proc, where no file can be created.
Result<void> check_writable(const std::string& path, const char* flag) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(path);
  auto cannot = [&](const std::string& why) {
    return fail(ErrorCode::usage, "cannot write " + path + ": " + why,
                std::string(flag) + ": give a path in a writable directory");
  };
  if (fs::is_directory(p, ec)) return cannot("it is a directory; give a file name");
  fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  bool existed = fs::exists(p, ec);
  if (!existed && !fs::is_directory(dir, ec)) return cannot("directory " + dir.string() + " does not exist");
  int fd =
      ::open(path.c_str(), existed ? O_WRONLY | O_CLOEXEC : O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return cannot(existed ? std::string(std::strerror(errno))
                          : "cannot create a file in " + dir.string() + ": " + std::strerror(errno));
  ::close(fd);
  if (!existed) ::unlink(path.c_str());
  return {};
}

// Everything checkable without the server: output paths writable, prompt files loaded.
Result<void> check_inputs_and_outputs(const BenchFlags& f, bench::BenchConfig& cfg) {
  if (!f.output.empty())
    if (auto r = check_writable(f.output, "--output"); !r) return r;
  if (!f.csv.empty())
    if (auto r = check_writable(f.csv, "--csv"); !r) return r;
  auto workload = bench::Workload::create(cfg.workload);
  if (!workload) {
    const char* flag = !f.prompts.empty() ? "--prompts: " : !f.sharegpt.empty() ? "--sharegpt: " : "";
    return fail(ErrorCode::usage, flag + workload.error().message, workload.error().context);
  }
  cfg.prepared = std::move(*workload);
  return {};
}

Result<void> write_text(const std::string& path, const std::string& text, const char* flag) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return fail(ErrorCode::io, "cannot write " + path + ": " + std::strerror(errno), flag);
  out << text;
  if (!out) return fail(ErrorCode::io, "failed writing " + path, flag);
  return {};
}

// Says that the results are partial: which signal, after how many requests.
std::string interrupted_note(int sig, const bench::BenchResult& r, std::int64_t cancelled) {
  std::int64_t done = 0;
  for (const auto& l : r.levels) done += l.completed + l.failed;
  return std::string("interrupted by ") + (sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal") +
         " after " + std::to_string(done) + " requests" +
         (cancelled ? " (" + std::to_string(cancelled) + " in flight were cancelled and left out)" : "") +
         ": these results are partial";
}

// Ctrl-C before the first level: no results to keep, so none are written (an earlier file stays as it was).
int exit_interrupted_before_run() {
  int sig = interrupt_signal();
  std::fprintf(stderr,
               "llmux bench: interrupted by %s before the run started: nothing was measured or written\n",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  return 128 + sig;
}

// --provider fills in what the flags leave out: URL, key variable, dialect, model.
Result<const providers::Preset*> apply_provider(BenchFlags& f) {
  if (f.provider.empty()) return nullptr;
  const providers::Preset* p = providers::find_preset(f.provider);
  if (!p) {
    return fail(ErrorCode::usage, "unknown provider '" + f.provider + "'" + did_you_mean(f.provider, providers::preset_names()),
                "--provider (one of: " + join(providers::preset_names(), ", ") + ")");
  }
  if (f.url.empty()) f.url = p->base_url;
  if (f.url.empty())
    return fail(ErrorCode::usage, "provider '" + p->name + "' needs --url", p->description);
  if (f.api_key_env.empty()) f.api_key_env = p->key_env;
  if (f.dialect.empty()) f.dialect = std::string(api::to_string(p->dialect));
  if (f.model.empty()) f.model = p->default_model;
  return p;
}

// --url is the API's base (.../v1): bench adds the endpoint's path itself.
Result<void> check_base_url(const std::string& url) {
  std::string_view u = url;
  while (u.ends_with('/')) u.remove_suffix(1);
  for (std::string_view endpoint : {"/chat/completions", "/completions"})
    if (u.ends_with(endpoint))
      return fail(ErrorCode::usage,
                  "--url is an endpoint, not the API's base URL: use " + std::string(u.substr(0, u.size() - endpoint.size())) +
                      " (bench adds " + std::string(endpoint) + " itself)",
                  "--url " + url);
  return {};
}

int run_bench_command(BenchFlags& f) {
  raise_fd_limit();
  if (auto r = check_base_url(f.url); !r) return print_error(r.error());
  auto preset = apply_provider(f);
  if (!preset) return print_error(preset.error());
  bool simulated = f.url.empty();
  auto cfg = make_config(f, simulated);
  if (!cfg) return print_error(cfg.error());
  if (auto r = check_inputs_and_outputs(f, *cfg); !r) return print_error(r.error());
  auto dialect = api::parse_dialect(f.dialect.empty() ? "openai" : f.dialect);
  if (!dialect)
    return print_error(Error{ErrorCode::usage, "unknown dialect '" + f.dialect + "'; use openai, anthropic, gemini or ollama",
                             "--dialect", 0});

  // No target: serve the built-in simulated endpoint on a loopback port.
  std::unique_ptr<sim::SimServer> sim_server;
  if (simulated) {
    sim::SimOptions so;
    so.dialect = *dialect;
    SimTimingFlags t;
    t.profile = "batch";
    t.prefill_per_token = "0.08ms";
    t.decode_base = "6.5ms";
    t.decode_per_seq = "0.25ms";
    if (auto r = apply_timing(t, so); !r) return print_error(r.error());
    sim_server = std::make_unique<sim::SimServer>(so);
    if (auto r = sim_server->start(); !r) return print_error(r.error());
    f.url = sim_server->base_url();
    if (f.model.empty()) f.model = "sim-model";
    cfg->simulated_profile = so.description;
    std::fprintf(stderr, "llmux bench: no --url given: benchmarking the built-in SIMULATED endpoint %s (%s)\n",
                 f.url.c_str(), so.description.c_str());
  }
  providers::EndpointSpec spec{f.url, *dialect, f.model, f.api_key_env, f.headers};
  if (*preset) {
    // The preset's key variable, else the others people keep that key in (GOOGLE_API_KEY for gemini).
    if (f.api_key_env == (*preset)->key_env) spec.fallback_key_envs = (*preset)->other_key_envs;
    spec.auth_header = (*preset)->auth_header;
    if (!(*preset)->api_version.empty()) spec.query = "api-version=" + (*preset)->api_version;
  }
  auto ep = providers::make_endpoint(spec);
  if (!ep) return print_error(ep.error());
  ep->simulated = simulated;
  auto url = net::parse_url(f.url);
  bool local = url && net::is_loopback_host(url->host);
  // Anthropic and Gemini have no way to force the output length: max_tokens is only a cap.
  bool can_force = *dialect == api::Dialect::openai || *dialect == api::Dialect::ollama;
  bool auto_force = *preset ? (*preset)->accepts_ignore_eos || (local && (*preset)->name.starts_with("llmux-sim")) : local;
  ep->accepts_ignore_eos = can_force && (f.ignore_eos == "on" || (f.ignore_eos == "auto" && auto_force));
  if (*preset) ep->stream_usage = (*preset)->stream_usage;
  cfg->run.ignore_eos = ep->accepts_ignore_eos;
  bench::LiveCounters live;
  // Ctrl-C stops the side requests before the run as much as the run itself.
  StopOnInterrupt stop_on_interrupt(live.stop);
  if (ep->model.empty()) {
    std::string server;
    auto models = bench::list_models(*ep, cfg->run.client, &server, &live.stop);
    if (live.stop) return exit_interrupted_before_run();
    if (!models && bench::unreachable(models.error()))
      return print_error(bench::unreachable_error(*ep, models.error(), cfg->run.client));
    if (!models)
      return print_error(Error{ErrorCode::usage, "no --model given and " + models.error().message + "; or pass --model",
                               ep->base_url, 0});
    if (models->empty())
      return print_error(Error{ErrorCode::usage, "no --model given and the server lists no models; pass --model", ep->base_url, 0});
    ep->model = models->front();
    cfg->probed_server = server;
    std::fprintf(stderr, "llmux bench: using model %s (the first the server lists)\n", ep->model.c_str());
  }
  cfg->endpoint = *ep;
  cfg->command = shell_command(f.argv);

  bool tty = interactive_stderr() && !f.quiet;
  std::string level_label;
  Nanos level_start = 0;
  auto total = cfg->run.requests > 0 ? cfg->run.requests + cfg->run.warmup : 0;
  ProgressLine progress(
      [&] {
        double el = to_seconds(mono_now() - level_start);
        char buf[256];
        std::snprintf(buf, sizeof buf, "  %s  %lld%s done  %lld failed  %lld in flight  %.1f req/s  %.0f tok/s  %.1fs",
                      level_label.c_str(), static_cast<long long>(live.completed + live.failed),
                      total ? ("/" + std::to_string(total)).c_str() : "", static_cast<long long>(live.failed.load()),
                      static_cast<long long>(live.in_flight.load()),
                      el > 0 ? static_cast<double>(live.completed.load()) / el : 0.0,
                      el > 0 ? static_cast<double>(live.output_tokens.load()) / el : 0.0, el);
        return std::string(buf);
      },
      tty);
  bench::BenchHooks hooks;
  hooks.info = [&](const std::string& s) { if (!f.quiet) std::fprintf(stderr, "llmux bench: %s\n", s.c_str()); };
  hooks.level_started = [&](const bench::LoadLevel& l) {
    level_label = l.label();
    level_start = mono_now();
    if (!f.quiet) progress.start();
  };
  hooks.level_finished = [&](const bench::LevelSummary& s) {
    progress.finish();
    if (!f.quiet)
      std::fprintf(stderr, "  %s: %lld ok, %lld failed, %.2f req/s, %.1f output tok/s, TTFT p50 %s\n",
                   s.level.label().c_str(), static_cast<long long>(s.completed), static_cast<long long>(s.failed),
                   s.request_throughput, s.output_throughput,
                   s.ttft_ms.count ? format_duration_ms(s.ttft_ms.p50).c_str() : "-");
  };
  auto result = bench::run_bench(std::move(*cfg), live, hooks);
  progress.finish();
  if (sim_server) sim_server->stop(kNanosPerSecond);
  if (!result && result.error().code == ErrorCode::cancelled && interrupt_signal())
    return exit_interrupted_before_run();
  if (!result) return print_error(result.error());
  int sig = interrupt_signal();
  if (sig) result->notes.push_back(interrupted_note(sig, *result, live.cancelled.load()));
  if (live.rejected) {
    std::string level, sample;
    if (!result->levels.empty()) {
      level = " of " + result->levels.back().level.label();
      const auto& samples = result->levels.back().error_samples;
      if (!samples.empty()) sample = " (" + samples.front() + ")";
    }
    result->notes.push_back("stopped: the server rejected the first " + std::to_string(bench::LiveCounters::kRejectionsToStop) +
                            " requests" + level + " with client errors" + sample +
                            " and answered none: check --url, --model and --dialect");
    std::fprintf(stderr, "llmux bench: %s\n", result->notes.back().c_str());
  }
  if (!f.output.empty())
    if (auto r = write_text(f.output, bench::to_json(*result, f.per_request), "--output"); !r) return print_error(r.error());
  if (!f.csv.empty())
    if (auto r = write_text(f.csv, bench::to_csv(*result), "--csv"); !r) return print_error(r.error());
  std::fputs(("\n" + bench::render_table(*result)).c_str(), stdout);
  if (!f.output.empty()) std::printf("results: %s\n", f.output.c_str());
  if (sig) return 128 + sig;  // the shell's convention for a command ended by a signal
  if (live.rejected) return 1;
  bool any_ok = false;
  for (const auto& l : result->levels) any_ok |= l.completed > 0;
  return any_ok ? 0 : 1;
}

}  // namespace

void register_bench(CLI::App& app, CommandContext& ctx) {
  auto f = std::make_shared<BenchFlags>();
  auto* cmd = app.add_subcommand("bench", "load-test an LLM endpoint: TTFT, TPOT, ITL, throughput, goodput");
  cmd->add_option("--url", f->url, "base URL of the API, e.g. http://127.0.0.1:8080/v1 (none: built-in simulated endpoint)");
  cmd->add_option("--provider", f->provider, "a known provider (openai, anthropic, gemini, ollama-native, vllm, azure, ...): "
                                             "its URL, key variable, dialect and quirks");
  cmd->add_option("--model", f->model, "model id (default: the provider's, else the first one the server lists)");
  cmd->add_option("--api-key-env", f->api_key_env, "environment variable holding the API key");
  cmd->add_option("--header", f->headers, "extra request header 'Name: value' (repeatable)");
  cmd->add_option("--dialect", f->dialect, "API dialect: openai (default), anthropic, gemini, ollama")
      ->check(CLI::IsMember({"openai", "anthropic", "gemini", "ollama"}));
  cmd->add_option("--concurrency,-c", f->concurrency, "closed loop: users, or a list to sweep (1,4,16)");
  cmd->add_option("--rate,-r", f->rate, "open loop: requests per second, or a list to sweep");
  cmd->add_option("--requests,-n", f->requests, "measured requests per level (default 100; 24 on the built-in endpoint)");
  cmd->add_option("--duration", f->duration, "stop each level after this long (e.g. 60s); with -n, at whichever comes first");
  cmd->add_option("--warmup", f->warmup, "requests sent first and left out of the results")->capture_default_str();
  cmd->add_option("--arrivals", f->arrivals, "open loop arrivals: poisson or constant")
      ->check(CLI::IsMember({"poisson", "constant"}))->capture_default_str();
  cmd->add_option("--max-inflight", f->max_inflight, "open loop: cap on requests in flight (0 = none)")->capture_default_str();
  cmd->add_option("--input-tokens", f->input_tokens, "prompt length: N, uniform:MIN:MAX, normal:MEAN:SD, lognormal:MEAN:SIGMA")->capture_default_str();
  cmd->add_option("--output-tokens", f->output_tokens, "output length (same forms)")->capture_default_str();
  cmd->add_option("--prompts", f->prompts, "JSONL prompt file: {\"messages\": [...]} or {\"prompt\": ...} per line");
  cmd->add_option("--sharegpt", f->sharegpt, "ShareGPT JSON file");
  cmd->add_option("--shared-prefix", f->shared_prefix, "tokens of prompt prefix shared between requests")->capture_default_str();
  cmd->add_option("--prefix-groups", f->prefix_groups, "number of distinct shared prefixes")->capture_default_str();
  cmd->add_option("--system-prompt", f->system_prompt, "system message added to synthetic prompts");
  cmd->add_option("--slo", f->slo, "targets, quoted, e.g. 'ttft:p90<500ms,itl:p99<50ms' (metrics ttft ttfc tpot itl e2e)");
  cmd->add_flag("--search", f->search, "find the highest load that meets every --slo");
  cmd->add_option("--search-max", f->search_max, "upper bound for --search");
  cmd->add_option("--threads", f->threads, "client I/O threads")->capture_default_str();
  cmd->add_option("--timeout", f->timeout, "per-request time limit")->capture_default_str();
  cmd->add_option("--read-timeout", f->read_timeout, "longest silence within a response")->capture_default_str();
  cmd->add_flag("--no-stream", f->no_stream,
                "non-streamed requests: TTFT is the time to the whole answer; TPOT and ITL are not measured");
  cmd->add_flag("--completions", f->completions, "use the legacy /completions endpoint");
  cmd->add_option("--ignore-eos", f->ignore_eos, "force output length with ignore_eos: auto (local servers, or the provider's), on, off")
      ->check(CLI::IsMember({"auto", "on", "off"}))->capture_default_str();
  cmd->add_option("--output,-o", f->output, "write the JSON result here (schema: docs/bench.md)");
  cmd->add_flag("--per-request", f->per_request, "include every request's record in the JSON");
  cmd->add_option("--csv", f->csv, "write one CSV row per level here");
  cmd->add_option("--ca-file", f->ca_file, "extra CA certificates (PEM) for TLS");
  cmd->add_flag("--insecure", f->insecure, "do not verify TLS certificates (never for production keys)");
  cmd->add_option("--seed", f->seed, "random seed for workloads and arrivals")->capture_default_str();
  cmd->add_flag("--quiet,-q", f->quiet, "no progress output");
  cmd->callback([f, &ctx] {
    f->argv = ctx.argv;
    ctx.exit_code = run_bench_command(*f);
  });
}

}  // namespace llmux::cli
