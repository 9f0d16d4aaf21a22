// Ollama native API: golden NDJSON transcripts of /api/chat and /api/generate in
// the shape of Ollama's API documentation (decoded at every chunk boundary), the
// encoder, request bodies (options.num_predict) and error bodies.
#include <gtest/gtest.h>

#include "api/ollama_codec.hpp"
#include "api/stream_events.hpp"
#include "api/transcript.hpp"

namespace llmux::api {
namespace {

using Lines = std::vector<std::string>;
using test::show;

Result<Lines> decode(std::string_view bytes, EndpointKind endpoint = EndpointKind::chat) {
  return test::decode_every_boundary([endpoint] { return ollama::make_stream_decoder(endpoint); }, bytes);
}

const std::string kDone =
    R"({"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000})"
    "\n";
const std::string kUsage =
    "usage prompt=26 completion=282 reasoning=0 cached=0 source=server timing=1334875/342546000/4535599000/4883583458";

TEST(OllamaStream, ChatTokensThenDoneWithCountsAndDurations) {
  std::string bytes =
      R"({"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The","images":null},"done":false})"
      "\n"
      R"({"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":" sky"},"done":false})"
      "\n" +
      kDone;
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "content [The]", "content [ sky]", "finish stop", kUsage}));
}

TEST(OllamaStream, GenerateUsesResponseAndKeepsTheLastLineWithoutNewline) {
  std::string bytes =
      R"({"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","response":"The","done":false})"
      "\r\n"
      R"({"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","response":"","done":true,"done_reason":"length","context":[1,2,3],"total_duration":10706818083,"load_duration":6338219291,"prompt_eval_count":26,"prompt_eval_duration":130079000,"eval_count":259,"eval_duration":4232710000})";
  EXPECT_EQ(decode(bytes, EndpointKind::completion),
            (Lines{"role_start", "content [The]", "finish length",
                   "usage prompt=26 completion=259 reasoning=0 cached=0 source=server "
                   "timing=6338219291/130079000/4232710000/10706818083"}));
}

TEST(OllamaStream, ToolCallsArriveWholeAndFinishAsToolCalls) {
  std::string bytes =
      R"({"model":"llama3.2","created_at":"2024-07-22T20:33:28.123456Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_current_weather","arguments":{"format":"celsius","location":"Paris, FR"}}},{"function":{"name":"get_time","arguments":{}}}]},"done":false})"
      "\n" +
      kDone;
  EXPECT_EQ(decode(bytes),
            (Lines{"role_start",
                   "tool_call #0 id=call_0 name=get_current_weather args=[{\"format\":\"celsius\",\"location\":\"Paris, FR\"}]",
                   "tool_call #1 id=call_1 name=get_time args=[{}]", "finish tool_calls", kUsage}));
}

TEST(OllamaStream, ThinkingIsReasoning) {
  std::string bytes =
      R"({"model":"qwen3","created_at":"2025-05-29T09:35:56.836222Z","message":{"role":"assistant","content":"","thinking":"Let me count"},"done":false})"
      "\n"
      R"({"model":"qwen3","created_at":"2025-05-29T09:35:56.836222Z","message":{"role":"assistant","content":"Three."},"done":false})"
      "\n" +
      kDone;
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "reasoning [Let me count]", "content [Three.]", "finish stop", kUsage}));
}

TEST(OllamaStream, ErrorLineMidStream) {
  std::string bytes =
      R"({"model":"llama3.2","created_at":"x","message":{"role":"assistant","content":"The"},"done":false})"
      "\n"
      R"({"error":"an error was encountered while running the model: unexpected EOF"})"
      "\n";
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "content [The]",
                                  "error status=0 type= code= message=an error was encountered while running the model: unexpected EOF"}));
}

TEST(OllamaStream, TruncatedStreamIsAnError) {
  for (std::string bytes : {std::string(), std::string(R"({"model":"m","created_at":"x","message":{"role":"assistant","content":"a"},"done":false})" "\n")}) {
    auto r = decode(bytes);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::stream_cut);
  }
  auto broken = decode("{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"do");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::malformed);
}

TEST(OllamaStream, UnknownFieldsAndDoneReasonsAreSafe) {
  std::string bytes =
      R"({"model":"m","created_at":"x","message":{"role":"assistant","content":"hi","images":null,"future":{}},"done":false,"extra":1})"
      "\n"
      R"({"model":"m","created_at":"x","message":{"role":"assistant","content":""},"done":true,"done_reason":"unload","eval_count":1})"
      "\n";
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "content [hi]", "finish stop",
                                  "usage prompt=0 completion=1 reasoning=0 cached=0 source=server"}));
}

// ---- encoder ----

TEST(OllamaStreamEncoder, GoldenLines) {
  ollama::ServerCodecImpl codec;
  ChatRequest req;
  Usage u{26, 2, 0, 0, Usage::Source::server};
  u.timing = ServerTiming{5, 100, 200, 400};
  auto bytes = test::encode_stream(codec, req,
                                   {StreamEvent::content("The"), StreamEvent::content(" sky"),
                                    StreamEvent::finished(FinishReason::length), StreamEvent::usage_of(u)},
                                   {"id", "llama3.2", 1691164339});
  EXPECT_EQ(bytes,
            R"({"model":"llama3.2","created_at":"2023-08-04T15:52:19Z","message":{"role":"assistant","content":"The"},"done":false})"
            "\n"
            R"({"model":"llama3.2","created_at":"2023-08-04T15:52:19Z","message":{"role":"assistant","content":" sky"},"done":false})"
            "\n"
            R"({"model":"llama3.2","created_at":"2023-08-04T15:52:19Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","total_duration":400,"load_duration":5,"prompt_eval_count":26,"prompt_eval_duration":100,"eval_count":2,"eval_duration":200})"
            "\n");
  EXPECT_EQ(codec.stream_encoder(req, {})->content_type(), "application/x-ndjson");
}

