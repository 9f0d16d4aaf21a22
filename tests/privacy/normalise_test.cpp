// The normalised second scan: which texts need it, and how offsets map back.
#include "privacy/normalise.hpp"

#include <gtest/gtest.h>

#include <string>

namespace llmux::privacy::detail {
namespace {

TEST(Normalise, MarkersAreFoundAtEveryOffsetAndNothingElseCounts) {
  // Smart quotes, dashes, CJK and full-width punctuation, Arabic and Devanagari letters: no marker.
  const std::string clean =
      "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x94 \xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xEF\xBC\x9A "
      "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87 ";
  std::string base;
  while (base.size() < 200) base += clean;
  EXPECT_FALSE(has_obfuscation_markers(base));
  for (std::string marker : {"\xE2\x80\x8B", "\xE2\x80\x8D", "\xE2\x81\xA0", "\xEF\xBB\xBF", "\xC2\xAD",
                             "\xD9\xA4", "\xDB\xB9", "\xE0\xA5\xA7", "\xE0\xA7\xAF", "\xEF\xBC\x95", "\xEF\xBC\xA0",
                             "\xEF\xB9\xAB",
                             // left-to-right mark, invisible times, combining grapheme joiner, Mongolian
                             // vowel separator; hyphens: non-breaking, minus, full-width, small; full-width S and k
                             "\xE2\x80\x8E", "\xE2\x81\xA2", "\xCD\x8F", "\xE1\xA0\x8E", "\xE2\x80\x91",
                             "\xE2\x88\x92", "\xEF\xBC\x8D", "\xEF\xB9\xA3", "\xEF\xBC\xB3", "\xEF\xBD\x8B"}) {
    for (std::size_t at = 0; at <= 120; ++at) {
      std::string text = std::string(at, 'a') + marker + std::string(80, 'b');
      EXPECT_TRUE(has_obfuscation_markers(text)) << at;
      EXPECT_TRUE(has_obfuscation_markers(std::string(at, 'a') + marker)) << at;  // in the tail
    }
  }
}

TEST(Normalise, MapsOffsetsBackToTheOriginalBytes) {
  const std::string text = "a\xE2\x80\x8B" "b\xD9\xA4" "c\xEF\xBC\xA0";
  Normalised n;
  normalise(text, n);
  EXPECT_EQ(n.text, "ab4c@");
  EXPECT_EQ(n.original_begin(1), 4u);  // 'b'
  EXPECT_EQ(n.original_end(3), 7u);    // after the Arabic-Indic four
  EXPECT_EQ(n.original_end(5), text.size());
}

}  // namespace
}  // namespace llmux::privacy::detail
