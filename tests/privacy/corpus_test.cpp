// Precision and recall per class on the labelled corpus (tests/privacy/corpus/).
// Targets from the issue: recall >= 99% and precision >= 97% on every structured class.
#include "privacy/corpus.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace llmux::privacy {
namespace {

testing::Score print_scores(const std::vector<testing::Labelled>& corpus) {
  auto scanner = Scanner::compile(PrivacyConfig{});
  EXPECT_TRUE(scanner) << scanner.error().describe();
  auto s = testing::score(*scanner, corpus);
  std::printf("%-12s %6s %7s %5s %4s %4s %10s %8s\n", "class", "texts", "labels", "TP", "FN", "FP",
              "precision", "recall");
  for (const auto& [cls, c] : s.classes) {
    std::printf("%-12s %6d %7d %5d %4d %4d %9.1f%% %7.1f%%\n", cls.c_str(), c.texts, c.labels,
                c.true_positives, c.false_negatives, c.false_positives, 100 * c.precision(),
                100 * c.recall());
  }
  std::printf("corpus: %zu texts\n", corpus.size());
  for (const auto& m : s.misses) std::printf("  %s\n", m.c_str());
  return s;
}

TEST(PrivacyCorpus, MeetsPrecisionAndRecallTargetsPerClass) {
  auto corpus = testing::load_corpus();
  ASSERT_GE(corpus.size(), 500u) << "the corpus should hold several hundred texts";
  auto s = print_scores(corpus);
  for (const auto& [cls, c] : s.classes) {
    EXPECT_GE(c.labels, 50) << cls << " needs more labelled examples";
    EXPECT_GE(c.recall(), 0.99) << cls;
    EXPECT_GE(c.precision(), 0.97) << cls;
  }
}

}  // namespace
}  // namespace llmux::privacy

namespace llmux::privacy {
namespace {

// Texts written after the detector, in formats the corpus does not use. Its
// scores are reported, not tuned for: see docs/privacy.md for the first run.
TEST(PrivacyHoldout, ReportsPrecisionAndRecall) {
  auto holdout = testing::load_corpus("holdout");
  ASSERT_GE(holdout.size(), 50u);
  print_scores(holdout);
}

}  // namespace
}  // namespace llmux::privacy
