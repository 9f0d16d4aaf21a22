#include "gateway/request_privacy.hpp"

namespace llmux::gateway {

namespace {

// Visits every text of a request, always in the same order.
template <class Request, class F>
void for_each_text(Request& r, F&& f) {
  if (!r.prompt.empty()) f(r.prompt);
  for (auto& m : r.messages) {
    for (auto& part : m.content)
      if (part.kind == api::ContentPart::Kind::text) f(part.text);
    if (!m.reasoning.empty()) f(m.reasoning);
    for (auto& tc : m.tool_calls) f(tc.arguments);
  }
}

}  // namespace

std::string PrivacyVerdict::classes() const {
  std::string out;
  for (const auto& c : decision.classes) {
    if (!out.empty()) out += ", ";
    out += c.name + " x" + std::to_string(c.count);
  }
  return out;
}

PrivacyVerdict classify_request(const privacy::Scanner& scanner, const api::ChatRequest& request) {
  std::vector<std::string_view> texts;
  for_each_text(request, [&](const std::string& s) { texts.push_back(s); });
  return PrivacyVerdict{privacy::classify(scanner, texts)};
}

api::ChatRequest redacted_copy(const api::ChatRequest& request, const privacy::Decision& decision) {
  api::ChatRequest copy = request;
  std::size_t i = 0;
  for_each_text(copy, [&](std::string& s) {
    if (i < decision.redacted.size()) s = decision.redacted[i];
    ++i;
  });
  return copy;
}

}  // namespace llmux::gateway
