// Anthropic Messages: golden stream transcripts in the shape of the published
// streaming reference (decoded at every chunk boundary), the encoder's event
// stream, request and response bodies, and error bodies.
#include <gtest/gtest.h>

#include "api/anthropic_codec.hpp"
#include "api/stream_events.hpp"
#include "api/transcript.hpp"

namespace llmux::api {
namespace {

using Lines = std::vector<std::string>;
using test::decode_every_boundary;
using test::show;

Result<Lines> decode(std::string_view bytes) {
  return decode_every_boundary([] { return anthropic::make_stream_decoder(); }, bytes);
}

std::string ev(std::string_view type, std::string_view data) {
  return "event: " + std::string(type) + "\ndata: " + std::string(data) + "\n\n";
}

const std::string kStart = ev("message_start",
    R"({"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}})");
const std::string kStop = ev("message_stop", R"({"type": "message_stop"})");

std::string text_delta(int index, std::string_view text) {
  return ev("content_block_delta", R"({"type": "content_block_delta", "index": )" + std::to_string(index) +
                                       R"(, "delta": {"type": "text_delta", "text": ")" + std::string(text) + "\"}}");
}

std::string json_delta(int index, std::string_view partial) {
  return ev("content_block_delta", R"({"type":"content_block_delta","index":)" + std::to_string(index) +
                                       R"(,"delta":{"type":"input_json_delta","partial_json":)" + std::string(partial) +
                                       "}}");
}

std::string block_stop(int index) {
  return ev("content_block_stop", R"({"type":"content_block_stop","index":)" + std::to_string(index) + "}");
}

std::string message_delta(std::string_view stop_reason, std::string_view usage) {
  return ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":")" + std::string(stop_reason) +
                                 R"(","stop_sequence":null},"usage":)" + std::string(usage) + "}");
}

const std::string kStartLine = "role_start prompt=25 completion=1 reasoning=0 cached=0 source=server";

TEST(AnthropicStream, PlainTextWithPing) {
  std::string bytes = kStart +
                      ev("content_block_start", R"({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})") +
                      ev("ping", R"({"type": "ping"})") + text_delta(0, "Hello") + text_delta(0, "!") + block_stop(0) +
                      message_delta("end_turn", R"({"output_tokens": 15})") + kStop;
  EXPECT_EQ(decode(bytes), (Lines{kStartLine, "content [Hello]", "content [!]", "finish stop",
                                  "usage prompt=25 completion=15 reasoning=0 cached=0 source=server"}));
}

TEST(AnthropicStream, TextThenToolUseWithSplitJson) {
  std::string bytes =
      kStart + ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})") +
      text_delta(0, "Okay") + block_stop(0) +
      ev("content_block_start",
         R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}})") +
      json_delta(1, R"("")") + json_delta(1, R"("{\"location\":")") + json_delta(1, R"(" \"San")") +
      json_delta(1, R"(" Francisc")") + json_delta(1, R"("o, CA\"")") + json_delta(1, R"(", \"unit\": \"fah")") +
      json_delta(1, R"("renheit\"}")") + block_stop(1) + message_delta("tool_use", R"({"output_tokens":89})") + kStop;
  EXPECT_EQ(decode(bytes),
            (Lines{kStartLine, "content [Okay]", "tool_call #0 id=toolu_01T1x1fJ34qAmk2tNTrN7Up6 name=get_weather args=[]",
                   "tool_call #0 id= name= args=[{\"location\":]", "tool_call #0 id= name= args=[ \"San]",
                   "tool_call #0 id= name= args=[ Francisc]", "tool_call #0 id= name= args=[o, CA\"]",
                   "tool_call #0 id= name= args=[, \"unit\": \"fah]", "tool_call #0 id= name= args=[renheit\"}]",
                   "finish tool_calls", "usage prompt=25 completion=89 reasoning=0 cached=0 source=server"}));
}

