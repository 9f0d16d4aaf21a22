#pragma once
// A cheap pre-check run before handing untrusted JSON to the DOM parser:
// rejects nesting deeper than `max_depth` (hostile "[[[[..." headers).
#include <string_view>

namespace llmux::catalog {

inline bool json_depth_ok(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char ch : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    else if (ch == '[' || ch == '{') {
      if (++depth > max_depth) return false;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace llmux::catalog
