// Gemini: golden streamGenerateContent?alt=sse transcripts in the shape of the
// published API reference (decoded at every chunk boundary), the encoder, request
// and response bodies, paths and error bodies.
#include <gtest/gtest.h>

#include "api/gemini_codec.hpp"
#include "api/stream_events.hpp"
#include "api/transcript.hpp"

namespace llmux::api {
namespace {

using Lines = std::vector<std::string>;
using test::show;

Result<Lines> decode(std::string_view bytes) {
  return test::decode_every_boundary([] { return gemini::make_stream_decoder(); }, bytes);
}

// Gemini separates events with CRLF pairs.
std::string chunk(std::string_view json) { return "data: " + std::string(json) + "\r\n\r\n"; }

TEST(GeminiStream, PlainTextChunksThenStopWithUsage) {
  std::string bytes =
      chunk(R"({"candidates": [{"content": {"parts": [{"text": "The"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.0-flash"})") +
      chunk(R"({"candidates": [{"content": {"parts": [{"text": " quick brown fox"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.0-flash"})") +
      chunk(R"({"candidates": [{"content": {"parts": [{"text": " jumps."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 7,"totalTokenCount": 15},"modelVersion": "gemini-2.0-flash","responseId": "r1"})");
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "content [The]", "content [ quick brown fox]", "content [ jumps.]",
                                  "finish stop", "usage prompt=8 completion=7 reasoning=0 cached=0 source=server"}));
}

TEST(GeminiStream, MultiPartChunkAndThoughts) {
  std::string bytes =
      chunk(R"({"candidates":[{"content":{"parts":[{"text":"**Weighing** options","thought":true}],"role":"model"},"index":0}]})") +
      chunk(R"({"candidates":[{"content":{"parts":[{"text":"A, "},{"text":"then B."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":4,"thoughtsTokenCount":30,"cachedContentTokenCount":8,"totalTokenCount":46}})");
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "reasoning [**Weighing** options]", "content [A, ]",
                                  "content [then B.]", "finish stop",
                                  "usage prompt=12 completion=34 reasoning=30 cached=8 source=server"}));
}

TEST(GeminiStream, ParallelFunctionCallsAreWholeToolCallsAndFinishAsToolCalls) {
  std::string bytes = chunk(
      R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"location":"Boston"}}},{"functionCall":{"id":"fc-2","name":"get_time","args":{"tz":"EST"}}}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":12,"totalTokenCount":42}})");
  EXPECT_EQ(decode(bytes),
            (Lines{"role_start", "tool_call #0 id=call_0 name=get_weather args=[{\"location\":\"Boston\"}]",
                   "tool_call #1 id=fc-2 name=get_time args=[{\"tz\":\"EST\"}]", "finish tool_calls",
                   "usage prompt=30 completion=12 reasoning=0 cached=0 source=server"}));
}

TEST(GeminiStream, ThoughtSignaturesTravelWithTheirPartBothWays) {
  std::string bytes = chunk(
      R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{}},"thoughtSignature":"c2ln"}],"role":"model"},"finishReason":"STOP","index":0}]})");
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "signature [c2ln]", "tool_call #0 id=call_0 name=f args=[{}]", "finish tool_calls"}));
  auto events = test::decode_shown([] { return gemini::make_stream_decoder(); }, {bytes});
  ASSERT_TRUE(events);
  gemini::ServerCodecImpl codec;
  StreamEvent sig;
  sig.kind = StreamEvent::Kind::reasoning_signature;
  sig.text = "c2ln";
  StreamEvent call = StreamEvent::tool_call(0, "", "f", "");
  auto again = test::encode_stream(codec, ChatRequest{}, {sig, call, StreamEvent::finished(FinishReason::tool_calls)});
  EXPECT_NE(again.find(R"({"functionCall":{"name":"f","args":{}},"thoughtSignature":"c2ln"})"), std::string::npos) << again;
}

TEST(GeminiStream, EveryFinishReasonMaps) {
  const std::pair<const char*, const char*> cases[] = {
      {"STOP", "finish stop"},           {"MAX_TOKENS", "finish length"},   {"SAFETY", "finish content_filter"},
      {"RECITATION", "finish content_filter"}, {"BLOCKLIST", "finish content_filter"},
      {"PROHIBITED_CONTENT", "finish content_filter"}, {"SPII", "finish content_filter"},
      {"MALFORMED_FUNCTION_CALL", "finish error"},     {"OTHER", "finish error"},
      {"FINISH_REASON_UNSPECIFIED", "finish stop"},
  };
  for (auto [reason, expected] : cases) {
    std::string bytes = chunk(std::string(R"({"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"finishReason":")") +
                             reason + R"(","index":0}]})");
    auto lines = decode(bytes);
    ASSERT_TRUE(lines) << reason << ": " << lines.error().message << " in " << bytes;
    EXPECT_EQ(lines->back(), expected) << reason;
  }
}

