#pragma once
// What a team says about its data: which classes exist (built-in detectors and
// its own patterns) and what happens to a request that carries each one. A plain
// struct, parsed once from [privacy] (privacy_config.hpp) and trusted afterwards.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace llmux::privacy {

// Ordered from least to most strict; the strictest action among the classes a
// request carries wins.
enum class Action { allow, redact, local_only, block };

std::string_view to_string(Action action);
// "allow", "redact", "local-only" (or "local_only"), "block".
Result<Action> parse_action(std::string_view text);
// Strictness order: block > local_only > redact > allow.
inline bool stricter(Action a, Action b) { return static_cast<int>(a) > static_cast<int>(b); }
inline Action strictest(Action a, Action b) { return stricter(a, b) ? a : b; }

// The built-in detectors, in the order they are documented.
const std::vector<std::string>& builtin_class_names();
bool is_builtin_class(std::string_view name);

// A team's own class: a regex or a keyword list.
struct UserPattern {
  std::string name;                   // class name, [a-z][a-z0-9_]*
  std::string regex;                  // exactly one of regex / keywords is set
  std::vector<std::string> keywords;  // matched as whole words where they start/end with one
  std::optional<Action> action;       // else [privacy.actions] or the default
  bool case_insensitive = false;
  int line = 0;  // where it was declared, for errors
};

struct PrivacyConfig {
  bool enabled = true;
  std::string file;  // for error context
  std::vector<std::string> detectors = builtin_class_names();
  std::map<std::string, Action, std::less<>> actions;  // per class
  Action default_action = Action::allow;
  bool restore = true;  // put redacted values back into responses
  std::vector<UserPattern> patterns;

  // The action for a class: its pattern's own, then [privacy.actions], then the default.
  Action action_for(std::string_view class_name) const;
  // "file:line" for messages about a pattern.
  std::string where(int line) const;
};

// Class names become placeholder stems and table keys.
bool valid_class_name(std::string_view name);

}  // namespace llmux::privacy
