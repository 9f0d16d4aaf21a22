// OpenAI streaming: encoder golden bytes, encoder -> decoder round trips for every
// event kind, and recorded-style transcripts decoded at every chunk boundary.
#include <gtest/gtest.h>

#include "api/openai_codec.hpp"
#include "api/stream_events.hpp"

namespace llmux::api {
namespace {

using test::decode_all;
using test::decode_pieces;
using test::show;

Usage server_usage(std::int64_t prompt, std::int64_t completion, std::int64_t reasoning,
                   std::int64_t cached) {
  return Usage{prompt, completion, reasoning, cached, Usage::Source::server};
}

ChatRequest stream_request(EndpointKind endpoint = EndpointKind::chat, bool include_usage = true) {
  ChatRequest r;
  r.endpoint = endpoint;
  r.model = "gpt-4o-mini";
  r.stream = true;
  r.include_usage = include_usage;
  return r;
}

std::string encode(const std::vector<StreamEvent>& events, const ChatRequest& req, bool annotate = false,
                   ResponseMeta meta = {"chatcmpl-123", "gpt-4o-mini", 1694268190}) {
  openai::ServerCodecImpl codec(annotate);
  auto enc = codec.stream_encoder(req, std::move(meta));
  std::string out;
  for (const auto& e : events) enc->encode(e, out);
  enc->finish(out);
  return out;
}

const std::string kHead =
    R"(data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":)";

// Golden bytes, in the shape of the Chat Completions streaming reference (llmux leaves
// out the optional system_fingerprint and logprobs members).
TEST(OpenAiStreamEncoder, GoldenChatChunks) {
  auto bytes =
      encode({StreamEvent::role_started(), StreamEvent::content("Hello"), StreamEvent::content(" \"world\"\n"),
              StreamEvent::finished(FinishReason::stop), StreamEvent::usage_of(server_usage(9, 12, 0, 0))},
             stream_request());
  EXPECT_EQ(bytes, kHead +
                       R"([{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})"
                       "\n\n" +
                       kHead +
                       R"([{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]})"
                       "\n\n" +
                       kHead +
                       R"([{"index":0,"delta":{"content":" \"world\"\n"},"finish_reason":null}]})"
                       "\n\n" +
                       kHead +
                       R"([{"index":0,"delta":{},"finish_reason":"stop"}]})"
                       "\n\n" +
                       kHead +
                       R"([],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}})"
                       "\n\n"
                       "data: [DONE]\n\n");
}

TEST(OpenAiStreamEncoder, GoldenToolCallAndReasoningChunks) {
  auto bytes = encode(
      {StreamEvent::reasoning("Let me think"), StreamEvent::tool_call(0, "call_abc", "get_weather", ""),
       StreamEvent::tool_call(0, "", "", "{\"location\":\""), StreamEvent::tool_call(0, "", "", "Paris\"}"),
       StreamEvent::finished(FinishReason::tool_calls), StreamEvent::usage_of(server_usage(80, 40, 12, 64))},
      stream_request());
  EXPECT_EQ(
      bytes,
      kHead +
          R"([{"index":0,"delta":{"reasoning_content":"Let me think"},"finish_reason":null}]})"
          "\n\n" +
          kHead +
          R"([{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]})"
          "\n\n" +
          kHead +
          R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"location\":\""}}]},"finish_reason":null}]})"
          "\n\n" +
          kHead +
          R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"Paris\"}"}}]},"finish_reason":null}]})"
          "\n\n" +
          kHead +
          R"([{"index":0,"delta":{},"finish_reason":"tool_calls"}]})"
          "\n\n" +
          kHead +
          R"([],"usage":{"prompt_tokens":80,"completion_tokens":40,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":64},"completion_tokens_details":{"reasoning_tokens":12}}})"
          "\n\n"
          "data: [DONE]\n\n");
}

TEST(OpenAiStreamEncoder, GoldenErrorChunk) {
  auto bytes = encode({StreamEvent::failure(ApiError{0, "server_error", "", "The server had an error"})},
                      stream_request());
  EXPECT_EQ(bytes,
            "data: {\"error\":{\"message\":\"The server had an "
            "error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"
            "data: [DONE]\n\n");
}

