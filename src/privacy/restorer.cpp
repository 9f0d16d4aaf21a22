#include "privacy/restorer.hpp"

namespace llmux::privacy {

Restorer::Restorer(const RedactionMap& map) : originals_(map.entries()) {
  for (const auto& [placeholder, value] : originals_) longest_ = std::max(longest_, placeholder.size());
}

bool Restorer::could_become_placeholder(std::string_view s) const {
  if (s.size() >= longest_) return false;
  auto it = originals_.lower_bound(s);
  return it != originals_.end() && std::string_view(it->first).substr(0, s.size()) == s;
}

std::string Restorer::feed(std::string_view chunk) {
  pending_.append(chunk);
  std::string out;
  std::string_view buf = pending_;
  std::size_t i = 0;
  while (i < buf.size()) {
    std::size_t lt = buf.find('<', i);
    if (lt == std::string_view::npos) {
      out.append(buf.substr(i));
      i = buf.size();
      break;
    }
    out.append(buf.substr(i, lt - i));
    std::size_t gt = buf.find('>', lt + 1);
    if (gt != std::string_view::npos && gt - lt < longest_) {
      auto it = originals_.find(buf.substr(lt, gt - lt + 1));
      if (it != originals_.end()) {
        out += it->second;
        i = gt + 1;
        continue;
      }
    }
    if (gt == std::string_view::npos && could_become_placeholder(buf.substr(lt))) {
      i = lt;  // hold back: the rest may arrive in the next chunk
      break;
    }
    out += '<';
    i = lt + 1;
  }
  pending_.erase(0, i);
  return out;
}

std::string Restorer::finish() {
  std::string rest;
  rest.swap(pending_);
  return rest;
}

std::string restore(std::string_view text, const RedactionMap& map) {
  Restorer r(map);
  std::string out = r.feed(text);
  out += r.finish();
  return out;
}

}  // namespace llmux::privacy
