#pragma once
// Puts original values back into a model's answer, chunk by chunk. A
// placeholder may be split anywhere across chunks ("<EMA" + "IL_1>"): feed()
// returns what is safe to emit now and holds back a tail that could still
// become a placeholder; finish() flushes it. Text that only looks like a
// placeholder ("<EMAIL_9>" that this request never made) passes through.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "privacy/redactor.hpp"

namespace llmux::privacy {

class Restorer {
 public:
  explicit Restorer(const RedactionMap& map);

  std::string feed(std::string_view chunk);
  std::string finish();

 private:
  // Could `s` (starting with '<') still grow into one of our placeholders?
  bool could_become_placeholder(std::string_view s) const;

  std::map<std::string, std::string, std::less<>> originals_;
  std::size_t longest_ = 0;
  std::string pending_;
};

// The whole answer at once.
std::string restore(std::string_view text, const RedactionMap& map);

}  // namespace llmux::privacy
