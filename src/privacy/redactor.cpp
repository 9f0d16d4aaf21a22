#include "privacy/redactor.hpp"

#include <algorithm>

namespace llmux::privacy {

const std::string& RedactionMap::placeholder(std::string_view class_name, std::string_view value) {
  std::string key(class_name);
  key += '\0';
  key += value;
  auto it = placeholders_.find(key);
  if (it != placeholders_.end()) return it->second;
  std::string stem = "<";
  for (char c : class_name) stem += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  stem += '_';
  int& last = counters_[std::string(class_name)];
  std::string p;
  do {
    p = stem + std::to_string(++last) + ">";
  } while (taken_.count(p) != 0);
  originals_.emplace(p, std::string(value));
  return placeholders_.emplace(std::move(key), std::move(p)).first->second;
}

void RedactionMap::avoid_collisions(std::string_view text) {
  // "<" + [A-Z0-9_]+ + "_" + digits + ">": the shape every placeholder has.
  auto stem_char = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
  for (std::size_t lt = text.find('<'); lt != std::string_view::npos; lt = text.find('<', lt + 1)) {
    std::size_t i = lt + 1;
    while (i < text.size() && i - lt <= 80 && stem_char(text[i])) ++i;
    if (i >= text.size() || text[i] != '>') continue;
    std::string_view inner = text.substr(lt + 1, i - lt - 1);
    std::size_t us = inner.rfind('_');
    if (us == std::string_view::npos || us == 0 || us + 1 == inner.size()) continue;
    if (inner.find_first_not_of("0123456789", us + 1) != std::string_view::npos) continue;
    taken_.emplace(text.substr(lt, i - lt + 1));
  }
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
