#pragma once
// The labelled corpus under tests/privacy/corpus/: one JSON object per line,
//   {"text": "...", "labels": {"email": ["jane@x.de"], ...}, "note": "why"}
// where `labels` lists every sensitive value of every built-in class in the
// text (an empty object marks a hard negative). Scoring is per entity: a label
// is found when a finding of its class overlaps it; a finding that overlaps no
// label of its class is a false positive.
#include <map>
#include <string>
#include <vector>

#include "privacy/scanner.hpp"

namespace llmux::privacy::testing {

struct Labelled {
  std::string file;
  int line = 0;
  std::string text;
  std::map<std::string, std::vector<std::string>> labels;
};

// Every *.jsonl file under tests/privacy/<dir>, sorted by name.
std::vector<Labelled> load_corpus(const std::string& dir = "corpus");

struct ClassScore {
  int texts = 0;  // texts labelled with the class
  int labels = 0;
  int true_positives = 0;
  int false_negatives = 0;
  int false_positives = 0;
  double precision() const;
  double recall() const;
};

struct Score {
  std::map<std::string, ClassScore> classes;
  std::vector<std::string> misses;  // "file:line class: value" for failures, to fix the detector
};

Score score(const Scanner& scanner, const std::vector<Labelled>& corpus);

}  // namespace llmux::privacy::testing