TEST(OpenAiStreamEncoder, GoldenLegacyCompletionChunks) {
  auto bytes = encode(
      {StreamEvent::role_started(), StreamEvent::content("This"), StreamEvent::finished(FinishReason::length)},
      stream_request(EndpointKind::completion), false, {"cmpl-7iA7", "gpt-3.5-turbo-instruct", 1690759702});
  const std::string head =
      R"(data: {"id":"cmpl-7iA7","object":"text_completion","created":1690759702,"model":"gpt-3.5-turbo-instruct","choices":)";
  EXPECT_EQ(bytes, head +
                       R"([{"index":0,"text":"This","logprobs":null,"finish_reason":null}]})"
                       "\n\n" +
                       head +
                       R"([{"index":0,"text":"","logprobs":null,"finish_reason":"length"}]})"
                       "\n\n"
                       "data: [DONE]\n\n");
}

TEST(OpenAiStreamEncoder, UsageIsSentOnlyWhenTheClientAskedForIt) {
  auto bytes = encode({StreamEvent::content("x"), StreamEvent::usage_of(server_usage(1, 1, 0, 0))},
                      stream_request(EndpointKind::chat, false));
  EXPECT_EQ(bytes.find("usage"), std::string::npos) << bytes;
  EXPECT_EQ(openai::ServerCodecImpl().stream_encoder(stream_request(), {})->content_type(),
            "text/event-stream");
}

TEST(OpenAiStreamEncoder, AnnotatedChunksCarryTokensAndServerTime) {
  auto e = StreamEvent::content("ab", 2);
  e.server_time_ns = 123456789;
  auto bytes = encode({e}, stream_request(), true);
  EXPECT_NE(bytes.find(R"("finish_reason":null}],"llmux":{"tokens":2,"t":123456789}})"), std::string::npos)
      << bytes;
}

// Every event kind, encoded then decoded, comes back the same.
std::vector<StreamEvent> every_kind() {
  return {StreamEvent::role_started(),
          StreamEvent::reasoning("Thinking about \"it\"\n"),
          StreamEvent::content("Hello, "),
          StreamEvent::content("wörld ✓\t{}"),
          StreamEvent::tool_call(0, "call_a", "get_weather", ""),
          StreamEvent::tool_call(0, "", "", "{\"city\":"),
          StreamEvent::tool_call(0, "", "", "\"Paris\"}"),
          StreamEvent::tool_call(1, "call_b", "get_time", "{}"),
          StreamEvent::finished(FinishReason::tool_calls),
          StreamEvent::usage_of(server_usage(120, 48, 30, 64))};
}

TEST(OpenAiStreamRoundTrip, EveryEventKindSurvives) {
  auto events = every_kind();
  auto decoded = decode_all(EndpointKind::chat, encode(events, stream_request()));
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(show(*decoded), show(events));
}

TEST(OpenAiStreamRoundTrip, EveryFinishReasonSurvives) {
  for (auto f : {FinishReason::stop, FinishReason::length, FinishReason::tool_calls,
                 FinishReason::content_filter, FinishReason::error}) {
    auto decoded = decode_all(EndpointKind::chat, encode({StreamEvent::finished(f)}, stream_request()));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(show(*decoded), show(std::vector<StreamEvent>{StreamEvent::finished(f)}));
  }
}

TEST(OpenAiStreamRoundTrip, ErrorEventSurvivesAndEndsTheStreamCleanly) {
  std::vector<StreamEvent> events = {
      StreamEvent::content("partial"),
      StreamEvent::failure(ApiError{0, "server_error", "overloaded", "Try again"})};
  std::string bytes = encode(events, stream_request());
  auto decoded = decode_all(EndpointKind::chat, bytes);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(show(*decoded), show(events));
  // An upstream that sends the error and hangs up without [DONE] is still an error event, not a cut.
  auto no_done = decode_all(EndpointKind::chat, bytes.substr(0, bytes.rfind("data: [DONE]")));
  ASSERT_TRUE(no_done) << no_done.error().describe();
  EXPECT_EQ(show(*no_done), show(events));
}