TEST(AnthropicStream, ParallelToolCallsGetTheirOwnIndexes) {
  auto tool_start = [](int index, const char* id, const char* name) {
    return ev("content_block_start", R"({"type":"content_block_start","index":)" + std::to_string(index) +
                                         R"(,"content_block":{"type":"tool_use","id":")" + id + R"(","name":")" + name +
                                         R"(","input":{}}})");
  };
  std::string bytes = kStart + tool_start(0, "toolu_a", "get_weather") + json_delta(0, R"("{\"city\":\"Paris\"}")") +
                      block_stop(0) + tool_start(1, "toolu_b", "get_time") + json_delta(1, R"("{\"tz\":\"CET\"}")") +
                      block_stop(1) + message_delta("tool_use", R"({"output_tokens":40})") + kStop;
  EXPECT_EQ(decode(bytes), (Lines{kStartLine, "tool_call #0 id=toolu_a name=get_weather args=[]",
                                  "tool_call #0 id= name= args=[{\"city\":\"Paris\"}]",
                                  "tool_call #1 id=toolu_b name=get_time args=[]",
                                  "tool_call #1 id= name= args=[{\"tz\":\"CET\"}]", "finish tool_calls",
                                  "usage prompt=25 completion=40 reasoning=0 cached=0 source=server"}));
}

TEST(AnthropicStream, ThinkingIsReasoningWithItsSignature) {
  std::string bytes =
      ev("message_start", R"({"type": "message_start", "message": {"id": "msg_01", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5", "stop_reason": null, "stop_sequence": null}})") +
      ev("content_block_start", R"({"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}})") +
      ev("content_block_delta", R"({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "Let me solve this step by step:\n\n1. First break down 27 * 453"}})") +
      ev("content_block_delta", R"({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "\n2. 453 = 400 + 50 + 3"}})") +
      ev("content_block_delta", R"({"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}})") +
      block_stop(0) +
      ev("content_block_start", R"({"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}})") +
      text_delta(1, "27 * 453 = 12,231") + block_stop(1) +
      ev("message_delta", R"({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}})") + kStop;
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "reasoning [Let me solve this step by step:\n\n1. First break down 27 * 453]",
                                  "reasoning [\n2. 453 = 400 + 50 + 3]",
                                  "signature [EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds]",
                                  "content [27 * 453 = 12,231]", "finish stop"}));
}

TEST(AnthropicStream, UsageCountsCacheReadsAndWritesAsPrompt) {
  std::string bytes =
      ev("message_start", R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"model":"c","usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":1}}})") +
      text_delta(0, "x") + message_delta("end_turn", R"({"output_tokens":7})") + kStop;
  auto lines = decode(bytes);
  ASSERT_TRUE(lines);
  EXPECT_EQ(lines->back(), "usage prompt=1210 completion=7 reasoning=0 cached=1000 source=server cache_write=200");
}

TEST(AnthropicStream, EveryStopReasonMaps) {
  const std::pair<const char*, const char*> cases[] = {
      {"end_turn", "finish stop"},           {"stop_sequence", "finish stop"},
      {"max_tokens", "finish length"},       {"tool_use", "finish tool_calls"},
      {"refusal", "finish content_filter"},  {"pause_turn", "finish stop"},
      {"model_context_window_exceeded", "finish length"},
  };
  for (auto [reason, expected] : cases) {
    auto lines = decode(kStart + message_delta(reason, R"({"output_tokens":3})") + kStop);
    ASSERT_TRUE(lines) << reason;
    EXPECT_EQ((*lines)[1], expected) << reason;
  }
}

TEST(AnthropicStream, StopSequenceTravelsWithTheFinish) {
  auto lines = decode(kStart + ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"\n\nHuman:"},"usage":{"output_tokens":3}})") + kStop);
  ASSERT_TRUE(lines);
  EXPECT_EQ((*lines)[1], "finish stop stop_sequence=[\n\nHuman:]");
}

TEST(AnthropicStream, ErrorEventMidStreamIsAnErrorEventNotACut) {
  std::string bytes = kStart + text_delta(0, "Hel") +
                      ev("error", R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})");
  EXPECT_EQ(decode(bytes),
            (Lines{kStartLine, "content [Hel]", "error status=0 type=overloaded_error code= message=Overloaded"}));
}

TEST(AnthropicStream, TruncatedStreamsAreErrors) {
  for (std::string bytes : {std::string(), kStart, kStart + text_delta(0, "Hi"),
                            kStart + text_delta(0, "Hi") + message_delta("end_turn", R"({"output_tokens":2})")}) {
    auto r = decode(bytes);
    ASSERT_FALSE(r) << bytes;
    EXPECT_EQ(r.error().code, ErrorCode::stream_cut);
  }
}

