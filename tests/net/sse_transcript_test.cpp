// Recorded-style event streams (OpenAI, Anthropic, vLLM, an sse-starlette server with
// CRLF and keep-alive comments) give the same events however the bytes are chunked.
#include <gtest/gtest.h>

#include "net/sse_collect.hpp"

namespace llmux::net {
namespace {

using test::Got;
using test::msg;

struct Transcript {
  const char* name;
  std::string bytes;
  std::vector<Got> events;
};

// OpenAI chat.completions with stream_options.include_usage, as the API sends it.
Transcript openai_transcript() {
  const std::string head =
      R"({"id":"chatcmpl-9xQ","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_e2bde53e6e","choices":)";
  std::vector<std::string> data = {
      head +
          R"([{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null})",
      head +
          R"([{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null})",
      head +
          R"([{"index":0,"delta":{"content":"! How"},"logprobs":null,"finish_reason":null}],"usage":null})",
      head +
          R"([{"index":0,"delta":{"content":" can I help?\n\nÜñïçødé ✓"},"logprobs":null,"finish_reason":null}],"usage":null})",
      head + R"([{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null})",
      head +
          R"([],"usage":{"prompt_tokens":9,"completion_tokens":6,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}})",
      "[DONE]",
  };
  Transcript t{"openai", {}, {}};
  for (const auto& d : data) {
    t.bytes += "data: " + d + "\n\n";
    t.events.push_back(msg(d));
  }
  return t;
}

// Anthropic messages stream: named events, a ping, an error-free message_stop.
Transcript anthropic_transcript() {
  std::vector<std::pair<std::string, std::string>> ev = {
      {"message_start",
       R"({"type":"message_start","message":{"id":"msg_01XFD","type":"message","role":"assistant","content":[],"model":"claude-3-5-sonnet-20241022","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}})"},
      {"content_block_start",
       R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"},
      {"ping", R"({"type": "ping"})"},
      {"content_block_delta",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}})"},
      {"content_block_delta",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!\n"}})"},
      {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
      {"message_delta",
       R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}})"},
      {"message_stop", R"({"type":"message_stop"})"},
  };
  Transcript t{"anthropic", {}, {}};
  for (const auto& [type, data] : ev) {
    t.bytes += "event: " + type + "\ndata: " + data + "\n\n";
    t.events.push_back(msg(data, type));
  }
  return t;
}

// vLLM: tool-call deltas with arguments split mid-token, no usage, then [DONE].
Transcript vllm_transcript() {
  const std::string head =
      R"({"id":"chatcmpl-b1c","object":"chat.completion.chunk","created":1727000001,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":)";
  std::vector<std::string> data = {
      head +
          R"([{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})",
      head +
          R"([{"index":0,"delta":{"tool_calls":[{"id":"chatcmpl-tool-1","type":"function","index":0,"function":{"name":"get_weather"}}]},"logprobs":null,"finish_reason":null}]})",
      head +
          R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \"Par"}}]},"logprobs":null,"finish_reason":null}]})",
      head +
          R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"is\"}"}}]},"logprobs":null,"finish_reason":null}]})",
      head +
          R"([{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"tool_calls","stop_reason":128008}]})",
      "[DONE]",
  };
  Transcript t{"vllm", {}, {}};
  for (const auto& d : data) {
    t.bytes += "data: " + d + "\n\n";
    t.events.push_back(msg(d));
  }
  return t;
}

// An sse-starlette server (llama-cpp-python, many Python gateways): CRLF line ends,
// "event:"-less data, ": ping" keep-alive comments between events, ids, retry.
Transcript starlette_transcript() {
  Transcript t{"sse-starlette", {}, {}};
  t.bytes =
      ": ping - 2024-09-22 10:00:00.000000\r\n\r\n"
      "retry: 15000\r\nid: 1\r\ndata: {\"choices\":[{\"text\":\"Once\"}]}\r\n\r\n"
      ": ping - 2024-09-22 10:00:15.000000\r\n\r\n"
      "id: 2\r\ndata: {\"choices\":[{\"text\":\" upon\"}]}\r\n\r\n"
      "data: {\"multi\":\r\ndata: \"line\"}\r\n\r\n"
      "data: [DONE]\r\n\r\n";
  t.events = {
      Got{"message", R"({"choices":[{"text":"Once"}]})", "1", 15000},
      Got{"message", R"({"choices":[{"text":" upon"}]})", "2", std::nullopt},
      Got{"message", "{\"multi\":\n\"line\"}", "2", std::nullopt},
      Got{"message", "[DONE]", "2", std::nullopt},
  };
  return t;
}

// Same stream with a BOM and old-Mac CR line ends.
Transcript bom_cr_transcript() {
  Transcript t{"bom+cr", {}, {}};
  t.bytes =
      "\xEF\xBB\xBF"
      "event: a\rdata: 1\r\rdata: 2\rdata: 3\r\r";
  t.events = {msg("1", "a"), msg("2\n3")};
  return t;
}

std::vector<Transcript> transcripts() {
  return {openai_transcript(), anthropic_transcript(), vllm_transcript(), starlette_transcript(),
          bom_cr_transcript()};
}

TEST(SseTranscripts, WholeStreamGivesTheRecordedEvents) {
  for (const auto& t : transcripts()) {
    auto r = test::parse_whole(t.bytes);
    ASSERT_TRUE(r) << t.name << ": " << r.error().describe();
    EXPECT_EQ(*r, t.events) << t.name;
  }
}

TEST(SseTranscripts, EveryTwoPieceSplitGivesTheSameEvents) {
  for (const auto& t : transcripts()) {
    std::string_view all = t.bytes;
    for (std::size_t cut = 0; cut <= all.size(); ++cut) {
      auto r = test::parse_pieces({all.substr(0, cut), all.substr(cut)});
      ASSERT_TRUE(r) << t.name << " cut at " << cut << ": " << r.error().describe();
      ASSERT_EQ(*r, t.events) << t.name << " cut at " << cut;
    }
  }
}

TEST(SseTranscripts, ByteByByteGivesTheSameEvents) {
  for (const auto& t : transcripts()) {
    auto r = test::parse_pieces(test::bytewise(t.bytes));
    ASSERT_TRUE(r) << t.name << ": " << r.error().describe();
    EXPECT_EQ(*r, t.events) << t.name;
  }
}

TEST(SseTranscripts, EventsArriveAsSoonAsTheirBlankLineDoes) {
  // A client showing tokens live must see each event when its terminating blank line
  // arrives, not when the next bytes or the end of stream do.
  auto t = openai_transcript();
  SseParser p;
  std::size_t seen = 0;
  auto count = [&](const SseEvent&) { ++seen; };
  std::string_view rest = t.bytes;
  std::size_t expected = 0;
  while (!rest.empty()) {
    auto end = rest.find("\n\n");
    ASSERT_NE(end, std::string_view::npos);
    ASSERT_TRUE(p.feed(rest.substr(0, end + 2), count));
    EXPECT_EQ(seen, ++expected);
    rest.remove_prefix(end + 2);
  }
}

}  // namespace
}  // namespace llmux::net
