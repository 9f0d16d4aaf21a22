#pragma once
// Text written to hide data from byte-level detectors: zero-width characters
// inside a key or a card number ("sk-proj-abc\u200Bdef"), Arabic-Indic or
// full-width digits ("٤٥٣٩ ١٤٨٨ ..."), a full-width at sign ("jane＠example.com").
// Texts holding any of these are scanned a second time in a normalised copy,
// and the findings there are mapped back to the original bytes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmux::privacy::detail {

// Whether `text` holds a character that normalise() removes or maps to a digit
// or '@' (not the rest of full-width ASCII: CJK punctuation alone does not
// call for a second scan). A SIMD pass: ASCII blocks cost one compare.
bool has_obfuscation_markers(std::string_view text);

struct Normalised {
  std::string text;
  std::vector<std::uint32_t> from;  // per byte of `text`: where its character starts in the original
  std::vector<std::uint32_t> to;    // per byte of `text`: where its character ends in the original

  // The original span of the normalised span [begin, end).
  std::size_t original_begin(std::size_t begin) const { return from[begin]; }
  std::size_t original_end(std::size_t end) const { return to[end - 1]; }
};

// `text` without invisible characters (U+200B-U+200F, U+2060-U+2064, U+FEFF, U+00AD,
// U+034F, U+180E), with decimal digits of other scripts (Arabic-Indic, Persian,
// Devanagari, Bengali, full-width), full-width ASCII (U+FF01-U+FF5E, U+FE6B small at
// sign), hyphen look-alikes (U+2010-U+2012, U+2212, U+FE58, U+FE63) and the
// ideographic space as ASCII. Reuses `out`'s buffers.
void normalise(std::string_view text, Normalised& out);

}  // namespace llmux::privacy::detail
