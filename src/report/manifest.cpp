// The manifest `llmux compare` writes beside its bench and plan results
// (compare.json): which targets were compared, which are local or cloud, which
// were measured, and why the others were not. schema_version 1, docs/report.md.
#include "catalog/try.hpp"
#include "report/inputs.hpp"
#include "report/json_fields.hpp"

namespace llmux::report {

namespace {

using namespace detail;
using ojson = nlohmann::ordered_json;

ojson target_json(const ManifestTarget& t) {
  return {{"name", t.name},         {"kind", t.kind},         {"url", t.url},
          {"model", t.model},       {"dialect", t.dialect},   {"provider", t.provider},
          {"price_id", t.price_id}, {"simulated", t.simulated}, {"status", t.status},
          {"reason", t.reason},     {"error", t.error},       {"bench_file", t.bench_file}};
}

Result<ManifestTarget> read_target(const json& o, const Where& w) {
  ManifestTarget t;
  LLMUX_TRY_ASSIGN(t.name, need_string(o, "name", w));
  LLMUX_TRY_ASSIGN(t.kind, need_string(o, "kind", w));
  if (t.kind != "local" && t.kind != "cloud") return tl::unexpected(w.at("kind").error("'" + t.kind + "' is neither local nor cloud"));
  LLMUX_TRY_ASSIGN(t.url, opt_string(o, "url", w));
  LLMUX_TRY_ASSIGN(t.model, opt_string(o, "model", w));
  LLMUX_TRY_ASSIGN(t.dialect, opt_string(o, "dialect", w));
  LLMUX_TRY_ASSIGN(t.provider, opt_string(o, "provider", w));
  LLMUX_TRY_ASSIGN(t.price_id, opt_string(o, "price_id", w));
  LLMUX_TRY_ASSIGN(t.simulated, opt_bool(o, "simulated", w, false));
  LLMUX_TRY_ASSIGN(t.status, need_string(o, "status", w));
  if (t.status != "measured" && t.status != "not measured" && t.status != "failed")
    return tl::unexpected(w.at("status").error("'" + t.status + "' is not measured, not measured or failed"));
  LLMUX_TRY_ASSIGN(t.reason, opt_string(o, "reason", w));
  LLMUX_TRY_ASSIGN(t.error, opt_string(o, "error", w));
  LLMUX_TRY_ASSIGN(t.bench_file, opt_string(o, "bench_file", w));
  return t;
}

Result<void> read_privacy(const json& doc, const Where& w, CompareManifest& m) {
  auto it = doc.find("privacy");
  if (it == doc.end() || it->is_null()) return {};
  if (!it->is_object()) return tl::unexpected(w.at("privacy").error("expected an object"));
  LLMUX_TRY_ASSIGN(m.privacy, opt_string(*it, "mode", w.at("privacy"), "any"));
  LLMUX_TRY_ASSIGN(m.local_only_classes, opt_strings(*it, "local_only_classes", w.at("privacy")));
  return {};
}

}  // namespace

std::string to_json(const CompareManifest& m) {
  ojson targets = ojson::array();
  for (const auto& t : m.targets) targets.push_back(target_json(t));
  ojson o;
  o["schema_version"] = kManifestSchemaVersion;
  o["tool"] = "llmux compare";
  o["tool_version"] = m.tool_version;
  o["started_at"] = m.started_at;
  o["command"] = m.command;
  o["privacy"] = {{"mode", m.privacy}, {"local_only_classes", m.local_only_classes}};
  o["slos"] = m.slos;
  o["simulated"] = m.simulated;
  o["simulated_note"] = m.simulated_note;
  o["hardware"] = m.hardware;
  o["plan_file"] = m.plan_file;
  o["targets"] = targets;
  o["commands"] = m.commands;
  o["notes"] = m.notes;
  return o.dump(2) + "\n";
}

Result<CompareManifest> parse_manifest(const std::string& path, const std::string& text) {
  json doc;
  LLMUX_TRY_ASSIGN(doc, parse_document(path, text));
  LLMUX_TRY_VOID(check_schema(doc, path, "llmux compare", kManifestSchemaVersion));
  CompareManifest m;
  m.path = path;
  Where w{&path, ""};
  LLMUX_TRY_ASSIGN(m.tool_version, opt_string(doc, "tool_version", w));
  LLMUX_TRY_ASSIGN(m.started_at, opt_string(doc, "started_at", w));
  LLMUX_TRY_ASSIGN(m.command, opt_string(doc, "command", w));
  LLMUX_TRY_VOID(read_privacy(doc, w, m));
  LLMUX_TRY_ASSIGN(m.slos, opt_strings(doc, "slos", w));
  LLMUX_TRY_ASSIGN(m.simulated, opt_bool(doc, "simulated", w, false));
  LLMUX_TRY_ASSIGN(m.simulated_note, opt_string(doc, "simulated_note", w));
  LLMUX_TRY_ASSIGN(m.hardware, opt_string(doc, "hardware", w));
  LLMUX_TRY_ASSIGN(m.plan_file, opt_string(doc, "plan_file", w));
  LLMUX_TRY_ASSIGN(m.commands, opt_strings(doc, "commands", w));
  LLMUX_TRY_ASSIGN(m.notes, opt_strings(doc, "notes", w));
  const json* targets = nullptr;
  LLMUX_TRY_ASSIGN(targets, need(doc, "targets", w, json::value_t::array));
  for (std::size_t i = 0; i < targets->size(); ++i) {
    ManifestTarget t;
    LLMUX_TRY_ASSIGN(t, read_target((*targets)[i], w.at("targets").at(i)));
    m.targets.push_back(std::move(t));
  }
  return m;
}

}  // namespace llmux::report