TEST(OpenAiStreamRoundTrip, AnnotationsCarryTokenCountsAndTimes) {
  auto events = every_kind();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == StreamEvent::Kind::usage) continue;  // the usage chunk is not annotated
    events[i].server_time_ns = 1000 + static_cast<std::int64_t>(i);
    if (events[i].is_token()) events[i].tokens = static_cast<int>(i % 3) + 1;
  }
  auto decoded = decode_all(EndpointKind::chat, encode(events, stream_request(), true));
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(show(*decoded), show(events));
}

TEST(OpenAiStreamRoundTrip, LegacyCompletionsStream) {
  std::vector<StreamEvent> events = {StreamEvent::content("Once"), StreamEvent::content(" upon\n"),
                                     StreamEvent::finished(FinishReason::length),
                                     StreamEvent::usage_of(server_usage(5, 2, 0, 0))};
  auto decoded =
      decode_all(EndpointKind::completion, encode(events, stream_request(EndpointKind::completion)));
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(show(*decoded), show(events));
}

struct Transcript {
  const char* name;
  EndpointKind endpoint;
  std::string bytes;
  std::vector<std::string> events;  // show() of each expected event
};

std::string sse(const std::vector<std::string>& data, std::string_view eol = "\n") {
  std::string out;
  for (const auto& d : data) out += "data: " + d + std::string(eol) + std::string(eol);
  return out;
}

// OpenAI, parallel tool calls with arguments split mid-token, usage with cached tokens.
Transcript openai_tools() {
  const std::string h =
      R"({"id":"chatcmpl-A1","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_7568d46099","choices":)";
  const std::string tail = R"(,"logprobs":null,"finish_reason":null}],"usage":null})";
  return {
      "openai tools",
      EndpointKind::chat,
      sse({h + R"([{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_P","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null})" +
               tail,
           h + R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]})" + tail,
           h + R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\": \"Paris\"}"}}]})" +
               tail,
           h + R"([{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_T","type":"function","function":{"name":"get_weather","arguments":""}}]})" +
               tail,
           h + R"([{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"city\": \"Tokyo\"}"}}]})" +
               tail,
           h + R"([{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null})",
           h + R"([],"usage":{"prompt_tokens":80,"completion_tokens":40,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}})",
           "[DONE]"}),
      {"role_start", "tool_call #0 id=call_P name=get_weather args=[]", "tool_call #0 id= name= args=[{\"ci]",
       "tool_call #0 id= name= args=[ty\": \"Paris\"}]", "tool_call #1 id=call_T name=get_weather args=[]",
       "tool_call #1 id= name= args=[{\"city\": \"Tokyo\"}]", "finish tool_calls",
       "usage prompt=80 completion=40 reasoning=0 cached=64 source=server"}};
}

// DeepSeek / vLLM reasoning parser: reasoning_content, then content, usage in the last choice chunk.
Transcript reasoning_stream() {
  const std::string h =
      R"({"id":"c2","object":"chat.completion.chunk","created":1727000002,"model":"deepseek-reasoner","choices":)";
  return {
      "reasoning",
      EndpointKind::chat,
      sse({h + R"([{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]})",
           h + R"([{"index":0,"delta":{"content":null,"reasoning_content":"Two plus"},"logprobs":null,"finish_reason":null}]})",
           h + R"([{"index":0,"delta":{"content":null,"reasoning_content":" two…"},"logprobs":null,"finish_reason":null}]})",
           h + R"([{"index":0,"delta":{"content":"Answer: 4","reasoning_content":null},"logprobs":null,"finish_reason":null}]})",
           h + R"([{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"completion_tokens_details":{"reasoning_tokens":3}}})",
           "[DONE]"}),
      {"role_start", "reasoning [Two plus]", "reasoning [ two…]", "content [Answer: 4]", "finish length",
       "usage prompt=10 completion=5 reasoning=3 cached=0 source=server"}};
}

