// The digit-led classes (phone, card, SSN, IP, IBAN) all need a digit, and most
// text has few. One SIMD pass jumps from digit run to digit run; only there do
// the detectors look at bytes. Measured against putting \d-led patterns in the
// vectorscan database (docs/privacy.md, "Performance"): this keeps clean text
// at several GB/s where those patterns cost the whole scan most of its speed.
#include <algorithm>
#include <array>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"

namespace llmux::privacy::detail {

namespace {

// Offset of the first ASCII digit at or after `i`, or text.size(). SSE2 is
// the x86-64 baseline; AVX2, where the CPU has it, halves the loop count.
#if defined(__x86_64__)
__attribute__((target("avx2"))) std::size_t next_digit_avx2(const char* p, std::size_t i, std::size_t n) {
  const __m256i zero = _mm256_set1_epi8('0');
  const __m256i nine = _mm256_set1_epi8(9);
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_sub_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i)), zero);
    // v <= 9 unsigned  <=>  min(v, 9) == v
    unsigned mask = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(v, nine), v)));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
  return i;
}
#endif

std::size_t next_digit_sse2(const char* p, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), zero);
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, nine), v)));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  return i;
}

std::size_t next_digit(std::string_view text, std::size_t i) {
  const char* p = text.data();
  const std::size_t n = text.size();
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) i = next_digit_avx2(p, i, n);
#endif
  i = next_digit_sse2(p, i, n);
  while (i < n && !is_digit(p[i])) ++i;
  return i;
}

struct Guards {
  std::size_t token = 0;  // numeric tokens already read
  std::size_t ipv6 = 0;
  std::size_t iban = 0;
};

void numeric_token_classes(std::string_view text, const NumericToken& t, const EnabledSet& on, Hits& out) {
  if (on.has(Builtin::credit_card)) find_cards(text, t, out);
  if (on.has(Builtin::us_ssn)) find_us_ssn(text, t, out);
  if (on.has(Builtin::phone)) find_phone(text, t, out);
  if (on.has(Builtin::ip_address)) find_ipv4(text, t, out);
}

enum : unsigned char { kDigit = 1, kJoin = 2, kColon = 4 };

constexpr std::array<unsigned char, 256> make_classes() {
  std::array<unsigned char, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  for (unsigned char c : {' ', '-', '.', '/', '(', ')', '+'}) t[c] = kJoin;
  t[0xC2] = t[0xA0] = kJoin;  // U+00A0 no-break space (over-approximated, which is safe)
  t[':'] = kColon;
  return t;
}
constexpr std::array<unsigned char, 256> kClass = make_classes();

unsigned char cls(char c) { return kClass[static_cast<unsigned char>(c)]; }

// Most digit runs in prose and logs ("4.5%", "v18.2.0", "180 ms") cannot grow
// into any numeric class: phones need 7 digits, cards 13, SSNs 9, a dotted
// quad 3 dots. Measure the joinable span first; returns its end when nothing
// in it can qualify, 0 when a token is worth reading.
std::size_t hopeless_span(std::string_view text, std::size_t begin) {
  std::size_t digits = 0, dots = 0, j = begin;
  while (j < text.size() && j - begin < 64) {
    unsigned char k = cls(text[j]);
    if (k != kDigit && k != kJoin) break;
    digits += k == kDigit;
    dots += text[j] == '.';
    ++j;
  }
  return digits >= 7 || dots >= 3 ? 0 : j;
}

bool near_colon(std::string_view text, std::size_t begin, std::size_t end) {
  // IPv6 groups are at most four hex digits: a colon within four bytes of the run.
  std::size_t lo = begin > 4 ? begin - 4 : 0;
  std::size_t hi = std::min(text.size(), end + 4);
  for (std::size_t i = lo; i < hi; ++i) {
    if (text[i] == ':') return true;
  }
  return false;
}

}  // namespace

void scan_digit_classes(std::string_view text, const EnabledSet& on, Hits& out) {
  const bool numeric = on.has(Builtin::credit_card) || on.has(Builtin::us_ssn) || on.has(Builtin::phone) ||
                       on.has(Builtin::ip_address);
  Guards g;
  std::size_t i = next_digit(text, 0);
  while (i < text.size()) {
    std::size_t run_end = i + 1;
    while (run_end < text.size() && cls(text[run_end]) == kDigit) ++run_end;
    if (on.has(Builtin::iban) && i >= g.iban && i >= 2 && is_alpha(text[i - 1]) && is_alpha(text[i - 2])) {
      g.iban = confirm_iban(text, i, out);
    }
    if (on.has(Builtin::ip_address) && i >= g.ipv6 && near_colon(text, i, run_end)) {
      g.ipv6 = confirm_ipv6(text, i, out);
    }
    if (numeric && i >= g.token) {
      if (std::size_t skip = hopeless_span(text, i)) {
        g.token = skip;
      } else {
        NumericToken t = read_numeric_token(text, i);
        numeric_token_classes(text, t, on, out);
        g.token = t.end;
      }
    }
    i = next_digit(text, run_end);
  }
}

}  // namespace llmux::privacy::detail
