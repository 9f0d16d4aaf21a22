// OpenAI-compatible servers' quirks: llama.cpp's "timings" (with or without a usage
// object), vLLM's continuous usage stats (per-chunk token counts), servers that
// ignore stream_options (no usage at all is not an error).
#include <gtest/gtest.h>

#include "api/openai_codec.hpp"
#include "api/transcript.hpp"

namespace llmux::api {
namespace {

using Lines = std::vector<std::string>;

Result<Lines> decode(std::string_view bytes) {
  return test::decode_every_boundary([] { return openai::make_stream_decoder(EndpointKind::chat); }, bytes);
}

std::string chunk(std::string_view choices_and_more) {
  return R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":)" +
         std::string(choices_and_more) + "}\n\n";
}

const std::string kTimings =
    R"("timings":{"prompt_n":5,"prompt_ms":12.5,"prompt_per_token_ms":2.5,"prompt_per_second":400.0,"predicted_n":10,"predicted_ms":100.25,"predicted_per_token_ms":10.025,"predicted_per_second":99.75})";

TEST(OpenAiQuirks, LlamaCppTimingsJoinTheUsage) {
  std::string bytes = chunk(R"([{"index":0,"delta":{"content":"Hi"},"finish_reason":null}])") +
                      chunk(R"([{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"completion_tokens":10,"prompt_tokens":5,"total_tokens":15},)" + kTimings) +
                      "data: [DONE]\n\n";
  EXPECT_EQ(decode(bytes), (Lines{"content [Hi]", "finish stop",
                                  "usage prompt=5 completion=10 reasoning=0 cached=0 source=server timing=0/12500000/100250000/112750000"}));
}

TEST(OpenAiQuirks, LlamaCppTimingsWithoutUsageStillGiveServerCounts) {
  std::string bytes = chunk(R"([{"index":0,"delta":{"content":"Hi"},"finish_reason":null}])") +
                      chunk(R"([{"index":0,"delta":{},"finish_reason":"length"}],)" + kTimings) + "data: [DONE]\n\n";
  EXPECT_EQ(decode(bytes), (Lines{"content [Hi]", "finish length",
                                  "usage prompt=5 completion=10 reasoning=0 cached=0 source=server timing=0/12500000/100250000/112750000"}));
}

TEST(OpenAiQuirks, VllmContinuousUsageSaysHowManyTokensEachChunkCarried) {
  std::string bytes =
      chunk(R"([{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":7,"total_tokens":7,"completion_tokens":0})") +
      chunk(R"([{"index":0,"delta":{"content":" Hello"},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":7,"total_tokens":9,"completion_tokens":2})") +
      chunk(R"([{"index":0,"delta":{"content":"!"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":7,"total_tokens":10,"completion_tokens":3})") +
      chunk(R"([],"usage":{"prompt_tokens":7,"total_tokens":10,"completion_tokens":3})") + "data: [DONE]\n\n";
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "usage prompt=7 completion=0 reasoning=0 cached=0 source=server",
                                  "content [ Hello] tokens=2", "usage prompt=7 completion=2 reasoning=0 cached=0 source=server",
                                  "content [!] tokens=1", "finish stop",
                                  "usage prompt=7 completion=3 reasoning=0 cached=0 source=server",
                                  "usage prompt=7 completion=3 reasoning=0 cached=0 source=server"}));
}

TEST(OpenAiQuirks, ServerThatIgnoresStreamOptionsJustSendsNoUsage) {
  std::string bytes = chunk(R"([{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}])") + "data: [DONE]\n\n";
  EXPECT_EQ(decode(bytes), (Lines{"content [Hi]", "finish stop"}));
}

TEST(OpenAiQuirks, NonStreamedLlamaCppTimings) {
  auto r = openai::decode_response_body(
      R"({"choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],"model":"m",)" + kTimings + "}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->usage.completion_tokens, 10);
  EXPECT_EQ(r->usage.timing.eval_ns, 100250000);
}

}  // namespace
}  // namespace llmux::api