TEST(GeminiStream, BlockedPromptEndsWithContentFilter) {
  auto lines = decode(chunk(R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5}})"));
  EXPECT_EQ(lines, (Lines{"role_start", "finish content_filter", "usage prompt=5 completion=0 reasoning=0 cached=0 source=server"}));
}

TEST(GeminiStream, ErrorChunkMidStream) {
  std::string bytes = chunk(R"({"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}]})") +
                      chunk(R"({"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}})");
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "content [Hi]",
                                  "error status=503 type=UNAVAILABLE code=503 message=The model is overloaded."}));
}

TEST(GeminiStream, TruncatedStreamIsAnError) {
  for (std::string bytes : {std::string(), chunk(R"({"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}]})")}) {
    auto r = decode(bytes);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::stream_cut);
  }
}

TEST(GeminiStream, UnknownPartsAndFieldsAreIgnored) {
  std::string bytes = chunk(
      R"({"candidates":[{"content":{"parts":[{"executableCode":{"language":"PYTHON","code":"1+1"}},{"text":"2"}],"role":"model"},"finishReason":"STOP","index":0,"safetyRatings":[],"citationMetadata":{}}],"futureField":1})");
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "content [2]", "finish stop"}));
}

// ---- encoder ----

TEST(GeminiStreamEncoder, GoldenChunks) {
  gemini::ServerCodecImpl codec;
  auto bytes = test::encode_stream(codec, ChatRequest{},
                                   {StreamEvent::content("Hi"), StreamEvent::finished(FinishReason::length),
                                    StreamEvent::usage_of(Usage{8, 3, 0, 0, Usage::Source::server})},
                                   {"r1", "gemini-x", 0});
  EXPECT_EQ(bytes,
            "data: " R"({"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}],"modelVersion":"gemini-x","responseId":"r1"})"
            "\n\n"
            "data: " R"({"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"MAX_TOKENS","index":0}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":3,"totalTokenCount":11},"modelVersion":"gemini-x","responseId":"r1"})"
            "\n\n");
}

TEST(GeminiStreamEncoder, ToolFragmentsBecomeWholeCallsAndRoundTrip) {
  gemini::ServerCodecImpl codec;
  auto bytes = test::encode_stream(
      codec, ChatRequest{},
      {StreamEvent::reasoning("plan"), StreamEvent::content("Calling."), StreamEvent::tool_call(0, "call_x", "f", "{\"a\":"),
       StreamEvent::tool_call(0, "", "", "1}"), StreamEvent::tool_call(1, "fc-9", "g", ""),
       StreamEvent::finished(FinishReason::tool_calls),
       StreamEvent::usage_of(Usage{10, 20, 5, 0, Usage::Source::server})});
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "reasoning [plan]", "content [Calling.]",
                                  "tool_call #0 id=call_0 name=f args=[{\"a\":1}]", "tool_call #1 id=fc-9 name=g args=[{}]",
                                  "finish tool_calls", "usage prompt=10 completion=20 reasoning=5 cached=0 source=server"}));
}

// ---- requests, paths, responses, errors ----

TEST(GeminiPaths, ModelAndActionFromThePath) {
  auto a = gemini::parse_model_path("/v1beta/models/gemini-2.0-flash:streamGenerateContent");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->model, "gemini-2.0-flash");
  EXPECT_TRUE(a->stream);
  auto b = gemini::parse_model_path("/v1beta/models/gemini-1.5-pro-002:generateContent?key=x");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->stream);
  EXPECT_FALSE(gemini::parse_model_path("/v1beta/models/gemini:countTokens"));
  ChatRequest req;
  req.model = "models/gemini-2.0-flash";
  req.stream = true;
  req.messages.push_back(Message::of_text(Role::user, "hi"));
  auto wire = gemini::ClientCodecImpl().encode_request(req);
  ASSERT_TRUE(wire);
  EXPECT_EQ(wire->path, "models/gemini-2.0-flash:streamGenerateContent?alt=sse");
}