// llama.cpp server: keys in another order, keep-alive comments, CRLF line ends.
Transcript llamacpp_stream() {
  std::string bytes =
      ": keep-alive\r\n\r\n" +
      sse({R"({"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1727000003,"id":"chatcmpl-x","model":"qwen2.5","system_fingerprint":"b4000","object":"chat.completion.chunk"})",
           R"({"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Hi"}}],"created":1727000003,"id":"chatcmpl-x","model":"qwen2.5","object":"chat.completion.chunk"})"},
          "\r\n") +
      ": keep-alive\r\n\r\n" +
      sse({R"({"choices":[{"finish_reason":null,"index":0,"delta":{"content":" there\r\n"}}],"created":1727000003,"id":"chatcmpl-x","model":"qwen2.5","object":"chat.completion.chunk"})",
           R"({"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1727000003,"id":"chatcmpl-x","model":"qwen2.5","object":"chat.completion.chunk","usage":{"completion_tokens":3,"prompt_tokens":7,"total_tokens":10},"timings":{"predicted_ms":12.5}})",
           "[DONE]"},
          "\r\n");
  return {"llama.cpp",
          EndpointKind::chat,
          bytes,
          {"role_start", "content [Hi]", "content [ there\r\n]", "finish stop",
           // llama.cpp's timings ride along as the server's own timing
           "usage prompt=7 completion=3 reasoning=0 cached=0 source=server timing=0/0/12500000/12500000"}};
}

// Legacy /v1/completions, from the API reference's streaming example.
Transcript legacy_completion() {
  const std::string a =
      R"({"id":"cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe","object":"text_completion","created":1690759702,"choices":[{"text":)";
  const std::string b = R"(,"index":0,"logprobs":null,"finish_reason":)";
  const std::string c = R"(}],"model":"gpt-3.5-turbo-instruct","system_fingerprint":"fp_44709d6fcb"})";
  return {"legacy completion",
          EndpointKind::completion,
          sse({a + R"("This")" + b + "null" + c, a + R"(" is")" + b + "null" + c,
               a + R"(" a test")" + b + "null" + c, a + R"("")" + b + R"("length")" + c, "[DONE]"}),
          {"content [This]", "content [ is]", "content [ a test]", "finish length"}};
}

std::vector<Transcript> transcripts() {
  return {openai_tools(), reasoning_stream(), llamacpp_stream(), legacy_completion()};
}

TEST(OpenAiStreamDecoder, TranscriptsDecodeToTheRecordedEvents) {
  for (const auto& t : transcripts()) {
    auto r = decode_all(t.endpoint, t.bytes);
    ASSERT_TRUE(r) << t.name << ": " << r.error().describe();
    EXPECT_EQ(show(*r), t.events) << t.name;
  }
}

TEST(OpenAiStreamDecoder, EveryChunkBoundaryGivesTheSameEvents) {
  for (const auto& t : transcripts()) {
    std::string_view all = t.bytes;
    for (std::size_t cut = 0; cut <= all.size(); ++cut) {
      auto r = decode_pieces(t.endpoint, {all.substr(0, cut), all.substr(cut)});
      ASSERT_TRUE(r) << t.name << " cut at " << cut << ": " << r.error().describe();
      ASSERT_EQ(show(*r), t.events) << t.name << " cut at " << cut;
    }
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < all.size(); ++i) bytes.push_back(all.substr(i, 1));
    auto r = decode_pieces(t.endpoint, bytes);
    ASSERT_TRUE(r) << t.name << " byte by byte: " << r.error().describe();
    EXPECT_EQ(show(*r), t.events) << t.name << " byte by byte";
  }
}

TEST(OpenAiStreamDecoder, StreamWithoutDoneIsStreamCut) {
  auto t = openai_tools();
  std::string cut_after_finish = t.bytes.substr(0, t.bytes.find("data: [DONE]"));
  auto r = decode_all(EndpointKind::chat, cut_after_finish);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::stream_cut);
  EXPECT_NE(r.error().message.find("[DONE]"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("after a finish_reason"), std::string::npos) << r.error().message;

  std::string cut_early = t.bytes.substr(0, t.bytes.find("\n\n") + 2);
  r = decode_all(EndpointKind::chat, cut_early);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::stream_cut);
  EXPECT_NE(r.error().message.find("without a finish_reason"), std::string::npos) << r.error().message;

  r = decode_all(EndpointKind::chat, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::stream_cut);
}

