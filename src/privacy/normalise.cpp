#include "privacy/normalise.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "privacy/loose_number.hpp"  // invisible_at

namespace llmux::privacy::detail {

namespace {

struct Digits {
  unsigned char b0, b1, zero;  // lead bytes and the last byte of the zero digit (bytes 3-byte if b1 != 0)
};
// Two-byte scripts have b1 == 0.
constexpr Digits kDigits[] = {
    {0xD9, 0, 0xA0},     // U+0660 Arabic-Indic
    {0xDB, 0, 0xB0},     // U+06F0 Extended Arabic-Indic (Persian, Urdu)
    {0xE0, 0xA5, 0xA6},  // U+0966 Devanagari
    {0xE0, 0xA7, 0xA6},  // U+09E6 Bengali
    {0xEF, 0xBC, 0x90},  // U+FF10 full-width
};


// Bytes of the character at i and the ASCII byte it maps to (0: removed); 0 bytes: copy as is.
std::size_t mapped_at(std::string_view s, std::size_t i, char& ascii) {
  auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const unsigned c = b(0);
  if (c < 0xC2) return 0;
  if (std::size_t n = invisible_at(s, i)) return ascii = 0, n;  // zero-width characters, soft hyphen
  for (const Digits& d : kDigits) {
    if (c != d.b0) continue;
    if (d.b1 == 0 && b(1) >= d.zero && b(1) < d.zero + 10u) return ascii = char('0' + b(1) - d.zero), 2;
    if (d.b1 != 0 && b(1) == d.b1 && b(2) >= d.zero && b(2) < d.zero + 10u)
      return ascii = char('0' + b(2) - d.zero), 3;
  }
  // Hyphens that pass for '-': U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure
  // dash, U+2212 minus, U+FE58 small em dash, U+FE63 small hyphen-minus (not the en and
  // em dashes of prose). U+3000, the ideographic space, reads as a space.
  if (c == 0xE2 && b(1) == 0x80 && b(2) >= 0x90 && b(2) <= 0x92) return ascii = '-', 3;
  if (c == 0xE2 && b(1) == 0x88 && b(2) == 0x92) return ascii = '-', 3;
  if (c == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return ascii = ' ', 3;
  if (c != 0xEF) return 0;
  if (b(1) == 0xB9 && (b(2) == 0x98 || b(2) == 0xA3)) return ascii = '-', 3;
  if (b(1) == 0xB9 && b(2) == 0xAB) return ascii = '@', 3;               // U+FE6B small commercial at
  if (b(1) == 0xBC && b(2) >= 0x81 && b(2) <= 0xBF) return ascii = char(b(2) - 0x81 + 0x21), 3;  // U+FF01-FF3F
  if (b(1) == 0xBD && b(2) >= 0x80 && b(2) <= 0x9E) return ascii = char(b(2) - 0x80 + 0x60), 3;  // U+FF40-FF5E
  return 0;
}

// A marker: a mapped character that hides a value: an invisible one, a digit of another
// script, '@', a full-width letter or hyphen, a hyphen look-alike. Not full-width
// punctuation, nor the ideographic space: CJK text alone does not call for a second scan.
bool marker_at(std::string_view s, std::size_t i) {
  char ascii = 0;
  std::size_t n = mapped_at(s, i, ascii);
  if (n == 0) return false;
  bool letter = (ascii >= 'A' && ascii <= 'Z') || (ascii >= 'a' && ascii <= 'z');
  return ascii == 0 || ascii == '@' || ascii == '-' || letter || (ascii >= '0' && ascii <= '9');
}

bool markers_scalar(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0xC2 && marker_at(text, i)) return true;
  }
  return false;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) inline __m256i eq(__m256i x, int b) {
  return _mm256_cmpeq_epi8(x, _mm256_set1_epi8(static_cast<char>(b)));
}
__attribute__((target("avx2"))) inline __m256i range(__m256i x, int lo, int hi) {
  __m256i d = _mm256_sub_epi8(x, _mm256_set1_epi8(static_cast<char>(lo)));
  return _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(static_cast<char>(hi - lo))), d);
}