TEST(GeminiRequest, DecodesContentsSystemToolsAndConfig) {
  auto req = gemini::decode_request_body(R"({
    "systemInstruction": {"parts": [{"text": "Be brief."}]},
    "contents": [
      {"role": "user", "parts": [{"text": "Weather?"}, {"inlineData": {"mimeType": "image/png", "data": "iVBOR"}}]},
      {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}}]},
      {"role": "user", "parts": [{"functionResponse": {"name": "get_weather", "response": {"temp": 18}}}]}
    ],
    "tools": [{"functionDeclarations": [{"name": "get_weather", "description": "Weather", "parameters": {"type": "OBJECT"}}]}, {"googleSearch": {}}],
    "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}},
    "generationConfig": {"temperature": 0.2, "maxOutputTokens": 100, "stopSequences": ["END"], "seed": 7, "topK": 40},
    "safetySettings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_NONE"}]
  })", {"gemini-2.0-flash", true});
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(show(*req),
            "endpoint=chat\nmodel=gemini-2.0-flash\nprompt=\n"
            "  message role=system as_parts=0 name= tool_call_id= reasoning=\n"
            "    part text [Be brief.] detail=\n"
            "  message role=user as_parts=0 name= tool_call_id= reasoning=\n"
            "    part text [Weather?] detail=\n"
            "    part image_url [data:image/png;base64,iVBOR] detail=\n"
            "  message role=assistant as_parts=0 name= tool_call_id= reasoning=\n"
            "    tool_call id=call_0 name=get_weather args={\"city\":\"Paris\"}\n"
            "  message role=tool as_parts=0 name=get_weather tool_call_id=call_0 reasoning=\n"
            "    part text [{\"temp\":18}] detail=\n"
            "tool name=get_weather description=Weather parameters={\"type\":\"OBJECT\"}\n"
            "tool_choice={\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}\n"
            "temperature=0.200000 top_p=- max_tokens=100 seed=7\n"
            "stop [END]\n"
            "stream=1 include_usage=1 ignore_eos=-\n"
            "extra tools=[{\"googleSearch\":{}}]\n"
            "extra generationConfig={\"topK\":40}\n"
            "extra safetySettings=[{\"category\":\"HARM_CATEGORY_HATE_SPEECH\",\"threshold\":\"BLOCK_NONE\"}]\n");
  // Same dialect out again: the kept members are merged back where they came from.
  EXPECT_EQ(gemini::encode_request_body(*req),
            R"({"contents":[{"role":"user","parts":[{"text":"Weather?"},{"inlineData":{"mimeType":"image/png","data":"iVBOR"}}]},)"
            R"({"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},)"
            R"({"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temp":18}}}]}],)"
            R"("systemInstruction":{"parts":[{"text":"Be brief."}]},)"
            R"("tools":[{"functionDeclarations":[{"name":"get_weather","description":"Weather","parameters":{"type":"OBJECT"}}]},{"googleSearch":{}}],)"
            R"("toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}},)"
            R"("generationConfig":{"temperature":0.2,"maxOutputTokens":100,"stopSequences":["END"],"seed":7,"topK":40},)"
            R"("safetySettings":[{"category":"HARM_CATEGORY_HATE_SPEECH","threshold":"BLOCK_NONE"}]})");
}

TEST(GeminiRequest, ToolResultTextThatIsNotJsonIsWrapped) {
  ChatRequest req;
  req.model = "g";
  Message a;
  a.role = Role::assistant;
  a.tool_calls.push_back(ToolCall{"call_abc", "lookup", "{}"});
  Message t = Message::of_text(Role::tool, "plain words");
  t.tool_call_id = "call_abc";
  req.messages = {Message::of_text(Role::user, "q"), a, t};
  auto body = gemini::encode_request_body(req);
  EXPECT_NE(body.find(R"({"functionResponse":{"name":"lookup","response":{"result":"plain words"}}})"), std::string::npos)
      << body;
}

TEST(GeminiResponse, DecodesAndReEncodes) {
  auto r = gemini::decode_response_body(R"({"candidates":[{"content":{"parts":[{"text":"1+1 equals 2.","thoughtSignature":"EjQK"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":15,"candidatesTokenCount":6,"totalTokenCount":21},"modelVersion":"gemini-x","responseId":"Il0t"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(show(*r), "id=Il0t model=gemini-x created=0 finish=stop usage: prompt=15 completion=6 reasoning=0 cached=0 source=server\n"
                      "  message role=assistant as_parts=0 name= tool_call_id= reasoning=\n"
                      "    part text [1+1 equals 2.] detail=\n"
                      "      part extra thoughtSignature=\"EjQK\"\n");
  auto again = gemini::decode_response_body(gemini::encode_response_body(*r));
  ASSERT_TRUE(again);
  EXPECT_EQ(show(*again), show(*r));
}

TEST(GeminiErrors, ReferenceErrorBodies) {
  auto e = gemini::decode_error_body(400, R"({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]}})");
  EXPECT_EQ(e.message, "API key not valid. Please pass a valid API key.");
  EXPECT_EQ(e.type, "INVALID_ARGUMENT");
  EXPECT_EQ(e.code, "400");
  auto wrapped = gemini::decode_error_body(429, R"([{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}])");
  EXPECT_EQ(wrapped.type, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(gemini::encode_error_body(ApiError{429, "rate_limit_error", "", "slow down"}),
            R"({"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}})");
  // The HTTP status decides where another API's type is vaguer (OpenAI's 404 is an invalid_request_error).
  EXPECT_EQ(gemini::encode_error_body(ApiError{404, "invalid_request_error", "", "no such model"}),
            R"({"error":{"code":404,"message":"no such model","status":"NOT_FOUND"}})");
}

}  // namespace
}  // namespace llmux::api
