// Guards the workaround in src/privacy/vectorscan_runtime.hpp: vectorscan
// 5.4.9's AVX-512 path drops matches of patterns led by a character class
// depending on where they sit in the buffer. A user regex must be found at
// every offset, on every filler.
#include <gtest/gtest.h>

#include <string>

#include "privacy/scanner.hpp"

namespace llmux::privacy {
namespace {

TEST(VectorscanRuntime, UserRegexIsFoundAtEveryOffset) {
  PrivacyConfig config;
  config.detectors = {};
  config.patterns.push_back({"employee_id", R"([A-Z]{3}-\d{4}\b)", {}, std::nullopt, false, 1});
  config.patterns.push_back({"case_no", R"(\d{3}-\d{2}-\d{4}[A-Z])", {}, std::nullopt, false, 2});
  auto s = Scanner::compile(config);
  ASSERT_TRUE(s) << s.error().describe();
  int misses = 0;
  for (char filler : {' ', 'x', '.'}) {
    for (std::size_t offset = 0; offset < 1500; ++offset) {
      std::string text(offset, filler);
      text += " ABC-1234 and 123-45-6789Z tail";
      text.append(offset % 97, filler);
      if (s->scan(text).size() != 2) ++misses;
    }
  }
  EXPECT_EQ(misses, 0);
}

}  // namespace
}  // namespace llmux::privacy
