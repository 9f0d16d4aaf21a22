// LineSplitter (NDJSON framing, as Ollama streams) at every chunk boundary.
#include "net/line_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmux::net {
namespace {

Result<std::vector<std::string>> split_pieces(const std::vector<std::string_view>& pieces,
                                              std::size_t limit = 4u << 20) {
  LineSplitter s(limit);
  std::vector<std::string> lines;
  auto keep = [&](std::string_view l) { lines.emplace_back(l); };
  for (auto p : pieces)
    if (auto r = s.feed(p, keep); !r) return tl::unexpected(r.error());
  s.finish(keep);
  return lines;
}

// An Ollama /api/chat stream, CRLF on one line, and no newline after the last line.
const std::string kOllama =
    "{\"model\":\"llama3.2\",\"created_at\":\"2024-09-22T10:00:00Z\",\"message\":{\"role\":\"assistant\","
    "\"content\":\"Hel\"},\"done\":false}\n"
    "{\"model\":\"llama3.2\",\"created_at\":\"2024-09-22T10:00:00Z\",\"message\":{\"role\":\"assistant\","
    "\"content\":\"lo\"},\"done\":false}\r\n"
    "\n"
    "{\"model\":\"llama3.2\",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":2}";

const std::vector<std::string> kOllamaLines = {
    "{\"model\":\"llama3.2\",\"created_at\":\"2024-09-22T10:00:00Z\",\"message\":{\"role\":\"assistant\","
    "\"content\":\"Hel\"},\"done\":false}",
    "{\"model\":\"llama3.2\",\"created_at\":\"2024-09-22T10:00:00Z\",\"message\":{\"role\":\"assistant\","
    "\"content\":\"lo\"},\"done\":false}",
    "{\"model\":\"llama3.2\",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":2}",
};

TEST(LineSplitter, SplitsLinesStripsCrAndSkipsBlankLines) {
  auto r = split_pieces({kOllama});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, kOllamaLines);
}

TEST(LineSplitter, EveryChunkBoundaryGivesTheSameLines) {
  std::string_view all = kOllama;
  for (std::size_t cut = 0; cut <= all.size(); ++cut) {
    auto r = split_pieces({all.substr(0, cut), all.substr(cut)});
    ASSERT_TRUE(r) << "cut at " << cut;
    ASSERT_EQ(*r, kOllamaLines) << "cut at " << cut;
  }
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < all.size(); ++i) bytes.push_back(all.substr(i, 1));
  auto r = split_pieces(bytes);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, kOllamaLines);
}

TEST(LineSplitter, LastLineWithoutNewlineComesOutOnlyAtFinish) {
  LineSplitter s;
  std::vector<std::string> lines;
  auto keep = [&](std::string_view l) { lines.emplace_back(l); };
  ASSERT_TRUE(s.feed("a\nb", keep));
  EXPECT_EQ(lines, std::vector<std::string>{"a"});
  s.finish(keep);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "b"}));
}

TEST(LineSplitter, LineOverTheLimitIsALimitErrorWhateverTheChunking) {
  std::string big = std::string(100, 'x') + "\nok\n";
  std::string_view all = big;
  auto whole = split_pieces({all}, 64);
  ASSERT_FALSE(whole);
  EXPECT_EQ(whole.error().code, ErrorCode::limit);
  for (std::size_t cut : {1u, 50u, 70u, 100u}) {
    auto r = split_pieces({all.substr(0, cut), all.substr(cut)}, 64);
    ASSERT_FALSE(r) << "cut at " << cut;
    EXPECT_EQ(r.error().code, ErrorCode::limit);
  }
}

TEST(LineSplitter, LineAtTheLimitPassesWithItsCrlf) {
  std::string line(64, 'y');
  for (std::string_view end : {"\n", "\r\n"}) {
    std::string s = line + std::string(end);
    std::string_view all = s;
    for (std::size_t cut = 0; cut <= all.size(); ++cut) {
      auto r = split_pieces({all.substr(0, cut), all.substr(cut)}, 64);
      ASSERT_TRUE(r) << "cut at " << cut << ": " << r.error().describe();
      EXPECT_EQ(*r, std::vector<std::string>{line});
    }
  }
}

}  // namespace
}  // namespace llmux::net
