// Token boundaries and nearby keywords: the context rules the digit detectors share.
#include <algorithm>
#include <initializer_list>

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"

namespace llmux::privacy::detail {

bool free_left(std::string_view text, std::size_t begin) {
  char c = before(text, begin);
  if (is_word(c)) return false;
  if (c == '-' || c == '.' || c == '/') return !is_alnum(before(text, begin - 1));
  return true;
}

bool free_right(std::string_view text, std::size_t end) {
  char c = at(text, end);
  if (is_word(c)) return false;
  if (c == '-' || c == '/') return !is_alnum(at(text, end + 1));
  if (c == '.') return !is_digit(at(text, end + 1));
  return true;
}

bool keyword_before(std::string_view text, std::size_t pos, std::size_t window,
                    std::initializer_list<std::string_view> words) {
  // Lower-case the window once (ASCII; UTF-8 bytes stay as they are), then search.
  char buf[64];
  window = std::min<std::size_t>({window, pos, sizeof buf});
  const std::size_t from = pos - window;
  for (std::size_t i = 0; i < window; ++i) buf[i] = lower(text[from + i]);
  std::string_view span(buf, window);
  for (std::string_view w : words) {
    for (std::size_t i = span.find(w); i != std::string_view::npos; i = span.find(w, i + 1)) {
      // ASCII words must start a word ("tel" is not inside "hotel").
      bool word_start = !is_alpha(w[0]) || !is_alpha(i > 0 ? span[i - 1] : before(text, from));
      if (word_start) return true;
    }
  }
  return false;
}

}  // namespace llmux::privacy::detail
