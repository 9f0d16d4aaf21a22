// OpenAI whole responses, error bodies and finish reasons.
#include <gtest/gtest.h>

#include "api/openai_codec.hpp"
#include "api/stream_events.hpp"

namespace llmux::api {
namespace {

using openai::decode_error_body;
using openai::decode_response_body;
using openai::encode_error_body;
using openai::encode_response_body;
using test::show;

ChatResponse hello_response() {
  ChatResponse r;
  r.id = "chatcmpl-123";
  r.model = "gpt-4o-mini";
  r.created = 1677652288;
  r.message = Message::of_text(Role::assistant, "\n\nHello there, how may I assist you today?");
  r.finish = FinishReason::stop;
  r.usage.prompt_tokens = 9;
  r.usage.completion_tokens = 12;
  r.usage.source = Usage::Source::server;
  return r;
}

TEST(OpenAiResponse, EncodesTheReferenceShape) {
  EXPECT_EQ(
      encode_response_body(hello_response(), EndpointKind::chat),
      R"({"id":"chatcmpl-123","object":"chat.completion","created":1677652288,"model":"gpt-4o-mini",)"
      R"("choices":[{"index":0,"message":{"role":"assistant","content":"\n\nHello there, how may I assist you today?"},)"
      R"("finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}})");
}

TEST(OpenAiResponse, DecodesTheReferenceExample) {
  auto r = decode_response_body(R"({
    "id": "chatcmpl-123", "object": "chat.completion", "created": 1677652288, "model": "gpt-4o-mini",
    "system_fingerprint": "fp_44709d6fcb",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "\n\nHello there, how may I assist you today?",
                 "refusal": null}, "logprobs": null, "finish_reason": "stop"}],
    "service_tier": "default",
    "usage": {"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21,
              "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 0, "accepted_prediction_tokens": 0,
                                            "rejected_prediction_tokens": 0}}
  })");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(show(*r), show(hello_response()));
}

TEST(OpenAiResponse, RoundTripsReasoningToolCallsAndDetailedUsage) {
  ChatResponse in;
  in.id = "chatcmpl-9";
  in.model = "deepseek-r1";
  in.created = 1727000000;
  in.message.role = Role::assistant;
  in.message.reasoning = "Need the weather tool.";
  in.message.tool_calls = {ToolCall{"call_1", "get_weather", R"({"city":"Paris"})"},
                           ToolCall{"call_2", "get_time", "{}"}};
  in.finish = FinishReason::tool_calls;
  in.usage = Usage{120, 48, 30, 64, Usage::Source::server};
  std::string body = encode_response_body(in, EndpointKind::chat);
  EXPECT_NE(body.find(R"("content":null)"), std::string::npos) << body;
  auto out = decode_response_body(body);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(show(*out), show(in)) << body;
}

TEST(OpenAiResponse, EveryFinishReasonRoundTrips) {
  for (auto f : {FinishReason::stop, FinishReason::length, FinishReason::tool_calls,
                 FinishReason::content_filter, FinishReason::error}) {
    ChatResponse in = hello_response();
    in.finish = f;
    auto out = decode_response_body(encode_response_body(in, EndpointKind::chat));
    ASSERT_TRUE(out);
    EXPECT_EQ(out->finish, f) << to_string(f);
  }
}

TEST(OpenAiResponse, FinishReasonsFromOtherDialectsMapExactly) {
  using openai::parse_finish_reason;
  EXPECT_EQ(parse_finish_reason("stop"), FinishReason::stop);
  EXPECT_EQ(parse_finish_reason("end_turn"), FinishReason::stop);
  EXPECT_EQ(parse_finish_reason("length"), FinishReason::length);
  EXPECT_EQ(parse_finish_reason("max_tokens"), FinishReason::length);
  EXPECT_EQ(parse_finish_reason("tool_calls"), FinishReason::tool_calls);
  EXPECT_EQ(parse_finish_reason("function_call"), FinishReason::tool_calls);
  EXPECT_EQ(parse_finish_reason("content_filter"), FinishReason::content_filter);
  EXPECT_EQ(parse_finish_reason("abort"), FinishReason::error);
  EXPECT_EQ(openai::finish_reason_text(FinishReason::tool_calls), "tool_calls");
  EXPECT_EQ(openai::finish_reason_text(FinishReason::length), "length");
}

