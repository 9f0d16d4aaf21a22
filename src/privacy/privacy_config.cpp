#include "privacy/privacy_config.hpp"

#include <algorithm>
#include <set>

#include "core/text.hpp"

namespace llmux::privacy {

namespace {

// Where a node was declared: "file:line".
struct Where {
  std::string_view file;
  std::string operator()(const toml::node& node) const {
    return std::string(file) + ":" + std::to_string(node.source().begin.line);
  }
};

Result<void> reject_unknown_keys(const toml::table& tbl, const std::vector<std::string>& known,
                                 std::string_view table_name, const Where& where) {
  for (const auto& [key, node] : tbl) {
    std::string k(key.str());
    if (std::find(known.begin(), known.end(), k) != known.end()) continue;
    return fail(ErrorCode::config,
                "unknown key '" + k + "' in [" + std::string(table_name) + "]" + did_you_mean(k, known),
                where(node));
  }
  return {};
}

Result<std::string> string_value(const toml::node& node, std::string_view key, const Where& where) {
  if (auto s = node.as_string()) return s->get();
  return fail(ErrorCode::config, "'" + std::string(key) + "' must be a string", where(node));
}

Result<bool> bool_value(const toml::node& node, std::string_view key, const Where& where) {
  if (auto b = node.as_boolean()) return b->get();
  return fail(ErrorCode::config, "'" + std::string(key) + "' must be true or false", where(node));
}

Result<std::vector<std::string>> string_list(const toml::node& node, std::string_view key,
                                             const Where& where) {
  const auto* arr = node.as_array();
  if (!arr)
    return fail(ErrorCode::config, "'" + std::string(key) + "' must be an array of strings", where(node));
  std::vector<std::string> out;
  for (const auto& item : *arr) {
    auto s = string_value(item, key, where);
    if (!s) return tl::unexpected(s.error());
    out.push_back(std::move(*s));
  }
  return out;
}

Result<Action> action_value(const toml::node& node, std::string_view key, const Where& where) {
  auto s = string_value(node, key, where);
  if (!s) return tl::unexpected(s.error());
  auto a = parse_action(*s);
  if (!a)
    return fail(ErrorCode::config, a.error().message + " (for '" + std::string(key) + "')", where(node));
  return *a;
}

Result<std::vector<std::string>> detector_list(const toml::node& node, const Where& where) {
  auto list = string_list(node, "detectors", where);
  if (!list) return list;
  std::set<std::string> seen;
  for (const auto& name : *list) {
    if (!is_builtin_class(name)) {
      return fail(ErrorCode::config,
                  "unknown detector '" + name + "'" + did_you_mean(name, builtin_class_names()), where(node));
    }
    if (!seen.insert(name).second) {
      return fail(ErrorCode::config, "detector '" + name + "' is listed twice", where(node));
    }
  }
  return list;
}

Result<UserPattern> read_pattern(const toml::table& tbl, const Where& where) {
  static const std::vector<std::string> known = {"name", "regex", "keywords", "action", "case_insensitive"};
  if (auto ok = reject_unknown_keys(tbl, known, "[privacy.patterns]", where); !ok)
    return tl::unexpected(ok.error());
  UserPattern p;
  p.line = static_cast<int>(tbl.source().begin.line);
  for (const auto& [key, node] : tbl) {
    std::string_view k = key.str();
    if (k == "name") {
      auto v = string_value(node, k, where);
      if (!v) return tl::unexpected(v.error());
      p.name = *v;
    } else if (k == "regex") {
      auto v = string_value(node, k, where);
      if (!v) return tl::unexpected(v.error());
      p.regex = *v;
    } else if (k == "keywords") {
      auto v = string_list(node, k, where);
      if (!v) return tl::unexpected(v.error());
      p.keywords = *v;
    } else if (k == "action") {
      auto v = action_value(node, k, where);
      if (!v) return tl::unexpected(v.error());
      p.action = *v;
    } else if (k == "case_insensitive") {
      auto v = bool_value(node, k, where);
      if (!v) return tl::unexpected(v.error());
      p.case_insensitive = *v;
    }
  }
  return p;
}

Result<void> check_pattern(const UserPattern& p, const std::set<std::string>& taken, const std::string& at) {
  if (p.name.empty()) return fail(ErrorCode::config, "a [[privacy.patterns]] entry needs a 'name'", at);
  if (!valid_class_name(p.name)) {
    return fail(
        ErrorCode::config,
        "pattern name '" + p.name + "' must be lowercase letters, digits and '_', starting with a letter",
        at);
  }
  if (is_builtin_class(p.name) || taken.count(p.name)) {
    return fail(ErrorCode::config, "pattern name '" + p.name + "' is already taken", at);
  }
  if (p.regex.empty() == p.keywords.empty()) {
    return fail(ErrorCode::config, "pattern '" + p.name + "' needs exactly one of 'regex' or 'keywords'", at);
  }
  for (const auto& k : p.keywords) {
    if (trim(k).empty()) return fail(ErrorCode::config, "pattern '" + p.name + "' has an empty keyword", at);
  }
  return {};
}

Result<std::vector<UserPattern>> pattern_list(const toml::node& node, const Where& where) {
  const auto* arr = node.as_array();
  if (!arr)
    return fail(ErrorCode::config, "'patterns' must be an array of tables ([[privacy.patterns]])",
                where(node));
  std::vector<UserPattern> out;
  std::set<std::string> taken;
  for (const auto& item : *arr) {
    const auto* tbl = item.as_table();
    if (!tbl) return fail(ErrorCode::config, "each [[privacy.patterns]] entry must be a table", where(item));
    auto p = read_pattern(*tbl, where);
    if (!p) return tl::unexpected(p.error());
    if (auto ok = check_pattern(*p, taken, where(*tbl)); !ok) return tl::unexpected(ok.error());
    taken.insert(p->name);
    out.push_back(std::move(*p));
  }
  return out;
}

// [privacy.actions]: one key per known class, plus "default".
Result<void> read_actions(const toml::node& node, PrivacyConfig& cfg, const Where& where) {
  const auto* tbl = node.as_table();
  if (!tbl) return fail(ErrorCode::config, "'actions' must be a table ([privacy.actions])", where(node));
  std::vector<std::string> known = cfg.detectors;
  for (const auto& p : cfg.patterns) known.push_back(p.name);
  for (const auto& [key, value] : *tbl) {
    std::string k(key.str());
    auto a = action_value(value, k, where);
    if (!a) return tl::unexpected(a.error());
    if (k == "default") {
      cfg.default_action = *a;
      continue;
    }
    if (is_builtin_class(k) && std::find(known.begin(), known.end(), k) == known.end()) {
      return fail(ErrorCode::config,
                  "action for '" + k + "', but detector '" + k + "' is not enabled; add it to detectors",
                  where(value));
    }
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      known.push_back("default");
      return fail(ErrorCode::config, "action for unknown class '" + k + "'" + did_you_mean(k, known),
                  where(value));
    }
    auto own = std::find_if(cfg.patterns.begin(), cfg.patterns.end(),
                            [&](const UserPattern& p) { return p.name == k; });
    if (own != cfg.patterns.end() && own->action && *own->action != *a) {
      return fail(ErrorCode::config,
                  "class '" + k + "' has an action in its pattern and a different one here", where(value));
    }
    cfg.actions[k] = *a;
  }
  return {};
}

}  // namespace

