// The digit-led classes (phone, card, SSN, IP, IBAN) all need a digit, and most
// text has few. One SIMD pass turns each 64-byte block into bitmaps of digits
// and colons and visits the start of every digit run; only there do the
// detectors look at bytes. Measured against putting \d-led patterns in the
// vectorscan database (docs/privacy.md, "Performance"): those patterns cost the
// whole scan most of its speed.
#include <algorithm>
#include <array>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "privacy/char_class.hpp"
#include "privacy/digit_detectors.hpp"
#include "privacy/loose_number.hpp"

namespace llmux::privacy::detail {

namespace {

// One 64-byte block as bitmaps: bit i of `digits` is set when p[i] is an ASCII
// digit, of `colons` when it is ':'. SSE2 is the x86-64 baseline; AVX2, where
// the CPU has it, does the block in two steps.
struct BlockMasks {
  std::uint64_t digits;
  std::uint64_t colons;
};
using BlockMaskFn = BlockMasks (*)(const char* p);

#if defined(__x86_64__)
__attribute__((target("avx2"))) BlockMasks block_masks_avx2(const char* p) {
  const __m256i zero = _mm256_set1_epi8('0');
  const __m256i nine = _mm256_set1_epi8(9);
  const __m256i colon = _mm256_set1_epi8(':');
  __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  // x - '0' <= 9 (unsigned)  <=>  min(x - '0', 9) == x - '0'
  __m256i da = _mm256_sub_epi8(a, zero);
  __m256i db = _mm256_sub_epi8(b, zero);
  auto dlo =
      static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(da, nine), da)));
  auto dhi =
      static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(db, nine), db)));
  auto clo = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, colon)));
  auto chi = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, colon)));
  return {dlo | (std::uint64_t(dhi) << 32), clo | (std::uint64_t(chi) << 32)};
}
#endif

BlockMasks block_masks_portable(const char* p) {
  BlockMasks m{0, 0};
#if defined(__SSE2__)
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i colon = _mm_set1_epi8(':');
  for (int k = 0; k < 4; ++k) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    __m128i d = _mm_sub_epi8(x, zero);
    auto dm = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, nine), d)));
    auto cm = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, colon)));
    m.digits |= std::uint64_t(dm) << (16 * k);
    m.colons |= std::uint64_t(cm) << (16 * k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    m.digits |= std::uint64_t(is_digit(p[k])) << k;
    m.colons |= std::uint64_t(p[k] == ':') << k;
  }
#endif
  return m;
}

BlockMaskFn pick_block_masks() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return block_masks_avx2;
#endif
  return block_masks_portable;
}

struct DigitRun {
  std::size_t begin;
  std::size_t end;
  bool colon_near;  // a ':' within four bytes: worth an IPv6 look (groups are <= 4 hex digits)
};

bool colon_within(std::string_view text, std::size_t begin, std::size_t end) {
  std::size_t lo = begin > 4 ? begin - 4 : 0;
  std::size_t hi = std::min(text.size(), end + 4);
  for (std::size_t i = lo; i < hi; ++i) {
    if (text[i] == ':') return true;
  }
  return false;
}

// Calls on_run for every maximal run of digits, in order. Run ends and nearby
// colons come from the bitmaps; only runs at a block edge read bytes.
template <class OnRun>
void for_each_digit_run(std::string_view text, OnRun on_run) {
  static const BlockMaskFn block_masks = pick_block_masks();
  const std::size_t n = text.size();
  std::uint64_t carry = 0;  // the previous block ended in a digit
  for (std::size_t base = 0; base < n; base += 64) {
    BlockMasks m;
    if (base + 64 <= n) {
      m = block_masks(text.data() + base);
    } else {
      char tail[64] = {};
      std::copy(text.data() + base, text.data() + n, tail);
      m = block_masks(tail);
    }
    std::uint64_t starts = m.digits & ~((m.digits << 1) | carry);
    carry = m.digits >> 63;
    while (starts != 0) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctzll(starts));
      starts &= starts - 1;
      const std::uint64_t rest = ~m.digits >> bit;  // zero when the run reaches the block end
      DigitRun run{base + bit, 0, false};
      if (rest != 0) {
        const unsigned len = static_cast<unsigned>(__builtin_ctzll(rest));
        run.end = run.begin + len;
        if (bit >= 4 && bit + len + 4 <= 64) {
          const std::uint64_t window = ((std::uint64_t(1) << (len + 8)) - 1) << (bit - 4);
          run.colon_near = (m.colons & window) != 0;
          on_run(run);
          continue;
        }
      } else {
        run.end = run.begin + 1;
        while (run.end < n && is_digit(text[run.end])) ++run.end;
      }
      run.colon_near = colon_within(text, run.begin, run.end);
      on_run(run);
    }
  }
}

