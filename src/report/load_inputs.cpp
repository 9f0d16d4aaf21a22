// Which result files a report is drawn from: each file's "tool" field says what
// it is; a compare manifest brings along the plan and bench files it names.
// Then the files are checked against each other, so results that cannot be
// shown side by side are named with what is wrong instead of drawn.
#include <filesystem>
#include <fstream>
#include <set>

#include "catalog/try.hpp"
#include "report/inputs.hpp"
#include "report/json_fields.hpp"

namespace llmux::report {

namespace {

constexpr std::size_t kMaxFileBytes = 256u << 20;

Result<std::string> read_text(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return fail(ErrorCode::io, "no such result file", path);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail(ErrorCode::io, "cannot read the result file", path);
  auto size = static_cast<std::size_t>(in.tellg());
  if (size > kMaxFileBytes) return fail(ErrorCode::limit, "result file is larger than 256 MiB", path);
  in.seekg(0);
  std::string s(size, '\0');
  in.read(s.data(), static_cast<std::streamsize>(size));
  return s;
}

Result<std::string> tool_of(const std::string& path, const std::string& text) {
  nlohmann::json doc;
  LLMUX_TRY_ASSIGN(doc, detail::parse_document(path, text));
  if (!doc.is_object() || !doc.contains("tool") || !doc["tool"].is_string())
    return fail(ErrorCode::parse, "not an llmux result: no \"tool\" field (expected llmux bench, plan or compare output)", path);
  return doc["tool"].get<std::string>();
}

Result<void> add_file(const InputText& f, Inputs& in) {
  std::string tool;
  LLMUX_TRY_ASSIGN(tool, tool_of(f.path, f.text));
  if (tool == "llmux bench") {
    BenchInput b;
    LLMUX_TRY_ASSIGN(b, parse_bench(f.path, f.text));
    in.benches.push_back(std::move(b));
  } else if (tool == "llmux plan") {
    if (in.plan) return fail(ErrorCode::usage, "two plan results given (" + in.plan->path + " and " + f.path + "); a report describes one plan", "give one of them");
    LLMUX_TRY_ASSIGN(in.plan, parse_plan(f.path, f.text));
  } else if (tool == "llmux compare") {
    if (in.manifest) return fail(ErrorCode::usage, "two compare manifests given (" + in.manifest->path + " and " + f.path + ")", "give one of them");
    LLMUX_TRY_ASSIGN(in.manifest, parse_manifest(f.path, f.text));
  } else {
    return fail(ErrorCode::parse, "\"" + tool + "\" results cannot be drawn; give llmux bench, plan or compare results", f.path);
  }
  return {};
}

std::string sibling(const std::string& manifest_path, const std::string& name) {
  return (std::filesystem::path(manifest_path).parent_path() / name).string();
}

std::string canonical(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

// The plan and bench files a manifest names that were not given on the command line.
std::vector<std::string> manifest_files(const CompareManifest& m, const std::set<std::string>& given) {
  std::vector<std::string> out;
  auto want = [&](const std::string& name) {
    if (name.empty()) return;
    std::string path = sibling(m.path, name);
    if (!given.count(canonical(path))) out.push_back(path);
  };
  want(m.plan_file);
  for (const auto& t : m.targets) want(t.bench_file);
  return out;
}

}  // namespace

Result<Inputs> parse_inputs(const std::vector<InputText>& files) {
  if (files.empty()) return fail(ErrorCode::usage, "no result files given", "pass llmux bench, plan or compare JSON results");
  Inputs in;
  for (const auto& f : files) LLMUX_TRY_VOID(add_file(f, in));
  LLMUX_TRY_VOID(check_consistency(in));
  return in;
}

Result<Inputs> load_inputs(const std::vector<std::string>& paths) {
  std::vector<InputText> files;
  std::set<std::string> given;
  for (const auto& p : paths) {
    if (!given.insert(canonical(p)).second) continue;
    std::string text;
    LLMUX_TRY_ASSIGN(text, read_text(p));
    files.push_back({p, std::move(text)});
  }
  std::vector<std::string> extra;
  for (const auto& f : files) {
    auto tool = tool_of(f.path, f.text);
    if (!tool || *tool != "llmux compare") continue;
    CompareManifest m;
    LLMUX_TRY_ASSIGN(m, parse_manifest(f.path, f.text));
    for (auto& p : manifest_files(m, given)) extra.push_back(p);
  }
  for (const auto& p : extra) {
    if (!given.insert(canonical(p)).second) continue;
    auto text = read_text(p);
    if (!text) return fail(ErrorCode::io, "the compare manifest names " + p + ", which cannot be read", "keep the files --save-results wrote together");
    files.push_back({p, std::move(*text)});
  }
  return parse_inputs(files);
}

Result<void> check_consistency(const Inputs& in) {
  if (in.benches.empty() && !in.plan)
    return fail(ErrorCode::usage, "nothing to report: no bench or plan result among the files", "pass llmux bench -o or llmux plan --format json results");
  for (std::size_t i = 1; i < in.benches.size(); ++i) {
    const auto &a = in.benches.front(), &b = in.benches[i];
    if (workload_key(a) != workload_key(b))
      return fail(ErrorCode::usage, "bench results use different workloads: " + workload_key(a) + " (" + a.path + ") vs " +
                                        workload_key(b) + " (" + b.path + ")",
                  "compare results measured with the same --input-tokens and --output-tokens");
  }
  if (!in.plan) return {};
  const auto& w = in.plan->workload;
  std::string planned = "in=" + std::to_string(w.input_tokens) + "/out=" + std::to_string(w.output_tokens);
  for (const auto& b : in.benches)
    if (b.input_tokens && b.output_tokens && workload_key(b) != planned)
      return fail(ErrorCode::usage, "the plan (" + in.plan->path + ") is for " + planned + " but " + b.path + " measured " + workload_key(b),
                  "run plan with --workload in=" + std::to_string(*b.input_tokens) + ",out=" + std::to_string(*b.output_tokens) +
                      " or bench with the plan's lengths");
  return {};
}

}  // namespace llmux::report
