#include "gateway/request_privacy.hpp"

#include <algorithm>
#include <deque>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace llmux::gateway {

namespace {

using Json = nlohmann::ordered_json;

bool inline_image(std::string_view url);

// An image's pixels in a request body, which chat does not scan either (see
// inline_image): an inline data: URL, or the data of an Anthropic image source
// ({"type": "base64", "media_type": "image/png", "data": "..."}).
bool image_source(const Json& o) {
  auto type = o.find("type");
  auto media = o.find("media_type");
  return type != o.end() && *type == "base64" && media != o.end() && media->is_string() &&
         starts_with_icase(media->get_ref<const std::string&>(), "image/");
}

// Visits every string of a JSON value, member names included, in document order;
// `f` may change them (a renamed member keeps its place). With `skip_pixels`, images'
// pixels are not visited.
template <class F>
void walk_json(Json& j, F& f, bool skip_pixels = false) {
  if (j.is_string()) {
    if (!(skip_pixels && inline_image(j.get_ref<const std::string&>()))) f(j.get_ref<std::string&>());
  } else if (j.is_array()) {
    for (auto& item : j) walk_json(item, f, skip_pixels);
  } else if (j.is_object()) {
    bool pixels = skip_pixels && image_source(j);
    Json out = Json::object();
    for (auto& member : j.items()) {
      std::string key = member.key();
      f(key);
      if (!(pixels && key == "data")) walk_json(member.value(), f, skip_pixels);
      out[key] = std::move(member.value());
    }
    j = std::move(out);
  }
}

// Blanks images' pixels (the strings walk_json skips with skip_pixels).
void blank_pixels(Json& j) {
  if (j.is_string()) {
    if (inline_image(j.get_ref<const std::string&>())) j = "";
  } else if (j.is_array()) {
    for (auto& item : j) blank_pixels(item);
  } else if (j.is_object()) {
    bool pixels = image_source(j);
    for (auto& member : j.items()) {
      if (pixels && member.key() == "data") member.value() = "";
      else blank_pixels(member.value());
    }
  }
}

// The body as context text, images' pixels left out.
std::string text_without_pixels(Json doc) {
  blank_pixels(doc);
  return doc.dump();
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
// An inline image: data:image/...;base64, with base64 after it. Its base64 is pixels,
// not text (its randomness would pass for a secret), so it is not scanned; any other
// data: URL (data:,text or data:text/plain) and a payload that is not base64 are text.
bool inline_image(std::string_view url) {
  auto comma = url.find(',');
  if (comma == std::string_view::npos || url.size() < 11) return false;
  std::string head = to_lower(url.substr(0, comma));
  if (!head.starts_with("data:image/") || !head.ends_with(";base64")) return false;
  return url.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n", comma + 1) ==
         std::string_view::npos;
}

template <class F>
void for_each_text(api::ChatRequest& r, F&& f) {
  if (!r.prompt.empty()) f(r.prompt);
  for (auto& m : r.messages) {
    for (auto& part : m.content) {
      if (part.kind == api::ContentPart::Kind::raw) json_text(part.text, f);
      else if (part.kind == api::ContentPart::Kind::text || !inline_image(part.text)) f(part.text);
      if (!part.detail.empty()) f(part.detail);
      raw_fields(part.extra, f);
    }
    if (!m.name.empty()) f(m.name);
    if (!m.tool_call_id.empty()) f(m.tool_call_id);
    if (!m.reasoning.empty()) f(m.reasoning);
    for (auto& tc : m.tool_calls) {
      if (!tc.id.empty()) f(tc.id);  // as the tool result's tool_call_id is: both get the same placeholder
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

// What the texts one by one can miss, scanned as context: a value split across two
// parts or messages (the joined conversation), a value whose meaning is in its JSON
// key or that is a JSON number (fields kept verbatim, as their JSON text). A value
// found there that no single text holds counts; block and local-only classes act as
// always, and one whose class says redact cannot be redacted in place, so the request
// becomes local-only (fail closed).
std::vector<std::string> context_texts(const api::ChatRequest& r) {
  std::vector<std::string> out;
  std::string joined = r.prompt;
  std::size_t pieces = r.prompt.empty() ? 0 : 1;
  auto raw = [&](const std::vector<api::RawField>& fields) {
    for (const auto& f : fields) out.push_back("\"" + f.key + "\":" + f.json);
  };
  for (const auto& m : r.messages) {
    if (!joined.empty()) joined += '\n';
    for (const auto& part : m.content) {
      if (part.kind == api::ContentPart::Kind::text) {
        joined += part.text;
        ++pieces;
      } else if (part.kind == api::ContentPart::Kind::raw) {
        out.push_back(part.text);
      }
      raw(part.extra);
    }
    raw(m.extra);
  }
  for (const auto& t : r.tools) raw(t.extra);
  raw(r.extra);
  if (pieces > 1) out.push_back(std::move(joined));
  return out;
}

void merge_context(const privacy::Scanner& scanner, const std::vector<std::string_view>& texts,
                   const std::vector<std::string>& context, privacy::Decision& d) {
  using privacy::Action;
  for (const auto& c : context) {
    for (const auto& f : scanner.scan(c)) {
      std::string_view value = std::string_view(c).substr(f.begin, f.size());
      bool held = false;
      for (std::size_t i = 0; i < texts.size() && !held; ++i)
        for (const auto& g : d.findings[i])
          if (g.class_id == f.class_id && texts[i].substr(g.begin, g.size()).find(value) != std::string_view::npos) {
            held = true;
            break;
          }
      if (held) continue;
      auto it = std::find_if(d.classes.begin(), d.classes.end(),
                             [&](const privacy::ClassCount& k) { return k.name == f.class_name; });
      if (it == d.classes.end()) it = d.classes.insert(d.classes.end(), {std::string(f.class_name), f.action, 0});
      ++it->count;
      d.action = privacy::strictest(d.action, f.action == Action::redact ? Action::local_only : f.action);
    }
  }
  std::sort(d.classes.begin(), d.classes.end(),
            [](const privacy::ClassCount& a, const privacy::ClassCount& b) { return a.name < b.name; });
}

// Scans what `visit` finds in a copy of the request: strings decoded from JSON live
// only as long as the copy, so they are kept here while the scanner reads them.
template <class Visit>
PrivacyVerdict classify_texts(const privacy::Scanner& scanner, Visit&& visit,
                              const std::vector<std::string>& context = {}) {
  std::deque<std::string> texts;  // stable addresses
  visit([&](std::string& s) { texts.push_back(s); });
  std::vector<std::string_view> views(texts.begin(), texts.end());
  PrivacyVerdict v{privacy::classify(scanner, views, context)};
  merge_context(scanner, views, context, v.decision);
  return v;
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
  return classify_texts(scanner, [&](auto&& f) { for_each_text(copy, f); }, context_texts(request));
}

api::ChatRequest redacted_copy(const api::ChatRequest& request, const privacy::Decision& decision) {
  api::ChatRequest copy = request;
  for_each_text(copy, replace_with(decision));
  return copy;
}

Result<PrivacyVerdict> classify_body(const privacy::Scanner& scanner, std::string_view body,
                                     const api::ChatRequest* decoded) {
  Json doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded()) return fail(ErrorCode::parse, "the request body is not JSON");
  // The body's own text is the context: keys beside their values, and numbers. For a
  // conversation, also what chat reads together (a value split across parts), and
  // images' pixels are left out as chat leaves them out.
  bool conversation = decoded != nullptr;
  std::vector<std::string> context = {conversation ? text_without_pixels(doc) : std::string(body)};
  if (conversation)
    for (auto& c : context_texts(*decoded)) context.push_back(std::move(c));
  return classify_texts(scanner, [&](auto&& f) { walk_json(doc, f, conversation); }, context);
}

std::string redacted_body(std::string_view body, const privacy::Decision& decision, bool conversation) {
  Json doc = Json::parse(body, nullptr, false);
  auto replace = replace_with(decision);
  walk_json(doc, replace, conversation);  // (the walk classify_body made)
  return doc.dump();
}

}  // namespace llmux::gateway
