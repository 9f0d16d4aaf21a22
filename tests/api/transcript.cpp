#include "api/transcript.hpp"

#include <gtest/gtest.h>

#include "api/stream_events.hpp"

namespace llmux::api::test {

Result<std::vector<std::string>> decode_shown(const DecoderFactory& make, const std::vector<std::string_view>& pieces) {
  auto dec = make();
  std::vector<StreamEvent> out;
  for (auto p : pieces)
    if (auto r = dec->feed(p, out); !r) return tl::unexpected(r.error());
  if (auto r = dec->finish(out); !r) return tl::unexpected(r.error());
  return show(out);
}

namespace {

std::string describe(const Result<std::vector<std::string>>& r) {
  if (!r) return "error " + std::string(to_string(r.error().code)) + ": " + r.error().message;
  std::string s;
  for (const auto& line : *r) s += line + "\n";
  return s;
}

}  // namespace

Result<std::vector<std::string>> decode_every_boundary(const DecoderFactory& make, std::string_view bytes) {
  auto whole = decode_shown(make, {bytes});
  std::string expected = describe(whole);
  for (std::size_t i = 0; i <= bytes.size(); ++i) {
    auto split = decode_shown(make, {bytes.substr(0, i), bytes.substr(i)});
    EXPECT_EQ(describe(split), expected) << "cut at byte " << i;
    if (describe(split) != expected) break;  // one report per transcript is enough
  }
  std::vector<std::string_view> bytewise;
  for (std::size_t i = 0; i < bytes.size(); ++i) bytewise.push_back(bytes.substr(i, 1));
  EXPECT_EQ(describe(decode_shown(make, bytewise)), expected) << "fed one byte at a time";
  return whole;
}

std::string encode_stream(const ServerCodec& codec, const ChatRequest& req, const std::vector<StreamEvent>& events,
                          ResponseMeta meta) {
  auto enc = codec.stream_encoder(req, std::move(meta));
  std::string out;
  for (const auto& e : events) enc->encode(e, out);
  enc->finish(out);
  return out;
}

}  // namespace llmux::api::test
