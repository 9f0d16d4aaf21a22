#include "privacy/corpus.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace llmux::privacy::testing {

namespace {

struct Span {
  std::size_t begin;
  std::size_t end;
  bool overlaps(std::size_t b, std::size_t e) const { return b < end && begin < e; }
};

// Where each labelled value sits in the text (successive occurrences for repeats).
std::vector<Span> locate(const std::string& text, const std::vector<std::string>& values) {
  std::vector<Span> spans;
  std::map<std::string, std::size_t> next;
  for (const auto& v : values) {
    std::size_t pos = text.find(v, next[v]);
    if (pos == std::string::npos) pos = text.find(v);
    spans.push_back(Span{pos, pos + v.size()});
    next[v] = pos + v.size();
  }
  return spans;
}

std::string where(const Labelled& l) { return l.file + ":" + std::to_string(l.line); }

}  // namespace

double ClassScore::precision() const {
  int predicted = true_positives + false_positives;
  return predicted == 0 ? 1.0 : double(true_positives) / predicted;
}

double ClassScore::recall() const { return labels == 0 ? 1.0 : double(true_positives) / labels; }

std::vector<Labelled> load_corpus(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  const char* root = std::getenv("LLMUX_SOURCE_DIR");  // a relocated checkout
  for (const auto& e : std::filesystem::directory_iterator(std::string(root ? root : LLMUX_SOURCE_DIR) +
                                                           "/tests/privacy/" + dir)) {
    if (e.path().extension() == ".jsonl") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Labelled> out;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.empty()) continue;
      auto j = nlohmann::json::parse(line);
      Labelled l{path.filename().string(), n, j.at("text").get<std::string>(), {}};
      for (const auto& [cls, values] : j.at("labels").items())
        l.labels[cls] = values.get<std::vector<std::string>>();
      out.push_back(std::move(l));
    }
  }
  return out;
}

Score score(const Scanner& scanner, const std::vector<Labelled>& corpus) {
  Score s;
  for (const auto& name : builtin_class_names()) s.classes[name];
  for (const auto& l : corpus) {
    auto findings = scanner.scan(l.text);
    for (auto& [cls, cs] : s.classes) {
      auto it = l.labels.find(cls);
      std::vector<Span> expected = it == l.labels.end() ? std::vector<Span>{} : locate(l.text, it->second);
      cs.texts += expected.empty() ? 0 : 1;
      cs.labels += static_cast<int>(expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        bool found = std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
          return f.class_name == cls && expected[i].overlaps(f.begin, f.end);
        });
        (found ? cs.true_positives : cs.false_negatives) += 1;
        if (!found) s.misses.push_back(where(l) + " missed " + cls + ": " + it->second[i]);
      }
      for (const auto& f : findings) {
        if (f.class_name != cls) continue;
        bool labelled = std::any_of(expected.begin(), expected.end(),
                                    [&](const Span& e) { return e.overlaps(f.begin, f.end); });
        if (labelled) continue;
        ++cs.false_positives;
        s.misses.push_back(where(l) + " false " + cls + ": " + l.text.substr(f.begin, f.end - f.begin));
      }
    }
  }
  return s;
}

}  // namespace llmux::privacy::testing