// Bytes that may join digit groups into one number: separators and '+' (the
// strict set the numeric token reads), and what loose numbers may also hold
// (loose_number.hpp): '_', tabs, line breaks, dashes, thin and zero-width spaces.
constexpr std::array<unsigned char, 256> make_joiners() {
  std::array<unsigned char, 256> t{};
  constexpr unsigned char kStrict = 1, kLoose = 2;
  for (int c = '0'; c <= '9'; ++c) t[c] = kStrict;
  for (unsigned char c : {' ', '-', '.', '/', '(', ')', '+'}) t[c] = kStrict;
  t[0xC2] = t[0xA0] = kStrict;  // U+00A0 no-break space (over-approximated, which is safe)
  for (unsigned char c : {'_', '\t', '\n', '\r'}) t[c] = kLoose;
  // U+2009-U+2015, U+200B-U+200D, U+202F, U+2060, U+2212, U+FEFF, U+00AD: over-approximated by their bytes.
  for (unsigned char c : {0xE2, 0x80, 0x81, 0x88, 0x89, 0x8B, 0x8C, 0x8D, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95,
                          0xAF, 0xAD, 0xEF, 0xBB, 0xBF})
    t[c] = t[c] ? t[c] : kLoose;
  return t;
}
constexpr std::array<unsigned char, 256> kJoinable = make_joiners();

// Most digit runs in prose and logs ("4.5%", "v18.2.0", "180 ms") cannot grow
// into any numeric class: phones need 7 digits, cards 13, SSNs 9, a dotted quad
// 3 dots. Measure the joinable span after the run first: is a numeric token
// worth reading (7 digits or 3 dots over strict joiners), a loose number (9
// digits, or 13 across one line break)?
struct Reach {
  std::size_t end;
  bool token;
  bool loose;
};
Reach reach(std::string_view text, const DigitRun& run) {
  // Strict joiners first: most runs end at a letter or a colon right here.
  std::size_t digits = run.end - run.begin, dots = 0, j = run.end;
  auto kind = [&](std::size_t k) { return kJoinable[static_cast<unsigned char>(text[k])]; };
  for (; j < text.size() && j - run.begin < 64 && kind(j) == 1; ++j) {
    digits += is_digit(text[j]);
    dots += text[j] == '.';
  }
  const bool token = digits >= 7 || dots >= 3;
  if (j >= text.size() || j - run.begin >= 64 || kind(j) == 0) return Reach{j, token, digits >= 9};
  // A loose joiner follows: count on over both sets, across at most one line break.
  std::size_t line = digits, breaks = 0;
  for (; j < text.size() && j - run.begin < 64 && kind(j) != 0; ++j) {
    if (text[j] == '\n' && ++breaks > 1) break;
    const bool digit = is_digit(text[j]);
    digits += digit;
    line += digit && breaks == 0;
  }
  return Reach{j, token, line >= 9 || digits >= 13};
}