TEST(OpenAiResponse, LegacyCompletionRoundTrips) {
  ChatResponse in;
  in.id = "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7";
  in.model = "gpt-3.5-turbo-instruct";
  in.created = 1589478378;
  in.message = Message::of_text(Role::assistant, "\n\nThis is indeed a test");
  in.finish = FinishReason::length;
  in.usage = Usage{5, 7, 0, 0, Usage::Source::server};
  std::string body = encode_response_body(in, EndpointKind::completion);
  EXPECT_NE(body.find(R"("object":"text_completion")"), std::string::npos);
  EXPECT_NE(body.find(R"("text":"\n\nThis is indeed a test")"), std::string::npos) << body;
  auto out = decode_response_body(body);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(show(*out), show(in));
}

TEST(OpenAiResponse, BodiesThatAreNotResponsesAreMalformed) {
  for (const char* body : {"", "<html>oops</html>", "[]", R"({"id":"x"})", R"({"choices":[1]})"}) {
    auto r = decode_response_body(body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, ErrorCode::malformed) << body;
  }
}

TEST(OpenAiErrors, OpenAiShape) {
  auto e = decode_error_body(
      401,
      R"({"error":{"message":"Incorrect API key provided: sk-abc***xyz.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})");
  EXPECT_EQ(e.http_status, 401);
  EXPECT_EQ(e.message, "Incorrect API key provided: sk-abc***xyz.");
  EXPECT_EQ(e.type, "invalid_request_error");
  EXPECT_EQ(e.code, "invalid_api_key");
}

TEST(OpenAiErrors, ErrorAsPlainString) {  // Ollama, llama.cpp
  auto e = decode_error_body(404, R"({"error":"model \"llama9\" not found, try pulling it first"})");
  EXPECT_EQ(e.message, R"(model "llama9" not found, try pulling it first)");
}

TEST(OpenAiErrors, VllmShapeKeepsTypeAndCode) {
  auto e = decode_error_body(
      404,
      R"({"object":"error","message":"The model `gpt-5` does not exist.","type":"NotFoundError","param":null,"code":404})");
  EXPECT_EQ(e.message, "The model `gpt-5` does not exist.");
  EXPECT_EQ(e.type, "NotFoundError");
  EXPECT_EQ(e.code, "404");
}

TEST(OpenAiErrors, FastApiDetailShapes) {
  EXPECT_EQ(decode_error_body(404, R"({"detail":"Not Found"})").message, "Not Found");
  auto v = decode_error_body(
      422,
      R"({"detail":[{"loc":["body","messages",0,"role"],"msg":"field required","type":"value_error.missing"},)"
      R"({"loc":["body","model"],"msg":"str type expected","type":"type_error.str"}]})");
  EXPECT_NE(v.message.find("field required"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("body.messages.0.role"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("str type expected"), std::string::npos) << v.message;
  EXPECT_EQ(v.message.find("value_error.missing"), std::string::npos)
      << "raw JSON instead of a message: " << v.message;
}

TEST(OpenAiErrors, NonJsonBodiesKeepTheirText) {
  auto html =
      decode_error_body(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
  EXPECT_NE(html.message.find("502 Bad Gateway"), std::string::npos);
  EXPECT_EQ(decode_error_body(429, "Too Many Requests").message, "Too Many Requests");
  EXPECT_EQ(decode_error_body(503, "").message, "HTTP 503 with an empty body");
  EXPECT_EQ(decode_error_body(503, " \r\n").message, "HTTP 503 with an empty body");
  EXPECT_LE(decode_error_body(500, std::string(5000, 'x')).message.size(), 400u);
}

TEST(OpenAiErrors, EncodedErrorsDecodeBack) {
  ApiError in{429, "rate_limit_error", "rate_limit_exceeded",
              "Rate limit reached for gpt-4o: \"tokens\" per min", "messages"};
  auto out = decode_error_body(429, encode_error_body(in));
  EXPECT_EQ(out.message, in.message);
  EXPECT_EQ(out.type, in.type);
  EXPECT_EQ(out.code, in.code);
  EXPECT_EQ(out.param, in.param);
  EXPECT_EQ(encode_error_body(ApiError{500, "", "", "boom"}),
            R"({"error":{"message":"boom","type":"api_error","param":null,"code":null}})");
}

}  // namespace
}  // namespace llmux::api
