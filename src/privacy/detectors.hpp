#pragma once
// Internal interface between the Scanner and the built-in detectors. Every
// detector is pure: it looks at the text around a candidate, confirms it with a
// validator and appends the exact span. Nothing here allocates per byte scanned.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace llmux::privacy::detail {

enum class Builtin : std::uint8_t { email, phone, credit_card, iban, us_ssn, ip_address, secret };
inline constexpr std::size_t kBuiltinCount = 7;

std::string_view builtin_name(Builtin b);
std::optional<Builtin> builtin_from_name(std::string_view name);

struct Hit {
  Builtin cls;
  std::size_t begin;
  std::size_t end;
};
using Hits = std::vector<Hit>;

class EnabledSet {
 public:
  void enable(Builtin b) { on_[static_cast<std::size_t>(b)] = true; }
  bool has(Builtin b) const { return on_[static_cast<std::size_t>(b)]; }
  // Classes found from digit runs rather than from vectorscan triggers.
  bool any_digit_class() const {
    return has(Builtin::phone) || has(Builtin::credit_card) || has(Builtin::iban) || has(Builtin::us_ssn) ||
           has(Builtin::ip_address);
  }

 private:
  std::array<bool, kBuiltinCount> on_{};
};

// Digit-led classes: one SIMD pass finds digit runs; each run is grown into a
// numeric token (or an IPv6 / IBAN candidate) and handed to the validators.
void scan_digit_classes(std::string_view text, const EnabledSet& enabled, Hits& out);

// Vectorscan-triggered detectors. `end` is the trigger's match end. Each returns
// the offset before which later triggers of the same kind add nothing.
std::size_t confirm_email(std::string_view text, std::size_t end, Hits& out);

}  // namespace llmux::privacy::detail