Result<PrivacyConfig> parse_privacy_config(const toml::table& privacy_table, std::string_view file) {
  static const std::vector<std::string> known = {"enabled", "detectors", "actions", "restore", "patterns"};
  Where where{file};
  if (auto ok = reject_unknown_keys(privacy_table, known, "privacy", where); !ok)
    return tl::unexpected(ok.error());
  PrivacyConfig cfg;
  cfg.file = std::string(file);
  // Detectors and patterns first: [privacy.actions] may name any of them.
  if (const auto* n = privacy_table.get("enabled")) {
    auto v = bool_value(*n, "enabled", where);
    if (!v) return tl::unexpected(v.error());
    cfg.enabled = *v;
  }
  if (const auto* n = privacy_table.get("restore")) {
    auto v = bool_value(*n, "restore", where);
    if (!v) return tl::unexpected(v.error());
    cfg.restore = *v;
  }
  if (const auto* n = privacy_table.get("detectors")) {
    auto v = detector_list(*n, where);
    if (!v) return tl::unexpected(v.error());
    cfg.detectors = std::move(*v);
  }
  if (const auto* n = privacy_table.get("patterns")) {
    auto v = pattern_list(*n, where);
    if (!v) return tl::unexpected(v.error());
    cfg.patterns = std::move(*v);
  }
  if (const auto* n = privacy_table.get("actions")) {
    if (auto ok = read_actions(*n, cfg, where); !ok) return tl::unexpected(ok.error());
  }
  return cfg;
}

}  // namespace llmux::privacy
