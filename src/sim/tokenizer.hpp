#pragma once
// The sim's own tokenizer and text generator. Counting and generation agree
// exactly: every token the sim generates is one token to count_tokens, so
// /tokenize, usage and the streamed text tell the same story.
//
// A token is: an optional single leading space followed by a run of up to 8
// letters or digits, or by one other visible character; any other whitespace
// character is a token of its own.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmux::sim {

std::size_t count_tokens(std::string_view text);
// The text of each token, in order (the echo answer is made of these).
std::vector<std::string_view> token_pieces(std::string_view text);
// Token ids (stable hashes of the token text), for /tokenize.
std::vector<std::int64_t> token_ids(std::string_view text);
// A stable 64-bit hash of a text (FNV-1a): token ids, and the seed of a text's embedding.
std::uint64_t text_hash(std::string_view text);

// Deterministic generator of " word" tokens from a fixed vocabulary.
class TextGenerator {
 public:
  explicit TextGenerator(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  // The next token's text (" word", one token).
  std::string_view next();
  std::uint64_t next_u64();
  double next_unit();  // uniform [0, 1)

 private:
  std::uint64_t state_;
};

}  // namespace llmux::sim