// 32 bytes at a time; only blocks with a byte >= 0x80 look further, and only
// exact lead/continuation byte combinations of a marker count.
__attribute__((target("avx2"))) bool markers_avx2(std::string_view text) {
  const char* p = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  for (; i + 34 <= n; i += 32) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    if (_mm256_movemask_epi8(a) == 0) continue;
    __m256i lead = _mm256_or_si256(_mm256_or_si256(eq(a, 0xC2), eq(a, 0xD9)), _mm256_or_si256(eq(a, 0xDB), eq(a, 0xE0)));
    lead = _mm256_or_si256(lead, _mm256_or_si256(eq(a, 0xE2), eq(a, 0xEF)));
    lead = _mm256_or_si256(lead, _mm256_or_si256(eq(a, 0xCD), eq(a, 0xE1)));
    if (_mm256_testz_si256(lead, lead)) continue;  // CJK, Cyrillic, accented Latin: no marker lead byte
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 1));
    __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 2));
    __m256i m = _mm256_and_si256(eq(a, 0xC2), eq(b, 0xAD));
    m = _mm256_or_si256(m, _mm256_and_si256(eq(a, 0xCD), eq(b, 0x8F)));
    m = _mm256_or_si256(m, _mm256_and_si256(eq(a, 0xE1), _mm256_and_si256(eq(b, 0xA0), eq(c, 0x8E))));
    m = _mm256_or_si256(m, _mm256_and_si256(eq(a, 0xD9), range(b, 0xA0, 0xA9)));
    m = _mm256_or_si256(m, _mm256_and_si256(eq(a, 0xDB), range(b, 0xB0, 0xB9)));
    __m256i e0 = _mm256_and_si256(eq(a, 0xE0), _mm256_or_si256(eq(b, 0xA5), eq(b, 0xA7)));
    m = _mm256_or_si256(m, _mm256_and_si256(e0, range(c, 0xA6, 0xAF)));
    __m256i e2 = _mm256_or_si256(_mm256_and_si256(eq(b, 0x80), range(c, 0x8B, 0x92)),
                                 _mm256_and_si256(eq(b, 0x81), range(c, 0xA0, 0xA4)));
    e2 = _mm256_or_si256(e2, _mm256_and_si256(eq(b, 0x88), eq(c, 0x92)));
    m = _mm256_or_si256(m, _mm256_and_si256(eq(a, 0xE2), e2));
    __m256i ef = _mm256_or_si256(_mm256_and_si256(eq(b, 0xBB), eq(c, 0xBF)),
                                 _mm256_and_si256(eq(b, 0xB9), eq(c, 0xAB)));
    ef = _mm256_or_si256(ef, _mm256_and_si256(eq(b, 0xBC), _mm256_or_si256(range(c, 0x90, 0x99), range(c, 0xA0, 0xBA))));
    ef = _mm256_or_si256(ef, _mm256_and_si256(eq(b, 0xBC), eq(c, 0x8D)));
    ef = _mm256_or_si256(ef, _mm256_and_si256(eq(b, 0xBD), range(c, 0x81, 0x9A)));
    ef = _mm256_or_si256(ef, _mm256_and_si256(eq(b, 0xB9), _mm256_or_si256(eq(c, 0x98), eq(c, 0xA3))));
    m = _mm256_or_si256(m, _mm256_and_si256(eq(a, 0xEF), ef));
    if (!_mm256_testz_si256(m, m)) return true;
  }
  return markers_scalar(text, i);
}
#endif

}  // namespace

bool has_obfuscation_markers(std::string_view text) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return markers_avx2(text);
#endif
  return markers_scalar(text, 0);
}

void normalise(std::string_view text, Normalised& out) {
  out.text.clear();
  out.from.clear();
  out.to.clear();
  for (std::size_t i = 0; i < text.size();) {
    char ascii = 0;
    std::size_t n = mapped_at(text, i, ascii);
    if (n == 0) {
      out.text += text[i];
      out.from.push_back(static_cast<std::uint32_t>(i));
      out.to.push_back(static_cast<std::uint32_t>(i + 1));
      ++i;
      continue;
    }
    if (ascii != 0) {
      out.text += ascii;
      out.from.push_back(static_cast<std::uint32_t>(i));
      out.to.push_back(static_cast<std::uint32_t>(i + n));
    }
    i += n;
  }
}

}  // namespace llmux::privacy::detail
