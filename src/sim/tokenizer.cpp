#include "sim/tokenizer.hpp"

#include <array>

namespace llmux::sim {

namespace {

bool is_word_char(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80; }
bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

constexpr std::size_t kMaxWordRun = 8;

// Calls f(start, length) for each token.
template <class F>
void for_each_token(std::string_view s, F&& f) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    std::size_t start = i;
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' && i + 1 < n && !is_space(static_cast<unsigned char>(s[i + 1]))) ++i;  // leading space joins
    else if (is_space(c)) {
      f(start, std::size_t{1});
      ++i;
      continue;
    }
    if (is_word_char(static_cast<unsigned char>(s[i]))) {
      std::size_t run = 0;
      while (i < n && run < kMaxWordRun && is_word_char(static_cast<unsigned char>(s[i]))) ++i, ++run;
    } else {
      ++i;
    }
    f(start, i - start);
  }
}

constexpr std::array<std::string_view, 64> kVocab = {
    " the", " model", " runs", " on", " local", " hardware", " and", " cloud", " tokens", " cost",
    " latency", " is", " low", " when", " batch", " size", " grows", " memory", " bound", " decode",
    " prefill", " cache", " of", " keys", " values", " a", " GPU", " with", " fast", " speed",
    " answer", " quickly", " to", " users", " who", " ask", " about", " data", " privacy", " rules",
    " stay", " inside", " network", " budget", " limits", " hold", " under", " load", " stream",
    " events", " arrive", " in", " order", " we", " measure", " each", " one", " closely", " for",
    " every", " request", " sent", " here", "."};

}  // namespace

std::size_t count_tokens(std::string_view text) {
  std::size_t n = 0;
  for_each_token(text, [&](std::size_t, std::size_t) { ++n; });
  return n;
}

std::vector<std::string_view> token_pieces(std::string_view text) {
  std::vector<std::string_view> out;
  for_each_token(text, [&](std::size_t start, std::size_t len) { out.push_back(text.substr(start, len)); });
  return out;
}

std::uint64_t text_hash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::vector<std::int64_t> token_ids(std::string_view text) {
  std::vector<std::int64_t> ids;
  for_each_token(text, [&](std::size_t start, std::size_t len) {
    ids.push_back(static_cast<std::int64_t>(text_hash(text.substr(start, len)) % 128000));
  });
  return ids;
}

std::uint64_t TextGenerator::next_u64() {
  // splitmix64
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double TextGenerator::next_unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

std::string_view TextGenerator::next() { return kVocab[next_u64() % kVocab.size()]; }

}  // namespace llmux::sim
