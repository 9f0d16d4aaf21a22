#pragma once
// Privacy for one chat request: every piece of text it carries (system prompt,
// messages, tool-call arguments, tool results, legacy prompt) is scanned in one
// pass per text; the verdict is the strictest action among the classes found.
// A redacted copy replaces values with placeholders for cloud deployments.
#include <string>
#include <vector>

#include "api/types.hpp"
#include "privacy/decision.hpp"

namespace llmux::gateway {

struct PrivacyVerdict {
  privacy::Decision decision;
  bool block() const { return decision.action == privacy::Action::block; }
  bool local_only() const { return decision.action == privacy::Action::local_only; }
  bool redact() const { return decision.action == privacy::Action::redact; }
  // "credit_card x1, email x2": for messages and the ledger (never matched text).
  std::string classes() const;
};

PrivacyVerdict classify_request(const privacy::Scanner& scanner, const api::ChatRequest& request);
// The request with each redact-class value replaced by its placeholder.
api::ChatRequest redacted_copy(const api::ChatRequest& request, const privacy::Decision& decision);

}  // namespace llmux::gateway
