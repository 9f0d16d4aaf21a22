#pragma once
// Test helper: runs bytes through SseParser in given pieces and keeps owned copies
// of the events (the parser's views die with the callback).
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "net/sse_parser.hpp"

namespace llmux::net::test {

struct Got {
  std::string type;
  std::string data;
  std::string id;
  std::optional<std::int64_t> retry;
  bool operator==(const Got&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Got& g) {
  os << "{type=" << g.type << " data=\"" << g.data << "\" id=" << g.id;
  if (g.retry) os << " retry=" << *g.retry;
  return os << "}";
}

inline Got msg(std::string data, std::string type = "message", std::string id = {}) {
  return Got{std::move(type), std::move(data), std::move(id), std::nullopt};
}

// Feeds `pieces` in order, then finish(). Fails with the parser's error.
inline Result<std::vector<Got>> parse_pieces(const std::vector<std::string_view>& pieces,
                                             SseLimits limits = {}, bool flush_partial = true) {
  SseParser p(limits);
  std::vector<Got> out;
  auto keep = [&](const SseEvent& e) {
    out.push_back(Got{std::string(e.type), std::string(e.data), std::string(e.id), e.retry});
  };
  for (auto piece : pieces)
    if (auto r = p.feed(piece, keep); !r) return tl::unexpected(r.error());
  p.finish(keep, flush_partial);
  return out;
}

inline Result<std::vector<Got>> parse_whole(std::string_view bytes, SseLimits limits = {}) {
  return parse_pieces({bytes}, limits);
}

inline std::vector<std::string_view> bytewise(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size(); ++i) out.push_back(s.substr(i, 1));
  return out;
}

}  // namespace llmux::net::test
