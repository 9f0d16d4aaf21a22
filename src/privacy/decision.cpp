#include "privacy/decision.hpp"

#include <algorithm>

#include "core/json_writer.hpp"

namespace llmux::privacy {

bool Decision::found(std::string_view class_name) const {
  return std::any_of(classes.begin(), classes.end(),
                     [&](const ClassCount& c) { return c.name == class_name; });
}

std::vector<std::string> Decision::classes_with(Action a) const {
  std::vector<std::string> out;
  for (const auto& c : classes) {
    if (c.action == a) out.push_back(c.name);
  }
  return out;
}

std::string Decision::describe() const {
  std::string out(to_string(action));
  out += ": ";
  if (classes.empty()) return out + "nothing found";
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (i > 0) out += ", ";
    out += classes[i].name + " x" + std::to_string(classes[i].count);
  }
  return out;
}

std::string Decision::to_json() const {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("action", to_string(action)).key("classes").begin_array();
  for (const auto& c : classes) {
    w.begin_object()
        .field("name", std::string_view(c.name))
        .field("action", to_string(c.action))
        .field("count", static_cast<std::int64_t>(c.count))
        .end_object();
  }
  w.end_array().end_object();
  return out;
}

Decision classify(const Scanner& scanner, const std::vector<std::string_view>& texts,
                  const std::vector<std::string>& read_together) {
  Decision d;
  std::vector<std::size_t> counts(scanner.classes().size(), 0);
  d.findings.reserve(texts.size());
  for (std::string_view text : texts) {
    d.findings.push_back(scanner.scan(text));
    for (const auto& f : d.findings.back()) {
      ++counts[f.class_id];
      d.action = strictest(d.action, f.action);
    }
  }
  for (std::size_t id = 0; id < counts.size(); ++id) {
    if (counts[id] == 0) continue;
    const DataClass& c = scanner.classes()[id];
    d.classes.push_back(ClassCount{c.name, c.action, counts[id]});
  }
  std::sort(d.classes.begin(), d.classes.end(),
            [](const ClassCount& a, const ClassCount& b) { return a.name < b.name; });
  // Redaction only when it is the answer: block and local-only keep the texts as they are.
  if (d.action == Action::redact) {
    d.redacted.reserve(texts.size());
    // Placeholders must differ from look-alikes the user already wrote, also one split
    // across texts ("<EMAI" + "L_1>" in two parts of a message, which the model reads as
    // one).
    for (std::string_view text : texts) d.redactions.avoid_collisions(text);
    for (const auto& text : read_together) d.redactions.avoid_collisions(text);
    for (std::size_t i = 0; i < texts.size(); ++i)
      d.redacted.push_back(redact(texts[i], d.findings[i], d.redactions));
  }
  return d;
}

}  // namespace llmux::privacy