TEST(OllamaStreamEncoder, ToolFragmentsBecomeWholeCallsAndRoundTrip) {
  ollama::ServerCodecImpl codec;
  StreamEvent t0 = StreamEvent::tool_call(0, "call_x", "f", "{\"a\":");
  StreamEvent t1 = StreamEvent::tool_call(0, "", "", "1}");
  auto bytes = test::encode_stream(codec, ChatRequest{},
                                   {StreamEvent::reasoning("hm"), t0, t1, StreamEvent::finished(FinishReason::tool_calls),
                                    StreamEvent::usage_of(Usage{3, 4, 0, 0, Usage::Source::server})});
  EXPECT_EQ(decode(bytes), (Lines{"role_start", "reasoning [hm]", "tool_call #0 id=call_0 name=f args=[{\"a\":1}]",
                                  "finish tool_calls",
                                  "usage prompt=3 completion=4 reasoning=0 cached=0 source=server"}));
}

// ---- requests, responses, errors ----

TEST(OllamaRequest, NumPredictIsMaxTokensAndUnknownOptionsAreKept) {
  auto req = ollama::decode_request_body(
      R"({"model":"llama3.2","messages":[{"role":"system","content":"sys"},{"role":"user","content":"why?","images":["iVBORw0KGgo"]},)"
      R"({"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"x":1}}}]},{"role":"tool","content":"42","tool_name":"f"}],)"
      R"("options":{"num_predict":64,"temperature":0.1,"num_ctx":8192,"stop":["\n"]},"keep_alive":"5m","think":true})",
      EndpointKind::chat);
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_TRUE(req->stream);  // Ollama streams unless told not to
  EXPECT_EQ(req->sampling.max_tokens, 64);
  EXPECT_EQ(show(*req),
            "endpoint=chat\nmodel=llama3.2\nprompt=\n"
            "  message role=system as_parts=0 name= tool_call_id= reasoning=\n"
            "    part text [sys] detail=\n"
            "  message role=user as_parts=0 name= tool_call_id= reasoning=\n"
            "    part text [why?] detail=\n"
            "    part image_url [data:image/png;base64,iVBORw0KGgo] detail=\n"
            "  message role=assistant as_parts=0 name= tool_call_id= reasoning=\n"
            "    part text [] detail=\n"
            "    tool_call id=call_0 name=f args={\"x\":1}\n"
            "  message role=tool as_parts=0 name=f tool_call_id=call_0 reasoning=\n"
            "    part text [42] detail=\n"
            "tool_choice=\n"
            "temperature=0.100000 top_p=- max_tokens=64 seed=-\n"
            "stop [\n]\n"
            "stream=1 include_usage=1 ignore_eos=-\n"
            "extra options={\"num_ctx\":8192}\n"
            "extra keep_alive=\"5m\"\n"
            "extra think=true\n");
  EXPECT_EQ(ollama::encode_request_body(*req),
            R"({"model":"llama3.2","messages":[{"role":"system","content":"sys"},{"role":"user","content":"why?","images":["iVBORw0KGgo"]},)"
            R"({"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"x":1}}}]},{"role":"tool","content":"42","tool_name":"f"}],)"
            R"("stream":true,"options":{"temperature":0.1,"num_predict":64,"stop":["\n"],"num_ctx":8192},"keep_alive":"5m","think":true})");
}

TEST(OllamaRequest, CanonicalRequestAlwaysSaysWhetherToStream) {
  ChatRequest req;
  req.model = "m";
  req.endpoint = EndpointKind::completion;
  req.prompt = "hi";
  req.sampling.max_tokens = 5;
  req.ignore_eos = true;
  auto wire = ollama::ClientCodecImpl().encode_request(req);
  ASSERT_TRUE(wire);
  EXPECT_EQ(wire->path, "generate");
  EXPECT_EQ(wire->body, R"({"model":"m","prompt":"hi","stream":false,"options":{"num_predict":5,"ignore_eos":true}})");
  ChatRequest with_url;
  with_url.model = "m";
  Message m = Message::of_text(Role::user, "look");
  m.content.push_back(ContentPart{ContentPart::Kind::image_url, "https://example.com/cat.png", {}});
  with_url.messages.push_back(m);
  auto refused = ollama::ClientCodecImpl().encode_request(with_url);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("base64"), std::string::npos);
}

TEST(OllamaResponse, WholeChatAnswerRoundTrips) {
  auto r = ollama::decode_response_body(
      R"({"model":"llama3.2","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant","content":"Hello! How are you today?"},"done":true,"done_reason":"stop","total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->finish, FinishReason::stop);
  EXPECT_EQ(r->usage.completion_tokens, 298);
  EXPECT_EQ(r->usage.timing.eval_ns, 4799921000);
  auto again = ollama::decode_response_body(ollama::encode_response_body(*r, EndpointKind::chat));
  ASSERT_TRUE(again);
  EXPECT_EQ(show(*again), show(*r));
}

TEST(OllamaErrors, ErrorBodies) {
  auto e = ollama::decode_error_body(404, R"({"error":"model \"llama3\" not found, try pulling it first"})");
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.message, "model \"llama3\" not found, try pulling it first");
  EXPECT_EQ(ollama::encode_error_body(ApiError{500, "x", "", "boom"}), R"({"error":"boom"})");
}

}  // namespace
}  // namespace llmux::api
