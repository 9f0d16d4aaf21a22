#pragma once
// One detected piece of sensitive data: which class and where (byte offsets into
// the scanned text). A Finding never holds the matched text itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "privacy/policy.hpp"

namespace llmux::privacy {

using ClassId = std::uint16_t;

struct Finding {
  ClassId class_id = 0;
  std::string_view class_name;  // owned by the Scanner; valid while it lives
  Action action = Action::allow;
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last byte

  std::size_t size() const { return end - begin; }
  friend bool operator==(const Finding&, const Finding&) = default;
};

}  // namespace llmux::privacy