// Dates are the most common digit groups long enough to look like a number
// worth reading: 2024-06-12, 12.06.2024, 06/12/2024. Returns the end of a
// plausible date starting at `b` (a real year, month and day), else 0.
std::size_t date_end(std::string_view text, std::size_t b) {
  std::size_t len[3] = {0, 0, 0};
  int val[3] = {0, 0, 0};
  std::size_t i = b;
  char sep = 0;
  for (int g = 0; g < 3; ++g) {
    while (i < text.size() && is_digit(text[i]) && len[g] < 5)
      val[g] = val[g] * 10 + (text[i++] - '0'), ++len[g];
    if (len[g] == 0) return 0;
    if (g == 2) break;
    char c = at(text, i);
    if ((c != '-' && c != '.' && c != '/') || (g == 1 && c != sep)) return 0;
    sep = c;
    ++i;
  }
  if (is_digit(at(text, i))) return 0;
  auto year = [](int y) { return y >= 1900 && y <= 2099; };
  auto day_month = [](int d, int m) { return d >= 1 && d <= 31 && m >= 1 && m <= 12; };
  bool ymd = len[0] == 4 && len[1] <= 2 && len[2] <= 2 && year(val[0]) && day_month(val[2], val[1]);
  bool dmy = len[0] <= 2 && len[1] <= 2 && len[2] == 4 && year(val[2]) &&
             (day_month(val[0], val[1]) || day_month(val[1], val[0]));
  return ymd || dmy ? i : 0;
}

struct Guards {
  std::size_t token = 0;  // numeric tokens already read
  std::size_t loose = 0;  // loose numbers already read
  std::size_t ipv6 = 0;
  std::size_t iban = 0;
};

void numeric_token_classes(std::string_view text, const NumericToken& t, const EnabledSet& on, Hits& out) {
  if (on.has(Builtin::credit_card)) find_cards(text, t, out);
  if (on.has(Builtin::us_ssn)) find_us_ssn(text, t, out);
  if (on.has(Builtin::phone)) find_phone(text, t, out);
  if (on.has(Builtin::ip_address)) find_ipv4(text, t, out);
}

}  // namespace

void scan_digit_classes(std::string_view text, const EnabledSet& on, Hits& out) {
  const bool numeric = on.has(Builtin::credit_card) || on.has(Builtin::us_ssn) || on.has(Builtin::phone) ||
                       on.has(Builtin::ip_address);
  const bool iban = on.has(Builtin::iban);
  const bool ip = on.has(Builtin::ip_address);
  const bool cards = on.has(Builtin::credit_card), ssns = on.has(Builtin::us_ssn);
  Guards g;
  for_each_digit_run(text, [&](const DigitRun& run) {
    const std::size_t i = run.begin;
    // Two letters before the check digits; high bytes: a look-alike ("DЕ89" with a Cyrillic Е).
    if (iban && i >= g.iban && i >= 2 && (is_alpha(text[i - 1]) || is_high(text[i - 1])) &&
        (is_alpha(text[i - 2]) || is_high(text[i - 2]))) {
      g.iban = confirm_iban(text, i, out);
    }
    if (ip && run.colon_near && i >= g.ipv6) g.ipv6 = confirm_ipv6(text, i, out);
    if (!numeric) return;
    const bool token = i >= g.token, loose = (cards || ssns) && i >= g.loose;
    if (!token && !loose) return;
    const Reach r = reach(text, run);
    if (token) {
      if (!r.token) {
        g.token = r.end;
      } else if (std::size_t date = date_end(text, i)) {
        g.token = date;  // what follows a date gets a token of its own
      } else {
        NumericToken t = read_numeric_token(text, i);
        const std::size_t before = out.size();
        numeric_token_classes(text, t, on, out);
        g.token = t.end;
        for (std::size_t k = before; k < out.size(); ++k) {  // found as written: no loose reading needed
          if (out[k].cls == Builtin::credit_card || out[k].cls == Builtin::us_ssn) g.loose = std::max(g.loose, t.end);
        }
      }
    }
    // The same digits read loosely: other separators, invisible characters, glued words.
    if (loose && i >= g.loose) g.loose = r.loose ? find_loose_numbers(text, i, cards, ssns, out) : r.end;
  });
}

}  // namespace llmux::privacy::detail
