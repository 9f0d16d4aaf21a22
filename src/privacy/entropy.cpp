// Shannon entropy: how unpredictable the bytes of a token are. Generated keys
// score high (hex ~3.7, base64 ~5 bits per byte at typical lengths); words,
// placeholders and masks ("********", "changeme") score low.
#include <array>
#include <cmath>

#include "privacy/validators.hpp"

namespace llmux::privacy {

double shannon_entropy(std::string_view s) {
  if (s.empty()) return 0.0;
  std::array<unsigned, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0.0;
  const double n = static_cast<double>(s.size());
  for (unsigned c : counts) {
    if (c == 0) continue;
    double p = c / n;
    h -= p * std::log2(p);
  }
  return h;
}

}  // namespace llmux::privacy
