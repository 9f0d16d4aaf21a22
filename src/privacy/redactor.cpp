#include "privacy/redactor.hpp"

#include <algorithm>

namespace llmux::privacy {

const std::string& RedactionMap::placeholder(std::string_view class_name, std::string_view value) {
  std::string key(class_name);
  key += '\0';
  key += value;
  auto it = placeholders_.find(key);
  if (it != placeholders_.end()) return it->second;
  int n = ++counters_[std::string(class_name)];
  std::string p = "<";
  for (char c : class_name) p += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  p += "_" + std::to_string(n) + ">";
  originals_.emplace(p, std::string(value));
  return placeholders_.emplace(std::move(key), std::move(p)).first->second;
}

std::optional<std::string_view> RedactionMap::original(std::string_view placeholder) const {
  auto it = originals_.find(placeholder);
  if (it == originals_.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string redact(std::string_view text, const std::vector<Finding>& findings, RedactionMap& map) {
  std::vector<Finding> todo;
  for (const auto& f : findings) {
    if (f.action == Action::redact && f.end <= text.size() && f.begin < f.end) todo.push_back(f);
  }
  if (todo.empty()) return std::string(text);
  std::sort(todo.begin(), todo.end(), [](const Finding& a, const Finding& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for (std::size_t i = 0; i < todo.size();) {
    // A cluster of overlapping findings becomes one placeholder.
    std::size_t begin = todo[i].begin, end = todo[i].end;
    const Finding* longest = &todo[i];
    for (++i; i < todo.size() && todo[i].begin < end; ++i) {
      end = std::max(end, todo[i].end);
      if (todo[i].size() > longest->size()) longest = &todo[i];
    }
    out.append(text.substr(copied, begin - copied));
    out += map.placeholder(longest->class_name, text.substr(begin, end - begin));
    copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace llmux::privacy
