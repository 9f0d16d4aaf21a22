#include "privacy/privacy_config.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "core/text.hpp"
#include "privacy/pattern_compiler.hpp"

namespace llmux::privacy {

namespace {

// Every problem found, with the line it is at, so that `llmux config check` lists them all in one
// run, in line order. A reader that finds a problem reports it and carries on with what it can read.
class Problems {
 public:
  explicit Problems(std::string_view file) : file_(file) {}
  void add(const toml::node& at, std::string message) {
    int line = static_cast<int>(at.source().begin.line);
    list_.push_back({line, Error{ErrorCode::config, std::move(message), file_ + ":" + std::to_string(line), 0}});
  }
  std::size_t count() const { return list_.size(); }
  const std::string& file() const { return file_; }
  std::vector<Error> in_line_order() && {
    std::stable_sort(list_.begin(), list_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Error> out;
    for (auto& [line, e] : list_) out.push_back(std::move(e));
    return out;
  }

 private:
  std::string file_;
  std::vector<std::pair<int, Error>> list_;
};

void reject_unknown_keys(const toml::table& tbl, const std::vector<std::string>& known, std::string_view table_name,
                         Problems& problems) {
  for (const auto& [key, node] : tbl) {
    std::string k(key.str());
    if (std::find(known.begin(), known.end(), k) != known.end()) continue;
    problems.add(node, "unknown key '" + k + "' in [" + std::string(table_name) + "]" + did_you_mean(k, known));
  }
}

std::optional<std::string> string_value(const toml::node& node, std::string_view key, Problems& problems) {
  if (auto s = node.as_string()) return s->get();
  problems.add(node, "'" + std::string(key) + "' must be a string");
  return std::nullopt;
}

std::optional<bool> bool_value(const toml::node& node, std::string_view key, Problems& problems) {
  if (auto b = node.as_boolean()) return b->get();
  problems.add(node, "'" + std::string(key) + "' must be true or false");
  return std::nullopt;
}

// One problem per key: a wrong type is the news, not each item that follows from it.
std::optional<std::vector<std::string>> string_list(const toml::node& node, std::string_view key, Problems& problems) {
  const auto* arr = node.as_array();
  bool all_strings = arr && std::all_of(arr->begin(), arr->end(), [](const toml::node& n) { return n.is_string(); });
  if (!all_strings) {
    problems.add(node, "'" + std::string(key) + "' must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *arr) out.push_back(item.as_string()->get());
  return out;
}

std::optional<Action> action_value(const toml::node& node, std::string_view key, Problems& problems) {
  auto s = string_value(node, key, problems);
  if (!s) return std::nullopt;
  auto a = parse_action(*s);
  if (!a) {
    problems.add(node, a.error().message + " (for '" + std::string(key) + "')");
    return std::nullopt;
  }
  return *a;
}

// The detectors that are known, once each; every unknown or repeated one is a problem.
std::optional<std::vector<std::string>> detector_list(const toml::node& node, Problems& problems) {
  auto list = string_list(node, "detectors", problems);
  if (!list) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& name : *list) {
    if (!is_builtin_class(name))
      problems.add(node, "unknown detector '" + name + "'" + did_you_mean(name, builtin_class_names()));
    else if (std::find(out.begin(), out.end(), name) != out.end())
      problems.add(node, "detector '" + name + "' is listed twice");
    else
      out.push_back(name);
  }
  return out;
}

UserPattern read_pattern(const toml::table& tbl, Problems& problems) {
  static const std::vector<std::string> known = {"name", "regex", "keywords", "action", "case_insensitive"};
  reject_unknown_keys(tbl, known, "[privacy.patterns]", problems);
  UserPattern p;
  p.line = static_cast<int>(tbl.source().begin.line);
  if (const auto* n = tbl.get("name")) p.name = string_value(*n, "name", problems).value_or("");
  if (const auto* n = tbl.get("regex")) p.regex = string_value(*n, "regex", problems).value_or("");
  if (const auto* n = tbl.get("keywords")) p.keywords = string_list(*n, "keywords", problems).value_or(std::vector<std::string>{});
  if (const auto* n = tbl.get("action")) p.action = action_value(*n, "action", problems);
  if (const auto* n = tbl.get("case_insensitive")) p.case_insensitive = bool_value(*n, "case_insensitive", problems).value_or(false);
  return p;
}

// What is wrong with a pattern as a whole, each reported at its [[privacy.patterns]] header.
void check_pattern(const UserPattern& p, const toml::table& at, const std::set<std::string>& taken, Problems& problems) {
  const toml::node* name = at.get("name");
  if (!name || (name->is_string() && p.name.empty())) problems.add(at, "a [[privacy.patterns]] entry needs a 'name'");
  if (!p.name.empty() && !valid_class_name(p.name))
    problems.add(at, "pattern name '" + p.name + "' must be lowercase letters, digits and '_', starting with a letter");
  if (!p.name.empty() && (is_builtin_class(p.name) || taken.count(p.name) || p.name == "default"))
    problems.add(at, "pattern name '" + p.name + "' is already taken" +
                         (p.name == "default" ? " ([privacy.actions] default is the action of classes without one)" : ""));
  std::string named = p.name.empty() ? "a pattern" : "pattern '" + p.name + "'";
  // Given: present, and not an empty string or list (one of the wrong type was reported already).
  const toml::node* regex = at.get("regex");
  const toml::node* keywords = at.get("keywords");
  bool has_regex = regex && !(regex->is_string() && p.regex.empty());
  bool has_keywords = keywords && !(keywords->is_array() && keywords->as_array()->empty());
  if (has_regex == has_keywords) problems.add(at, named + " needs exactly one of 'regex' or 'keywords'");
  if (std::any_of(p.keywords.begin(), p.keywords.end(), [](const std::string& k) { return trim(k).empty(); }))
    problems.add(at, named + " has an empty keyword");
}

// A regex vectorscan does not accept, found now with the other problems rather than alone on the
// next run: each sound pattern is compiled by itself (Scanner::compile then builds the one database).
void check_expression(const UserPattern& p, const toml::table& at, Problems& problems) {
  PrivacyConfig alone;
  alone.file = problems.file();
  alone.patterns = {p};
  auto compiled = detail::compile_patterns({}, alone, {0});
  if (!compiled) problems.add(at, compiled.error().message);
}

std::vector<UserPattern> pattern_list(const toml::node& node, Problems& problems) {
  const auto* arr = node.as_array();
  if (!arr) {
    problems.add(node, "'patterns' must be an array of tables ([[privacy.patterns]])");
    return {};
  }
  std::vector<UserPattern> out;
  std::set<std::string> taken;
  for (const auto& item : *arr) {
    const auto* tbl = item.as_table();
    if (!tbl) {
      problems.add(item, "each [[privacy.patterns]] entry must be a table");
      continue;
    }
    std::size_t before = problems.count();
    auto p = read_pattern(*tbl, problems);
    check_pattern(p, *tbl, taken, problems);
    if (problems.count() == before) check_expression(p, *tbl, problems);
    if (!p.name.empty()) taken.insert(p.name);
    out.push_back(std::move(p));
  }
  return out;
}

// [privacy.actions]: one key per known class, plus "default". `detectors_read` is false when the
// detectors list had a problem: an action for a detector missing from it then says nothing new.
void read_actions(const toml::node& node, PrivacyConfig& cfg, bool detectors_read, Problems& problems) {
  const auto* tbl = node.as_table();
  if (!tbl) {
    problems.add(node, "'actions' must be a table ([privacy.actions])");
    return;
  }
  std::vector<std::string> known = cfg.detectors;
  for (const auto& p : cfg.patterns) known.push_back(p.name);
  for (const auto& [key, value] : *tbl) {
    std::string k(key.str());
    auto a = action_value(value, k, problems);
    if (k == "default") {
      if (a) cfg.default_action = *a;
      continue;
    }
    bool is_known = std::find(known.begin(), known.end(), k) != known.end();
    if (is_builtin_class(k) && !is_known) {
      if (detectors_read)
        problems.add(value, "action for '" + k + "', but detector '" + k + "' is not enabled; add it to detectors");
      continue;
    }
    if (!is_known) {
      std::vector<std::string> names = known;
      names.push_back("default");
      problems.add(value, "action for unknown class '" + k + "'" + did_you_mean(k, names));
      continue;
    }
    if (!a) continue;
    auto own = std::find_if(cfg.patterns.begin(), cfg.patterns.end(), [&](const UserPattern& p) { return p.name == k; });
    if (own != cfg.patterns.end() && own->action && *own->action != *a) {
      problems.add(value, "class '" + k + "' has an action in its pattern and a different one here");
      continue;
    }
    cfg.actions[k] = *a;
  }
}

}  // namespace

tl::expected<PrivacyConfig, std::vector<Error>> read_privacy_config(const toml::table& privacy_table,
                                                                    std::string_view file) {
  static const std::vector<std::string> known = {"enabled", "detectors", "actions", "restore", "patterns"};
  Problems problems(file);
  reject_unknown_keys(privacy_table, known, "privacy", problems);
  PrivacyConfig cfg;
  cfg.file = std::string(file);
  if (const auto* n = privacy_table.get("enabled")) cfg.enabled = bool_value(*n, "enabled", problems).value_or(cfg.enabled);
  if (const auto* n = privacy_table.get("restore")) cfg.restore = bool_value(*n, "restore", problems).value_or(cfg.restore);
  // Detectors and patterns first: [privacy.actions] may name any of them.
  bool detectors_read = true;
  if (const auto* n = privacy_table.get("detectors")) {
    std::size_t before = problems.count();
    if (auto v = detector_list(*n, problems)) cfg.detectors = std::move(*v);
    detectors_read = problems.count() == before;
  }
  if (const auto* n = privacy_table.get("patterns")) cfg.patterns = pattern_list(*n, problems);
  if (const auto* n = privacy_table.get("actions")) read_actions(*n, cfg, detectors_read, problems);
  if (problems.count() > 0) return tl::unexpected(std::move(problems).in_line_order());
  return cfg;
}

Result<PrivacyConfig> parse_privacy_config(const toml::table& privacy_table, std::string_view file) {
  auto cfg = read_privacy_config(privacy_table, file);
  if (!cfg) return tl::unexpected(cfg.error().front());
  return std::move(*cfg);
}

}  // namespace llmux::privacy
