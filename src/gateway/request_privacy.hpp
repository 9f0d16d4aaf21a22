#pragma once
// Privacy for one request: every string it carries upstream is scanned (messages,
// system prompt, tool calls and results, legacy prompt, and also names, tool
// definitions, stop sequences, image URLs, raw content blocks and the fields llmux
// passes through without knowing them, string by string with JSON decoded); the
// verdict is the strictest action among the classes found. A redacted copy replaces
// values with placeholders for cloud deployments.
#include <string>
#include <vector>

#include "api/types.hpp"
#include "core/error.hpp"
#include "privacy/decision.hpp"

namespace llmux::gateway {

struct PrivacyVerdict {
  privacy::Decision decision;
  bool block() const { return decision.action == privacy::Action::block; }
  bool local_only() const { return decision.action == privacy::Action::local_only; }
  bool redact() const { return decision.action == privacy::Action::redact; }
  // "credit_card x1, email x2": for messages and the ledger (never matched text).
  std::string classes() const;
  // The 403's message when the verdict is block.
  std::string blocked_message() const { return "request blocked by privacy policy: it contains " + classes(); }
};

PrivacyVerdict classify_request(const privacy::Scanner& scanner, const api::ChatRequest& request);
// The request with each redact-class value replaced by its placeholder.
api::ChatRequest redacted_copy(const api::ChatRequest& request, const privacy::Decision& decision);

// The same for a JSON body passed through as it is (embeddings, token counts): every
// string in it, member names included. `decoded`: the body as a chat request, when it is
// one: then its conversation is also scanned read together, as chat's is (a value split
// across two parts, found only there, keeps the request local: fail closed), and
// images' pixels are not scanned, as chat does not scan them.
Result<PrivacyVerdict> classify_body(const privacy::Scanner& scanner, std::string_view body,
                                     const api::ChatRequest* decoded = nullptr);
// `conversation`: as classify_body was given a decoded request (the same walk).
std::string redacted_body(std::string_view body, const privacy::Decision& decision, bool conversation = false);

}  // namespace llmux::gateway
