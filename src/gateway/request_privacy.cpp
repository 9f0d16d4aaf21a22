#include "gateway/request_privacy.hpp"

#include <deque>
#include <nlohmann/json.hpp>

namespace llmux::gateway {

namespace {

using Json = nlohmann::ordered_json;

// Visits every string of a JSON value, member names included, in document order;
// `f` may change them (a renamed member keeps its place).
template <class F>
void walk_json(Json& j, F& f) {
  if (j.is_string()) {
    f(j.get_ref<std::string&>());
  } else if (j.is_array()) {
    for (auto& item : j) walk_json(item, f);
  } else if (j.is_object()) {
    Json out = Json::object();
    for (auto& member : j.items()) {
      std::string key = member.key();
      f(key);
      walk_json(member.value(), f);
      out[key] = std::move(member.value());
    }
    j = std::move(out);
  }
}

// A member kept verbatim as JSON text (a tool's schema, an unknown field, a raw
// content part): its strings one by one, so that escapes are decoded before the
// scan and a redaction leaves valid JSON. Text that is not JSON is one string.
template <class F>
void json_text(std::string& text, F& f) {
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) return f(text);
  bool changed = false;
  auto visit = [&](std::string& s) {
    std::string before = s;
    f(s);
    changed = changed || s != before;
  };
  walk_json(doc, visit);
  if (changed) text = doc.dump();
}

template <class F>
void raw_fields(std::vector<api::RawField>& fields, F& f) {
  for (auto& field : fields) {
    f(field.key);
    json_text(field.json, f);
  }
}

// Visits every string a request carries upstream, always in the same order: what
// the client wrote and also what it put in names, tool definitions, stop sequences,
// image URLs, raw content blocks and fields llmux passes through without knowing
// them. Only the provider's own thinking signature is left out (it is theirs, and
// opaque). The request is taken by reference: `f` may rewrite what it visits.
template <class F>
void for_each_text(api::ChatRequest& r, F&& f) {
  if (!r.prompt.empty()) f(r.prompt);
  for (auto& m : r.messages) {
    for (auto& part : m.content) {
      if (part.kind == api::ContentPart::Kind::raw) json_text(part.text, f);
      else if (part.kind == api::ContentPart::Kind::text || !part.text.starts_with("data:")) f(part.text);
      // (An inline image's base64 is pixels, not text: its randomness would pass for a secret.)
      raw_fields(part.extra, f);
    }
    if (!m.name.empty()) f(m.name);
    if (!m.tool_call_id.empty()) f(m.tool_call_id);
    if (!m.reasoning.empty()) f(m.reasoning);
    for (auto& tc : m.tool_calls) {
      f(tc.name);
      f(tc.arguments);
    }
    raw_fields(m.extra, f);
  }
  for (auto& t : r.tools) {
    f(t.name);
    f(t.description);
    json_text(t.parameters_json, f);
    raw_fields(t.extra, f);
  }
  if (!r.tool_choice_json.empty()) json_text(r.tool_choice_json, f);
  for (auto& s : r.sampling.stop) f(s);
  raw_fields(r.extra, f);
}

// Scans what `visit` finds in a copy of the request: strings decoded from JSON live
// only as long as the copy, so they are kept here while the scanner reads them.
template <class Visit>
PrivacyVerdict classify_texts(const privacy::Scanner& scanner, Visit&& visit) {
  std::deque<std::string> texts;  // stable addresses
  visit([&](std::string& s) { texts.push_back(s); });
  std::vector<std::string_view> views(texts.begin(), texts.end());
  return PrivacyVerdict{privacy::classify(scanner, views)};
}

// Puts each visited text's redacted version in its place, in the same order.
auto replace_with(const privacy::Decision& decision) {
  return [&decision, i = std::size_t{0}](std::string& s) mutable {
    if (i < decision.redacted.size()) s = decision.redacted[i];
    ++i;
  };
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
  api::ChatRequest copy = request;
  return classify_texts(scanner, [&](auto&& f) { for_each_text(copy, f); });
}

api::ChatRequest redacted_copy(const api::ChatRequest& request, const privacy::Decision& decision) {
  api::ChatRequest copy = request;
  for_each_text(copy, replace_with(decision));
  return copy;
}

Result<PrivacyVerdict> classify_body(const privacy::Scanner& scanner, std::string_view body) {
  Json doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded()) return fail(ErrorCode::parse, "the request body is not JSON");
  return classify_texts(scanner, [&](auto&& f) { walk_json(doc, f); });
}

std::string redacted_body(std::string_view body, const privacy::Decision& decision) {
  Json doc = Json::parse(body, nullptr, false);
  auto replace = replace_with(decision);
  walk_json(doc, replace);
  return doc.dump();
}

}  // namespace llmux::gateway
