#pragma once
// Redaction with placeholders that stay consistent within one request: the
// same value gets the same placeholder in every text of the request
// ("<EMAIL_1>", "<CREDIT_CARD_2>"), so the model can still refer to it, and the
// answer can be restored (restorer.hpp). A RedactionMap holds original values:
// keep it with the request, never log it.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "privacy/finding.hpp"

namespace llmux::privacy {

class RedactionMap {
 public:
  // The placeholder for `value` of class `class_name`, made on first sight:
  // "<" + upper-cased class + "_" + n + ">".
  // A number is skipped when "<CLASS_n>" is already taken (see avoid_collisions).
  const std::string& placeholder(std::string_view class_name, std::string_view value);
  // Records every placeholder look-alike ("<EMAIL_1>") that `text` already
  // holds, so that no placeholder made later equals it: the upstream must not
  // see a user's literal "<EMAIL_1>" next to ours, and restoring must not
  // rewrite the user's own text. Call for every text of the request first.
  void avoid_collisions(std::string_view text);
  // The value a placeholder stands for, if this map made it.
  std::optional<std::string_view> original(std::string_view placeholder) const;

  std::size_t size() const { return originals_.size(); }
  bool empty() const { return originals_.empty(); }
  // placeholder -> original, ordered by placeholder.
  const std::map<std::string, std::string, std::less<>>& entries() const { return originals_; }

 private:
  std::map<std::string, std::string, std::less<>> placeholders_;  // class + '\0' + value -> placeholder
  std::map<std::string, std::string, std::less<>> originals_;     // placeholder -> value
  std::map<std::string, int, std::less<>> counters_;              // class -> last number used
  std::set<std::string, std::less<>> taken_;                      // look-alikes already in the request
};

// `text` with every finding whose action is `redact` replaced by its
// placeholder. Overlapping findings are replaced together, under the class of
// the longest one. `findings` are those Scanner::scan returned for `text`.
std::string redact(std::string_view text, const std::vector<Finding>& findings, RedactionMap& map);

}  // namespace llmux::privacy