TEST(AnthropicStream, UnknownEventAndDeltaTypesAreIgnored) {
  std::string bytes = kStart + ev("future_event", R"({"type":"future_event","x":1})") +
                      ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}})") +
                      ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}})") +
                      text_delta(1, "ok") + message_delta("end_turn", R"({"output_tokens":2})") + kStop;
  EXPECT_EQ(decode(bytes), (Lines{kStartLine, "content [ok]", "finish stop",
                                  "usage prompt=25 completion=2 reasoning=0 cached=0 source=server"}));
}

TEST(AnthropicStream, MalformedDataIsAnError) {
  auto r = decode(kStart + "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0,\n\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::malformed);
}

// ---- encoder ----

StreamEvent role_with_prompt(std::int64_t prompt) {
  return StreamEvent::role_started(Usage{prompt, 0, 0, 0, Usage::Source::server});
}

TEST(AnthropicStreamEncoder, GoldenEventStream) {
  anthropic::ServerCodecImpl codec;
  ChatRequest req;
  req.stream = true;
  auto bytes = test::encode_stream(
      codec, req,
      {role_with_prompt(25), StreamEvent::content("Hello"), StreamEvent::content("!"),
       StreamEvent::finished(FinishReason::stop), StreamEvent::usage_of(Usage{25, 15, 0, 0, Usage::Source::server})},
      {"msg_1", "claude-x", 0});
  EXPECT_EQ(bytes,
            ev("message_start", R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":0}}})") +
                ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})") +
                ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}})") +
                ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}})") +
                ev("content_block_stop", R"({"type":"content_block_stop","index":0})") +
                ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":25,"output_tokens":15}})") +
                ev("message_stop", R"({"type":"message_stop"})"));
}

TEST(AnthropicStreamEncoder, BlocksFollowTheKindOfOutputAndRoundTrip) {
  anthropic::ServerCodecImpl codec;
  ChatRequest req;
  StreamEvent sig;
  sig.kind = StreamEvent::Kind::reasoning_signature;
  sig.text = "c2ln";
  std::vector<StreamEvent> events = {
      role_with_prompt(9), StreamEvent::reasoning("think"), sig, StreamEvent::content("Calling."),
      StreamEvent::tool_call(0, "toolu_1", "get_weather", "{\"city\":"), StreamEvent::tool_call(0, "", "", "\"Paris\"}"),
      StreamEvent::tool_call(1, "toolu_2", "get_time", "{}"),
      StreamEvent::finished(FinishReason::tool_calls), StreamEvent::usage_of(Usage{9, 30, 0, 0, Usage::Source::server})};
  auto bytes = test::encode_stream(codec, req, events, {"msg_2", "claude-x", 0});
  EXPECT_EQ(decode(bytes),
            (Lines{"role_start prompt=9 completion=0 reasoning=0 cached=0 source=server", "reasoning [think]",
                   "signature [c2ln]", "content [Calling.]", "tool_call #0 id=toolu_1 name=get_weather args=[]",
                   "tool_call #0 id= name= args=[{\"city\":]", "tool_call #0 id= name= args=[\"Paris\"}]",
                   "tool_call #1 id=toolu_2 name=get_time args=[]", "tool_call #1 id= name= args=[{}]",
                   "finish tool_calls", "usage prompt=9 completion=30 reasoning=0 cached=0 source=server"}));
  // Four blocks, each started and stopped once, with increasing indexes.
  for (int i = 0; i < 4; ++i) {
    EXPECT_NE(bytes.find("\"content_block_start\",\"index\":" + std::to_string(i)), std::string::npos) << i;
    EXPECT_NE(bytes.find("\"content_block_stop\",\"index\":" + std::to_string(i)), std::string::npos) << i;
  }
}

TEST(AnthropicStreamEncoder, FinishWithoutUsageStillEndsTheMessage) {
  anthropic::ServerCodecImpl codec;
  auto bytes = test::encode_stream(codec, ChatRequest{}, {StreamEvent::content("a"), StreamEvent::finished(FinishReason::length)});
  auto lines = decode(bytes);
  ASSERT_TRUE(lines);
  EXPECT_EQ(lines->at(lines->size() - 2), "finish length");
}

