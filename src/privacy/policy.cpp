#include "privacy/policy.hpp"

#include <algorithm>

namespace llmux::privacy {

std::string_view to_string(Action action) {
  switch (action) {
    case Action::allow:
      return "allow";
    case Action::redact:
      return "redact";
    case Action::local_only:
      return "local-only";
    case Action::block:
      return "block";
  }
  return "block";
}

Result<Action> parse_action(std::string_view text) {
  if (text == "allow") return Action::allow;
  if (text == "redact") return Action::redact;
  if (text == "local-only" || text == "local_only") return Action::local_only;
  if (text == "block") return Action::block;
  return fail(ErrorCode::config,
              "unknown privacy action '" + std::string(text) + "'; use allow, redact, local-only or block");
}

const std::vector<std::string>& builtin_class_names() {
  static const std::vector<std::string> names = {"email",  "phone",      "credit_card", "iban",
                                                 "us_ssn", "ip_address", "secret"};
  return names;
}

bool is_builtin_class(std::string_view name) {
  const auto& names = builtin_class_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

Action PrivacyConfig::action_for(std::string_view class_name) const {
  for (const auto& p : patterns) {
    if (p.name == class_name && p.action) return *p.action;
  }
  auto it = actions.find(class_name);
  return it != actions.end() ? it->second : default_action;
}

std::string PrivacyConfig::where(int line) const {
  if (line <= 0) return file;
  return (file.empty() ? std::string("<config>") : file) + ":" + std::to_string(line);
}

bool valid_class_name(std::string_view name) {
  if (name.empty() || name.size() > 48 || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace llmux::privacy