TEST(OpenAiStreamDecoder, EventsSeenBeforeACutAreStillDelivered) {
  auto dec = openai::make_stream_decoder(EndpointKind::chat);
  std::vector<StreamEvent> out;
  ASSERT_TRUE(dec->feed(R"(data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]})"
                        "\n\n",
                        out));
  EXPECT_EQ(show(out), std::vector<std::string>{"content [Hel]"});
  EXPECT_FALSE(dec->finish(out));
  EXPECT_EQ(out.size(), 1u);
}

TEST(OpenAiStreamDecoder, NonJsonChunkIsMalformed) {
  for (const char* bad : {"data: {not json}\n\n", "data: <html>502</html>\n\n", "data: [1,2]\n\n",
                          "data: {\"choices\":[\"x\"]}\n\n"}) {
    auto r = decode_all(EndpointKind::chat, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::malformed) << bad << ": " << r.error().describe();
  }
}

TEST(OpenAiStreamDecoder, ErrorChunkMidStreamIsAnErrorEvent) {
  auto r = decode_all(
      EndpointKind::chat,
      R"(data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]})"
      "\n\n"
      R"(data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}})"
      "\n\n");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(show(*r), (std::vector<std::string>{"content [Hel]",
                                                "error status=0 type=server_error code= message=The server "
                                                "had an error while processing your request."}));
}

TEST(OpenAiStreamDecoder, ContentMentioningErrorIsStillContent) {
  auto r = decode_all(
      EndpointKind::chat,
      R"(data: {"choices":[{"index":0,"delta":{"content":"\"error\": none"},"finish_reason":"error"}],"error":null})"
      "\n\n"
      "data: [DONE]\n\n");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(show(*r), (std::vector<std::string>{"content [\"error\": none]", "finish error"}));
}

// The decoder reads each chunk's members in one pass; a repeated key still means its first
// occurrence (as simdjson's at_key, and most JSON readers, have it), and a member of the wrong
// type counts as absent, not as an error.
TEST(OpenAiStreamDecoder, RepeatedOrMistypedMembersReadAsBefore) {
  auto r = decode_all(
      EndpointKind::chat,
      R"(data: {"choices":[{"index":0,"delta":{"content":"a","content":"b","role":7}}],"choices":[],"usage":"n/a"})"
      "\n\n"
      R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop","finish_reason":"length"}]})"
      "\n\n"
      "data: [DONE]\n\n");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(show(*r), (std::vector<std::string>{"content [a]", "finish stop"}));
}

TEST(OpenAiStreamDecoder, DoneWithoutItsBlankLineStillEndsTheStream) {
  auto r = decode_all(EndpointKind::chat, R"(data: {"choices":[{"index":0,"delta":{"content":"a"}}]})"
                                          "\n\n"
                                          "data: [DONE]");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(show(*r), std::vector<std::string>{"content [a]"});
}

TEST(OpenAiStreamDecoder, AnythingAfterDoneIsIgnored) {
  auto r = decode_all(EndpointKind::chat, "data: [DONE]\n\ndata: {not even json}\n\n");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->empty());
}

TEST(OpenAiStreamDecoder, RoleIsReportedOnceAndEmptyDeltasCarryNothing) {
  auto r = decode_all(EndpointKind::chat,
                      R"(data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"
                      "\n\n"
                      R"(data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"a"}}]})"
                      "\n\n"
                      R"(data: {"choices":[{"index":0,"delta":{"content":""}}]})"
                      "\n\n"
                      R"(data: {"choices":[]})"
                      "\n\n"
                      "data: [DONE]\n\n");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(show(*r), (std::vector<std::string>{"role_start", "content [a]"}));
}

}  // namespace
}  // namespace llmux::api