TEST(AnthropicStreamEncoder, ErrorEventEndsTheStream) {
  anthropic::ServerCodecImpl codec;
  auto bytes = test::encode_stream(codec, ChatRequest{},
                                   {StreamEvent::content("a"), StreamEvent::failure(ApiError{0, "overloaded_error", "", "busy"})});
  EXPECT_EQ(bytes.find("message_stop"), std::string::npos);
  EXPECT_NE(bytes.find("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}"),
            std::string::npos);
  auto lines = decode(bytes);
  ASSERT_TRUE(lines);
  EXPECT_EQ(lines->back(), "error status=0 type=overloaded_error code= message=busy");
}

// ---- requests ----

TEST(AnthropicRequest, DecodesSystemBlocksToolsToolResultsAndThinking) {
  auto req = anthropic::decode_request_body(R"({
    "model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": true, "temperature": 0.5,
    "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
    "tools": [{"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}}],
    "tool_choice": {"type": "tool", "name": "get_weather", "disable_parallel_tool_use": true},
    "stop_sequences": ["END"], "thinking": {"type": "enabled", "budget_tokens": 2000},
    "messages": [
      {"role": "user", "content": "Weather in Paris?"},
      {"role": "assistant", "content": [
        {"type": "thinking", "thinking": "Use the tool.", "signature": "sig1"},
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]},
      {"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C", "is_error": false},
        {"type": "text", "text": "And tomorrow?"}]}
    ]})");
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(show(*req),
            "endpoint=chat\nmodel=claude-sonnet-4-5\nprompt=\n"
            "  message role=system as_parts=1 name= tool_call_id= reasoning=\n"
            "    part text [Be brief.] detail=\n"
            "      part extra cache_control={\"type\":\"ephemeral\"}\n"
            "  message role=user as_parts=0 name= tool_call_id= reasoning=\n"
            "    part text [Weather in Paris?] detail=\n"
            "  message role=assistant as_parts=1 name= tool_call_id= reasoning=Use the tool. signature=sig1\n"
            "    part text [Checking.] detail=\n"
            "    tool_call id=toolu_1 name=get_weather args={\"city\":\"Paris\"}\n"
            "  message role=tool as_parts=0 name= tool_call_id=toolu_1 reasoning=\n"
            "    part text [18C] detail=\n"
            "  message role=user as_parts=1 name= tool_call_id= reasoning=\n"
            "    part text [And tomorrow?] detail=\n"
            "tool name=get_weather description=Weather parameters={\"type\":\"object\"}\n"
            "tool_choice={\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}\n"
            "temperature=0.500000 top_p=- max_tokens=1024 seed=-\n"
            "stop [END]\n"
            "stream=1 include_usage=1 ignore_eos=-\n"
            "parallel_tool_calls=false\n"
            "extra thinking={\"type\":\"enabled\",\"budget_tokens\":2000}\n");
}

TEST(AnthropicRequest, SameDialectRoundTripKeepsEverything) {
  const char* body =
      R"({"model":"claude-x","max_tokens":512,"system":"Be brief.","messages":[{"role":"user","content":"Hi"},)"
      R"({"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},{"type":"text","text":"Yes."},)"
      R"({"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}]},)"
      R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"ok","is_error":true},)"
      R"({"type":"text","text":"next","cache_control":{"type":"ephemeral"}},)"
      R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0"}}]}],)"
      R"("stop_sequences":["X"],"temperature":1,"top_p":0.9,"tools":[{"name":"f","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}],)"
      R"("tool_choice":{"type":"any","disable_parallel_tool_use":true},"stream":true,"metadata":{"user_id":"u1"}})";
  auto req = anthropic::decode_request_body(body);
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(anthropic::encode_request_body(*req), body);
}

