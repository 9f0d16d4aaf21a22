// The `llmux compare` driver: a list of steps, each in its own function.
#include "cli/compare_run.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "catalog/ollama_show.hpp"
#include "catalog/try.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/compare_bench.hpp"
#include "cli/compare_plan.hpp"
#include "cli/compare_targets.hpp"
#include "cli/model_input.hpp"
#include "cli/plan_sim_profile.hpp"
#include "cli/runtime_model.hpp"
#include "core/text.hpp"
#include "plan/format.hpp"
#include "plan/plan_render.hpp"
#include "providers/detect.hpp"
#include "report/inputs.hpp"
#include "report/render.hpp"
#include "report/sections.hpp"
#include "sim/server.hpp"

namespace llmux::cli {

namespace {

constexpr const char* kSimModel = "llama-3.1-8b";
constexpr const char* kSimGpu = "rtx-4090";

struct Settings {
  plan::Workload workload;
  plan::Privacy privacy = plan::Privacy::any;
  std::vector<std::string> classes;  // data that must stay local
  StandardBench bench;
  report::Format format = report::Format::html;
};

struct Run {
  std::vector<CompareTarget> targets;  // local ones first
  std::vector<BenchOutcome> outcomes;  // one per target (empty when not measured)
  std::unique_ptr<sim::SimServer> sim;
  std::string sim_profile, sim_note;
  ComparePlanSpec plan_spec;
  plan::PlanResult plan;
  std::vector<std::string> notes;
};

Result<void> parse_privacy(const std::string& text, Settings& s) {
  std::string p = to_lower(trim(text));
  if (p == "any") return {};
  if (p == "local-only" || p == "local") {
    s.privacy = plan::Privacy::local_only;
    return {};
  }
  if (p.rfind("local-only:", 0) != 0)
    return fail(ErrorCode::usage, "--privacy must be any, local-only or local-only:CLASS[,CLASS]", "e.g. --privacy local-only:credit_card");
  std::string names = p.substr(11);  // split() gives views: the string must outlive the loop
  for (auto c : split(names, ',')) {
    std::string cls(trim(c));
    if (cls.empty() || cls.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
      return fail(ErrorCode::usage, "--privacy: '" + cls + "' is not a data class name", "e.g. credit_card, us_ssn, iban, email");
    s.classes.push_back(cls);
  }
  return {};
}

Result<void> parse_load(const CompareFlags& f, Settings& s) {
  auto levels = parse_number_list(f.concurrency);
  if (!levels || levels->empty()) return fail(ErrorCode::usage, "--concurrency must be a list like 1,4,16", "--concurrency");
  for (double v : *levels)
    if (v < 1 || v > 4096 || v != static_cast<double>(static_cast<int>(v)))
      return fail(ErrorCode::usage, "concurrency levels must be whole numbers from 1 to 4096", "--concurrency");
  s.bench.concurrency = *levels;
  auto d = parse_duration_ns(f.level_duration, "s");
  if (!d || *d <= 0) return fail(ErrorCode::usage, "--level-duration must be a duration like 8s", "--level-duration");
  s.bench.level_duration = *d;
  LLMUX_TRY_ASSIGN(s.bench.slos, bench::parse_slos(f.slo));
  s.bench.slo_text = f.slo;
  s.bench.quiet = f.quiet;
  return {};
}

Result<Settings> parse_settings(const CompareFlags& f) {
  Settings s;
  if (!f.workload.empty()) LLMUX_TRY_ASSIGN(s.workload, plan::parse_workload(f.workload));
  s.bench.input_tokens = s.workload.input_tokens;
  s.bench.output_tokens = s.workload.output_tokens;
  LLMUX_TRY_VOID(parse_privacy(f.privacy, s));
  LLMUX_TRY_VOID(parse_load(f, s));
  if (!f.format.empty()) LLMUX_TRY_ASSIGN(s.format, report::parse_format(f.format));
  else LLMUX_TRY_ASSIGN(s.format, report::format_for_path(f.output));
  return s;
}

void info(const CompareFlags& f, const std::string& line) {
  if (!f.quiet) std::fprintf(stderr, "llmux compare: %s\n", line.c_str());
}

std::string engine_for(const CompareTarget* rt) {
  if (!rt || rt->runtime.empty()) return "llama.cpp";
  if (rt->runtime == "ollama") return "ollama";
  if (rt->runtime == "vllm" || rt->runtime == "sglang") return "vllm";
  return "llama.cpp";
}

// A served model the catalog does not know: what the runtime itself says of it
// (Ollama's /api/show: the GGUF metadata of the loaded model), else an error that
// says how to name it.
Result<ComparePlanSpec> model_from_runtime(const CompareTarget& rt, ComparePlanSpec spec, std::vector<std::string>& notes) {
  std::string why;
  auto show = providers::ollama_show(rt.url, rt.model);
  if (show) {
    auto loaded = catalog::model_from_ollama_show(*show, rt.model + " at " + rt.url);
    if (loaded) {
      const auto& m = loaded->spec;
      notes.push_back("'" + rt.model + "' is not in the catalog: planned from what the runtime says of it (Ollama /api/show): " +
                      m.arch + ", " + plan::fmt("%.1fB", m.params_total / 1e9) + " parameters, " + std::to_string(m.layers) +
                      " layers" + (loaded->quant.empty() ? "" : ", " + loaded->quant + " weights"));
      for (const auto& n : loaded->notes) notes.push_back(rt.model + ": " + n);
      loaded->spec.id = loaded->spec.name = rt.model;
      spec.loaded = std::move(*loaded);
      return spec;
    }
    why = " (its /api/show answer: " + loaded.error().message + ")";
  }
  return fail(ErrorCode::usage, "cannot tell which catalog model '" + rt.model + "' at " + rt.url + " is" + why,
              "pass --model ID (see `llmux catalog list models`), --gguf FILE or --hf-config FILE");
}

// The weights an Ollama model has loaded, as its /api/show says; else, for a runtime
// known to be Ollama, its default (and for any other, none: the plan picks).
std::string ollama_quant(const CompareTarget& rt, std::vector<std::string>& notes) {
  if (auto show = providers::ollama_show(rt.url, rt.model))
    if (auto m = catalog::model_from_ollama_show(*show, rt.model); m && !m->quant.empty()) {
      notes.push_back("Ollama reports " + m->quant + " weights for " + rt.model);
      return m->quant;
    }
  if (rt.runtime != "ollama") return "";
  notes.push_back("assumed Ollama's default Q4_K_M weights for " + rt.model + " (set --quant)");
  return "Q4_K_M";
}

// Which model, quantization and hardware the plan is for.
Result<ComparePlanSpec> plan_spec(const CompareFlags& f, const Settings& s, const CompareTarget* rt, const catalog::Catalog& cat,
                                  std::vector<std::string>& notes) {
  ComparePlanSpec spec;
  spec.workload = s.workload, spec.privacy = s.privacy, spec.gpus = f.gpus, spec.quant = f.quant;
  spec.engine = f.engine.empty() ? engine_for(rt) : f.engine;
  spec.gpu = !f.gpu.empty() ? f.gpu : rt ? "auto" : kSimGpu;
  spec.concurrency = static_cast<int>(s.bench.concurrency.back());
  for (double c : s.bench.concurrency) spec.concurrency = std::max(spec.concurrency, static_cast<int>(c));
  if (!f.gguf.empty() || !f.hf_config.empty()) {
    if (!rt)
      return fail(ErrorCode::usage, "--gguf and --hf-config describe a local runtime's model, and there is none to bench",
                  "start the runtime (or pass --local URL); a simulated one takes a catalog --model");
    LLMUX_TRY_ASSIGN(spec.loaded, load_model(ModelSource{f.model, f.gguf, f.hf_config}, cat));
    notes.push_back("the local runtime's model is planned from " + spec.loaded->origin);
    return spec;
  }
  spec.model = !f.model.empty() ? f.model : rt ? "" : kSimModel;
  if (spec.model.empty()) {
    if (rt->model.empty())
      return fail(ErrorCode::usage, "cannot list the models of " + rt->url + ", so its catalog model is unknown",
                  "check the runtime is up, or pass --model ID and --local-model NAME");
    auto guess = guess_model(cat, rt->model);
    if (!guess) return model_from_runtime(*rt, spec, notes);
    spec.model = guess->model_id;
    if (spec.quant.empty()) spec.quant = guess->quant;
    // (A runtime given by URL may be Ollama too: its /api/show answers or it does not.)
    if (spec.quant.empty() && (rt->runtime == "ollama" || rt->runtime.empty())) spec.quant = ollama_quant(*rt, notes);
    notes.push_back("the local runtime's " + rt->model + " is planned as catalog model " + spec.model + (spec.quant.empty() ? "" : " " + spec.quant));
  }
  return spec;
}

// --local sim, or no runtime found: a simulated one whose timing is the plan's speed model.
Result<void> start_simulated(const catalog::Catalog& cat, const CompareFlags& f, const Settings& s, Run& run,
                             CompareTarget& t) {
  const auto& p = run.plan;
  PlanSimTuning tuning;
  tuning.engine = std::string(plan::to_string(p.engine));
  tuning.ctx = p.ctx;
  tuning.prompt_tokens = s.workload.input_tokens;
  sim::SimOptions o;
  LLMUX_TRY_ASSIGN(o, sim_options_from_plan(cat, p.model.id, p.chosen().config.quant.name, p.device->id, p.gpus, tuning));
  run.sim = std::make_unique<sim::SimServer>(o);
  LLMUX_TRY_VOID(run.sim->start());
  std::string what = p.model.id + " " + p.chosen().config.quant.name + " on " + std::to_string(p.gpus) + " x " + p.device->id;
  t.url = run.sim->base_url(), t.model = p.model.id, t.simulated = true, t.accepts_ignore_eos = true, t.local = true;
  t.name = "local (simulated): " + what;
  run.sim_profile = o.description;
  bool asked = false;
  for (auto item : split(f.local, ',')) asked |= trim(item) == "sim";
  run.sim_note = std::string("SIMULATED: ") + (asked ? "--local sim" : "no local runtime was found") +
                 ", so the local figures come from llmux sim timed by the plan's speed model for " + what +
                 "; they are not measurements of real hardware";
  return {};
}

Result<void> resolve_targets(const CompareFlags& f, const catalog::Catalog& cat, Run& run) {
  std::vector<CompareTarget> local, cloud;
  LLMUX_TRY_ASSIGN(local, resolve_local(f.local, f.local_model));
  name_local_models(local);
  LLMUX_TRY_ASSIGN(cloud, resolve_cloud(f.cloud, f.cloud_urls, cat));
  if (local.empty() && f.local != "none") {
    CompareTarget sim;
    sim.name = "local (simulated)", sim.local = sim.simulated = true;
    local.push_back(sim);
  }
  if (local.size() > 1 && local.front().simulated && local.front().url.empty()) local.resize(1);
  for (auto& t : local) run.targets.push_back(std::move(t));
  for (auto& t : cloud) run.targets.push_back(std::move(t));
  if (run.targets.empty()) return fail(ErrorCode::usage, "nothing to compare", "give --local or --cloud targets");
  for (const auto& t : run.targets)
    info(f, std::string(t.local ? "local target: " : "cloud target: ") + t.name +
                (t.url.empty() || t.simulated ? "" : " at " + t.url) +
                (t.not_measured.empty() ? "" : ": " + t.not_measured));
  return {};
}

// The first real local runtime, which the plan is about.
CompareTarget* local_runtime(Run& run) {
  for (auto& t : run.targets)
    if (t.local && !t.simulated) return &t;
  return nullptr;
}

Result<void> make_plan_step(const CompareFlags& f, const Settings& s, const catalog::Catalog& cat, Run& run) {
  CompareTarget* rt = local_runtime(run);
  LLMUX_TRY_ASSIGN(run.plan_spec, plan_spec(f, s, rt, cat, run.notes));
  for (const auto& t : run.targets)
    if (!t.local && !t.price_id.empty()) run.plan_spec.price_ids.push_back(t.price_id);
  LLMUX_TRY_ASSIGN(run.plan, run_compare_plan(cat, run.plan_spec));
  info(f, "plan done: from the catalogs alone it recommends " + run.plan.recommendation.choice);
  return {};
}

void bench_step(const Settings& s, const CompareFlags& f, Run& run) {
  std::size_t total = 0, done = 0;
  for (const auto& t : run.targets) total += t.not_measured.empty();
  for (const auto& t : run.targets) {
    if (!t.not_measured.empty()) {
      run.outcomes.emplace_back();
      continue;
    }
    std::string position = std::to_string(++done) + "/" + std::to_string(total);
    info(f, "[" + position + "] benching " + t.name + " for up to " + plan::fmt("%.0f s", to_seconds(s.bench.level_duration)) +
                " per load level");
    run.outcomes.push_back(bench_target(t, s.bench, position, t.simulated ? run.sim_profile : ""));
    if (!run.outcomes.back().ran) info(f, t.name + " failed: " + run.outcomes.back().error);
  }
}

std::string bench_file(const CompareTarget& t) { return "bench-" + slug(t.name) + ".json"; }

// The plan's capacity is at the largest load level benched. The report must not
// promise a capacity at a load that broke the SLOs the bench just checked, so the
// plan is made again at the largest level the first local target met them at.
void slo_level_step(const catalog::Catalog& cat, Run& run) {
  for (std::size_t i = 0; i < run.targets.size(); ++i) {
    if (!run.targets[i].local || !run.outcomes[i].ran) continue;
    auto bench = report::parse_bench(bench_file(run.targets[i]), run.outcomes[i].json);
    if (!bench) return;
    int best = 0, lowest = 0;
    std::string missed;
    for (const auto& level : bench->levels) {
      if (level.mode != "concurrency") continue;
      int c = static_cast<int>(level.load);
      lowest = lowest ? std::min(lowest, c) : c;
      if (level.slos_met) best = std::max(best, c);
      else missed += (missed.empty() ? "" : ", ") + std::to_string(c);
    }
    if (missed.empty() || lowest == 0) return;  // every level met them (or none was a concurrency level)
    int at = best ? best : lowest;
    if (at == run.plan_spec.concurrency) return;
    run.plan_spec.concurrency = at;
    auto again = run_compare_plan(cat, run.plan_spec);
    if (!again) return run.notes.push_back("the plan stays at the largest load level: " + again.error().describe());
    run.plan = std::move(*again);
    run.notes.push_back(best ? "capacity is planned at " + std::to_string(at) + " concurrent requests, the most at which " +
                                   run.targets[i].name + " met the SLOs (it missed them at " + missed + ")"
                             : run.targets[i].name + " met the SLOs at no load level (" + missed +
                                   "): capacity is planned at the lowest, " + std::to_string(at) +
                                   " concurrent requests, and misses them");
    return;
  }
}

// A real runtime was measured: rescale the plan's speed model with it.
void calibrate_step(const catalog::Catalog& cat, Run& run) {
  for (std::size_t i = 0; i < run.targets.size(); ++i) {
    if (!run.targets[i].local || run.targets[i].simulated || !run.outcomes[i].ran) continue;
    ComparePlanSpec spec = run.plan_spec;
    spec.calibrate_json = run.outcomes[i].json;
    spec.calibrate_path = bench_file(run.targets[i]);
    auto calibrated = run_compare_plan(cat, spec);
    if (calibrated) run.plan = std::move(*calibrated);
    else run.notes.push_back("the plan was not calibrated with the local bench: " + calibrated.error().describe());
    return;
  }
}

report::CompareManifest make_manifest(const CompareFlags& f, const Settings& s, const Run& run) {
  report::CompareManifest m;
  m.started_at = iso_now(), m.tool_version = "0.1.0", m.command = shell_command(f.argv);
  m.privacy = s.privacy == plan::Privacy::local_only ? "local-only" : "any";
  m.local_only_classes = s.classes;
  m.slos = {s.bench.slo_text};
  m.simulated = run.sim != nullptr;
  for (const auto& t : run.targets) m.simulated = m.simulated || (t.local && t.simulated);  // a sim found running too
  m.simulated_note = run.sim_note;
  m.hardware = run.sim ? "none measured: the simulated runtime stands for " + std::to_string(run.plan.gpus) + " x " + run.plan.device->name + " (catalog entry)"
                       : !run.plan.detected.empty() ? run.plan.detected : std::to_string(run.plan.gpus) + " x " + run.plan.device->name + " (--gpu)";
  m.plan_file = "plan.json";
  m.commands.push_back(m.command);
  m.notes = run.notes;
  for (std::size_t i = 0; i < run.targets.size(); ++i) {
    const auto& t = run.targets[i];
    const auto& o = run.outcomes[i];
    m.simulated = m.simulated || o.simulated;  // a sim given by URL says what it is
    report::ManifestTarget mt{t.name, t.local ? "local" : "cloud", t.url, t.model, t.dialect, t.provider, t.price_id, t.simulated || o.simulated,
                              "measured", t.not_measured, o.error, o.ran ? bench_file(t) : ""};
    if (!t.not_measured.empty()) mt.status = "not measured";
    else if (!o.ran) mt.status = "failed";
    if (!o.command.empty() && o.ran) m.commands.push_back(o.command);
    m.targets.push_back(std::move(mt));
  }
  return m;
}

std::string in_dir(const std::string& dir, const std::string& name) { return dir.empty() ? name : (std::filesystem::path(dir) / name).string(); }

// The files `llmux report` would read: the same text, drawn the same way.
std::vector<report::InputText> result_files(const CompareFlags& f, const report::CompareManifest& m, const Run& run) {
  std::vector<report::InputText> files{{in_dir(f.save_dir, "compare.json"), report::to_json(m)},
                                       {in_dir(f.save_dir, "plan.json"), plan::render_json(run.plan)}};
  for (std::size_t i = 0; i < run.targets.size(); ++i)
    if (run.outcomes[i].ran) files.push_back({in_dir(f.save_dir, bench_file(run.targets[i])), run.outcomes[i].json});
  return files;
}

Result<void> write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return fail(ErrorCode::io, "cannot write " + path, "check the directory exists and is writable");
  out << text;
  if (!out) return fail(ErrorCode::io, "failed writing " + path);
  return {};
}

Result<void> save_results(const CompareFlags& f, const std::vector<report::InputText>& files) {
  if (f.save_dir.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(f.save_dir, ec);
  if (ec) return fail(ErrorCode::io, "cannot create " + f.save_dir + ": " + ec.message(), "--save-results");
  for (const auto& file : files) LLMUX_TRY_VOID(write_file(file.path, file.text));
  return {};
}

void print_summary(const CompareFlags& f, const report::Report& r) {
  std::printf("answer: %s\n", report::headline(r).c_str());
  for (std::size_t i = 0; i < r.answer.reasons.size() && i < 2; ++i) std::printf("  because: %s\n", r.answer.reasons[i].c_str());
  for (const auto& line : r.answer.privacy) std::printf("  privacy: %s\n", line.c_str());
  for (const auto& line : r.answer.changes) std::printf("  would change: %s\n", line.c_str());
  if (r.simulated) std::printf("%s\n", r.simulated_note.c_str());
  std::printf("report: %s\n", f.output.c_str());
  if (!f.save_dir.empty()) std::printf("results: %s (re-render with: llmux report %s)\n", f.save_dir.c_str(), in_dir(f.save_dir, "compare.json").c_str());
}

Result<void> compare(CompareFlags& f) {
  Settings s;
  LLMUX_TRY_ASSIGN(s, parse_settings(f));
  catalog::Catalog cat;
  LLMUX_TRY_ASSIGN(cat, catalog::load_catalog(catalog_dirs()));
  Run run;
  // Targets: local runtimes (or a simulated one) and cloud models.
  LLMUX_TRY_VOID(resolve_targets(f, cat, run));
  // Plan before benching: the simulated runtime takes its timing from it.
  LLMUX_TRY_VOID(make_plan_step(f, s, cat, run));
  for (auto& t : run.targets)
    if (t.simulated && t.url.empty()) LLMUX_TRY_VOID(start_simulated(cat, f, s, run, t));
  bench_step(s, f, run);
  if (run.sim) run.sim->stop(kNanosPerSecond);
  slo_level_step(cat, run);
  calibrate_step(cat, run);
  // The report, drawn from the same JSON that --save-results keeps.
  auto manifest = make_manifest(f, s, run);
  auto files = result_files(f, manifest, run);
  LLMUX_TRY_VOID(save_results(f, files));
  report::Inputs inputs;
  LLMUX_TRY_ASSIGN(inputs, report::parse_inputs(files));
  report::Report r;
  LLMUX_TRY_ASSIGN(r, report::build_report(inputs, {iso_now(), ""}));
  LLMUX_TRY_VOID(write_file(f.output, report::render(r, s.format)));
  print_summary(f, r);
  return {};
}

}  // namespace

int run_compare(CompareFlags& f) {
  raise_fd_limit();
  auto r = compare(f);
  return r ? 0 : print_error(r.error());
}

}  // namespace llmux::cli
