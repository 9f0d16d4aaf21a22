#pragma once
// What the gateway does with a request: scan every text it carries (messages,
// system prompt, tool arguments and results), count the classes found, take
// the strictest action, and for `redact` produce the redacted texts and the
// map that restores the answer. Nothing here that can be logged holds matched
// text: describe() and to_json() print classes and counts only.
#include <string>
#include <string_view>
#include <vector>

#include "privacy/finding.hpp"
#include "privacy/redactor.hpp"
#include "privacy/scanner.hpp"

namespace llmux::privacy {

struct ClassCount {
  std::string name;
  Action action = Action::allow;
  std::size_t count = 0;
};

struct Decision {
  Action action = Action::allow;               // the strictest action among the classes found
  std::vector<ClassCount> classes;             // found classes, by name
  std::vector<std::vector<Finding>> findings;  // per input text (offsets only)
  // Only when action == redact: each input text with its redact-class findings
  // replaced, and the placeholders' originals (keep with the request; never log).
  std::vector<std::string> redacted;
  RedactionMap redactions;

  bool found(std::string_view class_name) const;
  // Classes whose action is `a` ("secret"): what a block / 503 message names.
  std::vector<std::string> classes_with(Action a) const;
  // "block: email x2, secret x1" or "allow: nothing found".
  std::string describe() const;
  // {"action":"block","classes":[{"name":"secret","action":"block","count":1}]}
  std::string to_json() const;
};

// `read_together`: texts as a reader sees them joined (a message's parts, the
// conversation), only to find placeholder look-alikes split across `texts`: those are
// the user's too, and no placeholder takes their number.
Decision classify(const Scanner& scanner, const std::vector<std::string_view>& texts,
                  const std::vector<std::string>& read_together = {});

}  // namespace llmux::privacy
