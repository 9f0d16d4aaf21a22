// g++ 12 miscompiles coroutines in two ways we hit:
//  - a co_await inside an if/while/switch condition, or as an operand of || and &&:
//    the coroutine later resumes at an invalid state (SIGILL/SIGSEGV);
//  - a ?: inside the full expression of a co_await: a temporary built in only one
//    branch is destroyed even when the other branch ran (free of a wild pointer).
// This test keeps both patterns out of the tree: compute into locals first.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/process.hpp"

namespace {

namespace fs = std::filesystem;

// The text with string and character literals blanked out.
std::string strip_literals(const std::string& s) {
  std::string out;
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else out += c;
  }
  return out;
}

// Violations in one file's text: "line: excerpt".
std::vector<std::string> violations(const std::string& text) {
  std::vector<std::string> out;
  auto line_of = [&](std::size_t pos) { return 1 + std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'); };
  for (const char* kw : {"if (", "while (", "switch ("}) {
    for (std::size_t pos = text.find(kw); pos != std::string::npos; pos = text.find(kw, pos + 1)) {
      if (pos > 0 && (std::isalnum(static_cast<unsigned char>(text[pos - 1])) || text[pos - 1] == '_')) continue;
      std::size_t open = text.find('(', pos), i = open + 1;
      int depth = 1;
      while (i < text.size() && depth > 0) {
        if (text[i] == '(') ++depth;
        if (text[i] == ')') --depth;
        ++i;
      }
      std::string cond = text.substr(open, i - open);
      if (cond.find("co_await") != std::string::npos)
        out.push_back(std::to_string(line_of(pos)) + ": " + std::string(kw) + cond.substr(1, 60));
    }
  }
  for (const char* op : {"|| co_await", "|| !co_await", "&& co_await", "&& !co_await", "? co_await"})
    for (std::size_t pos = text.find(op); pos != std::string::npos; pos = text.find(op, pos + 1))
      out.push_back(std::to_string(line_of(pos)) + ": " + op);
  for (std::size_t pos = text.find("co_await"); pos != std::string::npos; pos = text.find("co_await", pos + 1)) {
    std::string stmt = strip_literals(text.substr(pos, text.find(';', pos) - pos));
    if (stmt.find('?') != std::string::npos) out.push_back(std::to_string(line_of(pos)) + ": ?: in a co_await statement");
  }
  return out;
}

TEST(CoroutineLint, DetectorCatchesThePattern) {
  EXPECT_EQ(violations("if (!co_await f()) co_return;").size(), 1u);
  EXPECT_EQ(violations("while (co_await w.write(x)) {}").size(), 1u);
  EXPECT_EQ(violations("bool ok = a || co_await f();").size(), 1u);
  EXPECT_TRUE(violations("bool ok = co_await f();\nif (!ok) co_return;").empty());
  EXPECT_TRUE(violations("if (x) co_await f();").empty());
  EXPECT_EQ(violations("co_await send(a ? \"x\" : b + c);").size(), 1u);
  EXPECT_TRUE(violations("co_await send(\"what?\", 'x');").empty());
}

TEST(CoroutineLint, NoCoAwaitInsideConditions) {
  std::vector<std::string> found;
  for (const char* dir : {"src", "tests", "bench"}) {
    for (const auto& e : fs::recursive_directory_iterator(llmux::test::source_dir() + "/" + dir)) {
      auto ext = e.path().extension();
      if (ext != ".cpp" && ext != ".hpp") continue;
      if (e.path().filename() == "coroutine_lint_test.cpp") continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      for (const auto& v : violations(ss.str())) found.push_back(e.path().string() + ":" + v);
    }
  }
  std::string all;
  for (const auto& f : found) all += f + "\n";
  EXPECT_TRUE(found.empty()) << "co_await inside a condition (g++ 12 miscompiles it); bind it to a local:\n" << all;
}

}  // namespace