TEST(AnthropicRequest, CanonicalOpenAiStyleRequestBecomesAMessagesRequest) {
  ChatRequest req;
  req.model = "claude-x";
  req.messages.push_back(Message::of_text(Role::system, "sys"));
  req.messages.push_back(Message::of_text(Role::user, "hi"));
  req.tool_choice_json = "\"required\"";
  req.tools.push_back(ToolDef{"f", "", "{\"type\":\"object\"}", {}});
  req.ignore_eos = true;
  req.sampling.seed = 3;
  auto wire = anthropic::ClientCodecImpl().encode_request(req);
  ASSERT_TRUE(wire);
  EXPECT_EQ(wire->path, "messages");
  EXPECT_EQ(wire->headers.front(), (std::pair<std::string, std::string>{"anthropic-version", "2023-06-01"}));
  // max_tokens is required: a default is filled in; seed and ignore_eos have no Anthropic field.
  EXPECT_EQ(wire->body, R"({"model":"claude-x","max_tokens":4096,"system":"sys","messages":[{"role":"user","content":"hi"}],)"
                        R"("tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"}})");
}

TEST(AnthropicRequest, BadRequestsNameTheField) {
  EXPECT_FALSE(anthropic::decode_request_body(R"({"model":"m","messages":[{"role":"system","content":"x"}]})"));
  EXPECT_FALSE(anthropic::decode_request_body(R"({"model":"m","messages":[]})"));
  auto r = anthropic::decode_request_body(R"({"model":"m","max_tokens":"x","messages":[{"role":"user","content":"x"}]})");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("max_tokens"), std::string::npos);
  auto unbounded = anthropic::decode_request_body(R"({"model":"m","messages":[{"role":"user","content":"x"}]})");
  ASSERT_FALSE(unbounded) << "Anthropic's API requires max_tokens";
  EXPECT_EQ(unbounded.error().message, "max_tokens is required");
}

// ---- responses and errors ----

TEST(AnthropicResponse, DecodesTheReferenceMessage) {
  auto r = anthropic::decode_response_body(R"({
    "id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
    "content": [{"type": "text", "text": "Hello!"}, {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"q": 1}}],
    "stop_reason": "tool_use", "stop_sequence": null,
    "usage": {"input_tokens": 12, "cache_read_input_tokens": 4, "output_tokens": 6}})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(show(*r),
            "id=msg_01XFDUDYJgAACzvnptvVoYEL model=claude-sonnet-4-5 created=0 finish=tool_calls usage: prompt=16 "
            "completion=6 reasoning=0 cached=4 source=server\n"
            "  message role=assistant as_parts=0 name= tool_call_id= reasoning=\n"
            "    part text [Hello!] detail=\n"
            "    tool_call id=toolu_1 name=f args={\"q\":1}\n");
  auto again = anthropic::decode_response_body(anthropic::encode_response_body(*r));
  ASSERT_TRUE(again);
  EXPECT_EQ(show(*again), show(*r));
}

TEST(AnthropicErrors, ReferenceErrorBodies) {
  auto e = anthropic::decode_error_body(
      529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"})");
  EXPECT_EQ(e.http_status, 529);
  EXPECT_EQ(e.type, "overloaded_error");
  EXPECT_EQ(e.message, "Overloaded");
  EXPECT_EQ(anthropic::decode_error_body(502, "Bad Gateway").message, "Bad Gateway");
  EXPECT_EQ(anthropic::encode_error_body(ApiError{500, "server_error", "", "boom"}),
            R"({"type":"error","error":{"type":"api_error","message":"boom"}})");
}

TEST(AnthropicErrors, TheTypeIsAnthropicsForTheStatus) {
  auto type = [](int status, std::string t) {
    auto body = anthropic::encode_error_body(ApiError{status, std::move(t), "", "m"});
    return anthropic::decode_error_body(status, body).type;
  };
  EXPECT_EQ(type(503, "service_unavailable"), "overloaded_error");
  EXPECT_EQ(type(404, "invalid_request_error"), "not_found_error");
  EXPECT_EQ(type(413, "invalid_request_error"), "request_too_large");
  EXPECT_EQ(type(429, "rate_limit_exceeded"), "rate_limit_error");
  EXPECT_EQ(type(401, "authentication_error"), "authentication_error");
  EXPECT_EQ(type(405, "invalid_request_error"), "invalid_request_error");
  EXPECT_EQ(type(502, "api_error"), "api_error");
  EXPECT_EQ(type(502, "upstream_weird"), "api_error") << "a type Anthropic does not have";
}

}  // namespace
}  // namespace llmux::api
