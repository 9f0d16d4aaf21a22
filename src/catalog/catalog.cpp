// Loading the catalog directories and looking entries up by id or alias.
#include "catalog/catalog.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "catalog/toml_records.hpp"
#include "catalog/try.hpp"
#include "core/text.hpp"

namespace llmux::catalog {

namespace fs = std::filesystem;

namespace {

template <class Spec>
bool matches(const Spec& s, const std::string& id) {
  if (equals_icase(s.id, id)) return true;
  return std::any_of(s.aliases.begin(), s.aliases.end(), [&](const std::string& a) { return equals_icase(a, id); });
}

template <class Spec>
Result<const Spec*> find_by_id(const std::vector<Spec>& items, const std::string& id, const char* what,
                               const char* list_cmd) {
  for (const auto& s : items)
    if (matches(s, id)) return &s;
  std::vector<std::string> names;
  for (const auto& s : items) names.push_back(s.id);
  std::string msg = std::string("unknown ") + what + " '" + id + "'" + did_you_mean(id, names);
  return fail(ErrorCode::not_found, msg, std::string("see `") + list_cmd + "`");
}

// Adds or replaces (same id) an entry: later catalog directories override earlier ones.
template <class Spec>
void upsert(std::vector<Spec>& items, Spec s) {
  for (auto& existing : items) {
    if (existing.id == s.id) {
      existing = std::move(s);
      return;
    }
  }
  items.push_back(std::move(s));
}

std::vector<std::string> toml_files(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

Result<void> add_record(Catalog& c, const Record& r, const std::string& expected) {
  if (r.table != expected && !(expected == "calibration" && (r.table == "measurement" || r.table == "prior")))
    return fail(ErrorCode::config, "[[" + r.table + "]] does not belong in this file (expected [[" + expected + "]])",
                r.where());
  if (r.table == "model") {
    ModelSpec m;
    LLMUX_TRY_ASSIGN(m, model_from_record(r));
    upsert(c.models, std::move(m));
  } else if (r.table == "device") {
    DeviceSpec d;
    LLMUX_TRY_ASSIGN(d, device_from_record(r));
    upsert(c.devices, std::move(d));
  } else if (r.table == "price") {
    CloudPrice p;
    LLMUX_TRY_ASSIGN(p, price_from_record(r));
    upsert(c.prices, std::move(p));
  } else if (r.table == "measurement") {
    Measurement m;
    LLMUX_TRY_ASSIGN(m, measurement_from_record(r));
    c.calibration.measurements.push_back(std::move(m));
  } else {
    EfficiencyPrior p;
    LLMUX_TRY_ASSIGN(p, prior_from_record(r));
    c.calibration.priors.push_back(std::move(p));
  }
  return {};
}

Result<void> load_file(Catalog& c, const std::string& path, const std::string& expected) {
  std::vector<Record> records;
  LLMUX_TRY_ASSIGN(records, read_toml_records(path));
  for (const auto& r : records) LLMUX_TRY_VOID(add_record(c, r, expected));
  c.files.push_back(path);
  return {};
}

Result<void> load_dir(Catalog& c, const fs::path& dir) {
  const std::pair<const char*, const char*> parts[] = {{"models", "model"}, {"devices", "device"}, {"prices", "price"}};
  for (const auto& [sub, table] : parts)
    for (const auto& f : toml_files(dir / sub)) LLMUX_TRY_VOID(load_file(c, f, table));
  std::error_code ec;
  if (fs::exists(dir / "calibration.toml", ec)) LLMUX_TRY_VOID(load_file(c, (dir / "calibration.toml").string(), "calibration"));
  return {};
}

template <class Spec>
Result<void> unique_ids(const std::vector<Spec>& items, const char* what) {
  std::set<std::string> seen;
  for (const auto& s : items) {
    for (const auto& name : [&] { auto v = s.aliases; v.push_back(s.id); return v; }()) {
      if (!seen.insert(to_lower(name)).second)
        return fail(ErrorCode::config, std::string(what) + " id or alias '" + name + "' is used twice", s.source);
    }
  }
  return {};
}

}  // namespace

Result<const ModelSpec*> Catalog::model(const std::string& id) const {
  return find_by_id(models, id, "model", "llmux catalog list models");
}
Result<const DeviceSpec*> Catalog::device(const std::string& id) const {
  return find_by_id(devices, id, "GPU or device", "llmux catalog list devices");
}
Result<const CloudPrice*> Catalog::price(const std::string& id) const {
  return find_by_id(prices, id, "cloud model", "llmux catalog list prices");
}

std::vector<std::string> Catalog::model_ids() const {
  std::vector<std::string> v;
  for (const auto& m : models) v.push_back(m.id);
  return v;
}
std::vector<std::string> Catalog::device_ids() const {
  std::vector<std::string> v;
  for (const auto& d : devices) v.push_back(d.id);
  return v;
}
std::vector<std::string> Catalog::price_ids() const {
  std::vector<std::string> v;
  for (const auto& p : prices) v.push_back(p.id);
  return v;
}

Result<Catalog> load_catalog(const std::vector<std::string>& dirs) {
  Catalog c;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    std::error_code ec;
    if (!fs::is_directory(dirs[i], ec)) {
      if (i == 0)
        return fail(ErrorCode::io, "catalog directory not found: " + dirs[i],
                    "set LLMUX_DATA_DIR to the directory holding models/, devices/ and prices/");
      continue;
    }
    LLMUX_TRY_VOID(load_dir(c, dirs[i]));
  }
  if (c.models.empty() || c.devices.empty())
    return fail(ErrorCode::config, "catalog in " + (dirs.empty() ? std::string("?") : dirs[0]) +
                                       " has no models or no devices",
                "set LLMUX_DATA_DIR to the directory holding models/, devices/ and prices/");
  LLMUX_TRY_VOID(validate_catalog(c));
  return c;
}

Result<void> validate_catalog(const Catalog& c) {
  LLMUX_TRY_VOID(unique_ids(c.models, "model"));
  LLMUX_TRY_VOID(unique_ids(c.devices, "device"));
  LLMUX_TRY_VOID(unique_ids(c.prices, "price"));
  for (const auto& m : c.calibration.measurements) {
    if (!c.model(m.model)) return fail(ErrorCode::config, "measurement '" + m.id + "' names unknown model '" + m.model + "'", m.source);
    if (!c.device(m.device)) return fail(ErrorCode::config, "measurement '" + m.id + "' names unknown device '" + m.device + "'", m.source);
  }
  for (const auto& p : c.prices) {
    if (!p.open_model.empty() && !c.model(p.open_model))
      return fail(ErrorCode::config, "price '" + p.id + "' names unknown open_model '" + p.open_model + "'", p.source);
  }
  return {};
}

}  // namespace llmux::catalog
