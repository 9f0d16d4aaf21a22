#include "privacy/overlap.hpp"

#include <algorithm>
#include <iterator>
#include <map>

namespace llmux::privacy::detail {

namespace {

int priority(Builtin b) {
  switch (b) {
    case Builtin::secret:
      return 7;
    case Builtin::credit_card:
      return 6;
    case Builtin::iban:
      return 5;
    case Builtin::us_ssn:
      return 4;
    case Builtin::email:
      return 3;
    case Builtin::ip_address:
      return 2;
    case Builtin::phone:
      return 1;
  }
  return 0;
}

bool by_offset(const Hit& a, const Hit& b) { return a.begin != b.begin ? a.begin < b.begin : a.end > b.end; }

bool stronger(const Hit& a, const Hit& b) {
  if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
  if (priority(a.cls) != priority(b.cls)) return priority(a.cls) > priority(b.cls);
  return a.begin < b.begin;
}

}  // namespace

void resolve_overlaps(Hits& hits) {
  std::sort(hits.begin(), hits.end(), by_offset);
  bool overlap = false;
  for (std::size_t i = 1; i < hits.size() && !overlap; ++i) overlap = hits[i].begin < hits[i - 1].end;
  if (!overlap) return;  // the common case
  std::sort(hits.begin(), hits.end(), stronger);
  std::map<std::size_t, Hit> kept;  // by begin; spans are disjoint
  for (const Hit& h : hits) {
    auto next = kept.lower_bound(h.begin);
    if (next != kept.end() && next->second.begin < h.end) continue;
    if (next != kept.begin() && std::prev(next)->second.end > h.begin) continue;
    kept.emplace(h.begin, h);
  }
  hits.clear();
  for (const auto& [begin, h] : kept) hits.push_back(h);
}

}  // namespace llmux::privacy::detail
