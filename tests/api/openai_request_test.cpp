// OpenAI request bodies: canonical round trips, real-world bodies from the API
// reference, and errors that name the offending field.
#include <gtest/gtest.h>

#include "api/openai_codec.hpp"
#include "api/stream_events.hpp"

namespace llmux::api {
namespace {

using openai::decode_request_body;
using openai::encode_request_body;
using test::show;

ContentPart text(std::string t) { return ContentPart{ContentPart::Kind::text, std::move(t), {}}; }

// Everything the codec models, plus fields it does not.
ChatRequest rich_request() {
  ChatRequest r;
  r.model = "gpt-4o-2024-08-06";
  r.messages.push_back(Message::of_text(Role::system, "You are terse."));
  r.messages.push_back(Message::of_text(Role::developer, "Answer in \"JSON\".\nNo prose."));
  Message user;
  user.role = Role::user;
  user.content_as_parts = true;
  user.name = "alice";
  user.content = {text("What is in this image? Ünïcødé ✓"),
                  ContentPart{ContentPart::Kind::image_url, "https://example.com/cat.png", "high"},
                  ContentPart{ContentPart::Kind::image_url, "data:image/png;base64,iVBORw0KGgo=", ""},
                  ContentPart{ContentPart::Kind::raw,
                              R"({"type":"input_audio","input_audio":{"data":"UklGR","format":"wav"}})",
                              {}}};
  user.extra = {RawField{"cache_control", R"({"type":"ephemeral"})"}};
  r.messages.push_back(user);
  Message assistant;
  assistant.role = Role::assistant;
  assistant.reasoning = "The user wants weather for two cities.";
  assistant.tool_calls = {ToolCall{"call_1", "get_weather", R"({"city":"Paris"})"},
                          ToolCall{"call_2", "get_weather", R"({"city":"Tokyo","unit":"c"})"}};
  r.messages.push_back(assistant);
  Message tool1 = Message::of_text(Role::tool, R"({"temp":21})");
  tool1.tool_call_id = "call_1";
  r.messages.push_back(tool1);
  Message tool2;
  tool2.role = Role::tool;
  tool2.tool_call_id = "call_2";
  tool2.content_as_parts = true;
  tool2.content = {text("18 C"), text(" and raining")};
  r.messages.push_back(tool2);
  Message prefill = Message::of_text(Role::assistant, "The weather is");
  prefill.extra = {RawField{"prefix", "true"}};
  r.messages.push_back(prefill);
  ToolDef weather;
  weather.name = "get_weather";
  weather.description = "Current weather for a city";
  weather.parameters_json =
      R"({"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},"required":["city"],"additionalProperties":false})";
  weather.extra = {RawField{"strict", "true"}};
  r.tools.push_back(weather);
  ToolDef noop;
  noop.name = "noop";
  r.tools.push_back(noop);
  r.tool_choice_json = R"({"type":"function","function":{"name":"get_weather"}})";
  r.sampling.temperature = 0.7;
  r.sampling.top_p = 0.95;
  r.sampling.max_tokens = 512;
  r.sampling.max_tokens_is_completion_field = true;
  r.sampling.stop = {"\n\n", "END", ""};
  r.sampling.seed = 1234567890123456789;  // beyond double precision
  r.stream = true;
  r.include_usage = true;
  r.ignore_eos = true;
  r.extra = {RawField{"response_format", R"({"type":"json_schema","json_schema":{"name":"w","schema":{}}})"},
             RawField{"logit_bias", R"({"50256":-100})"},
             RawField{"user", R"("user-42")"},
             RawField{"n", "1"},
             RawField{"metadata", R"({"team":"ml","nested":[1,2.5,null,true]})"}};
  r.parallel_tool_calls = false;
  return r;
}

TEST(OpenAiRequest, RichRequestRoundTrips) {
  ChatRequest in = rich_request();
  std::string body = encode_request_body(in);
  auto out = decode_request_body(body, EndpointKind::chat);
  ASSERT_TRUE(out) << out.error().describe() << "\n" << body;
  EXPECT_EQ(show(*out), show(in)) << body;
  EXPECT_EQ(encode_request_body(*out), body);
}

TEST(OpenAiRequest, PlainRequestRoundTrips) {
  ChatRequest in;
  in.model = "llama3.2";
  in.messages.push_back(Message::of_text(Role::user, ""));
  in.messages.push_back(Message::of_text(Role::user, "hi"));
  Message empty_parts;
  empty_parts.content_as_parts = true;
  in.messages.push_back(empty_parts);
  Message silent;
  silent.role = Role::assistant;  // content null
  in.messages.push_back(silent);
  in.sampling.max_tokens = 0;
  in.sampling.seed = -7;
  in.sampling.temperature = 0.0;
  in.ignore_eos = false;
  auto out = decode_request_body(encode_request_body(in), EndpointKind::chat);
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(show(*out), show(in)) << encode_request_body(in);
}

TEST(OpenAiRequest, EncodesTheWireShapeServersExpect) {
  ChatRequest r;
  r.model = "m";
  r.messages.push_back(Message::of_text(Role::user, "hi"));
  r.sampling.max_tokens = 16;
  r.sampling.temperature = 0.5;
  r.stream = true;
  r.include_usage = true;
  r.ignore_eos = true;
  EXPECT_EQ(encode_request_body(r),
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.5,"max_tokens":16,)"
            R"("stream":true,"stream_options":{"include_usage":true},"ignore_eos":true})");
}

// From the Chat Completions API reference ("Default", "Image input", "Functions", "Logprobs").
TEST(OpenAiRequest, DecodesReferenceExamples) {
  auto basic = decode_request_body(R"({
    "model": "gpt-4o",
    "messages": [
      {"role": "developer", "content": "You are a helpful assistant."},
      {"role": "user", "content": "Hello!"}
    ]
  })",
                                   EndpointKind::chat);
  ASSERT_TRUE(basic) << basic.error().describe();
  EXPECT_EQ(basic->model, "gpt-4o");
  ASSERT_EQ(basic->messages.size(), 2u);
  EXPECT_EQ(basic->messages[0].role, Role::developer);
  EXPECT_EQ(basic->messages[1].text(), "Hello!");
  EXPECT_FALSE(basic->stream);

  auto image = decode_request_body(R"({
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": [
      {"type": "text", "text": "What's in this image?"},
      {"type": "image_url", "image_url": {"url": "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg", "detail": "low"}}
    ]}],
    "max_tokens": 300
  })",
                                   EndpointKind::chat);
  ASSERT_TRUE(image) << image.error().describe();
  const auto& parts = image->messages.at(0).content;
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].kind, ContentPart::Kind::image_url);
  EXPECT_NE(parts[1].text.find("boardwalk.jpg"), std::string::npos);
  EXPECT_EQ(parts[1].detail, "low");
  EXPECT_EQ(image->sampling.max_tokens, 300);
  EXPECT_FALSE(image->sampling.max_tokens_is_completion_field);

  auto tools = decode_request_body(R"({
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": "What's the weather like in Boston today?"}],
    "tools": [{"type": "function", "function": {
      "name": "get_current_weather",
      "description": "Get the current weather in a given location",
      "parameters": {"type": "object", "properties": {
        "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["location"]},
      "strict": true}}],
    "tool_choice": "auto",
    "logprobs": true,
    "top_logprobs": 2
  })",
                                   EndpointKind::chat);
  ASSERT_TRUE(tools) << tools.error().describe();
  ASSERT_EQ(tools->tools.size(), 1u);
  EXPECT_EQ(tools->tools[0].name, "get_current_weather");
  EXPECT_EQ(tools->tool_choice_json, R"("auto")");
  EXPECT_NE(tools->tools[0].parameters_json.find(R"("enum":["celsius","fahrenheit"])"), std::string::npos);
  // Same-dialect pass-through keeps what the codec does not model.
  std::string again = encode_request_body(*tools);
  for (const char* kept :
       {R"("strict":true)", R"("logprobs":true)", R"("top_logprobs":2)", R"("tool_choice":"auto")"})
    EXPECT_NE(again.find(kept), std::string::npos) << kept << " lost in " << again;
}

TEST(OpenAiRequest, DecodesAToolCallConversation) {
  auto r = decode_request_body(R"({"model":"gpt-4o","messages":[
    {"role":"user","content":"Weather in Paris?"},
    {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function",
      "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}],"refusal":null},
    {"role":"tool","tool_call_id":"call_abc","content":"{\"temp\":21}"}],
    "seed":42,"stop":"\n","max_completion_tokens":64,"stream":true,"stream_options":{"include_usage":true}})",
                               EndpointKind::chat);
  ASSERT_TRUE(r) << r.error().describe();
  const Message& a = r->messages.at(1);
  EXPECT_TRUE(a.content.empty());
  ASSERT_EQ(a.tool_calls.size(), 1u);
  EXPECT_EQ(a.tool_calls[0].id, "call_abc");
  EXPECT_EQ(a.tool_calls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(r->messages.at(2).tool_call_id, "call_abc");
  EXPECT_EQ(r->sampling.seed, 42);
  EXPECT_EQ(r->sampling.stop, std::vector<std::string>{"\n"});
  EXPECT_EQ(r->sampling.max_tokens, 64);
  EXPECT_TRUE(r->sampling.max_tokens_is_completion_field);
  EXPECT_TRUE(r->stream);
  EXPECT_TRUE(r->include_usage);
  EXPECT_NE(r->all_text().find(R"({"city":"Paris"})"), std::string::npos);
  EXPECT_NE(r->all_text().find("Weather in Paris?"), std::string::npos);
}

TEST(OpenAiRequest, IntegerFieldsKeepTheirExactValue) {
  auto r = decode_request_body(
      R"({"model":"m","messages":[{"role":"user","content":"x"}],"seed":9007199254740993,"max_tokens":4096})",
      EndpointKind::chat);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->sampling.seed, 9007199254740993);
  EXPECT_EQ(r->sampling.max_tokens, 4096);
  // Python clients that computed a float send 256.0; it is still 256 tokens.
  auto f = decode_request_body(
      R"({"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":256.0})", EndpointKind::chat);
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->sampling.max_tokens, 256);
}

struct BadCase {
  const char* body;
  const char* names;  // the message must name this
};

TEST(OpenAiRequest, MalformedRequestsNameTheField) {
  const BadCase cases[] = {
      {R"({"model":"m","messages":[{"role":"user","content":"a"},{"content":"no role"}]})",
       "messages[1].role"},
      {R"({"model":"m","messages":[{"role":"robot","content":"a"}]})", "messages[0].role"},
      {R"({"model":"m","messages":[{"role":7,"content":"a"}]})", "messages[0].role"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"},{"role":"user","content":1}]})",
       "messages[1].content"},
      {R"({"model":"m","messages":[{"role":"user","content":["x"]}]})", "messages[0].content[0]"},
      {R"({"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]})",
       "messages[0].content[0].text"},
      {R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]})",
       "messages[0].content[0].image_url.url"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c"}]}]})",
       "messages[0].tool_calls[0].function"},
      {R"({"model":"m","messages":[{"role":"assistant","tool_calls":{}}]})", "messages[0].tool_calls"},
      {R"({"model":"m","messages":["hi"]})", "messages[0]"},
      {R"({"model":"m","messages":{}})", "messages"},
      {R"({"model":"m","messages":[]})", "messages"},
      {R"({"messages":[{"role":"user","content":"a"}]})", "model"},
      {R"({"model":5,"messages":[{"role":"user","content":"a"}]})", "model"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"tools":[{"type":"function"}]})",
       "tools[0].function"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"tools":[{"function":{"description":"d"}}]})",
       "tools[0].function.name"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"temperature":"hot"})", "temperature"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"max_tokens":-1})", "max_tokens"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"max_tokens":"many"})", "max_tokens"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"seed":"x"})", "seed"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"seed":1.5})", "seed"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"seed":18446744073709551615})", "seed"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"stop":[1]})", "stop"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"stream":"yes"})", "stream"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"ignore_eos":1})", "ignore_eos"},
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"parallel_tool_calls":"no"})", "parallel_tool_calls"},
      // One choice only: a second would be dropped without a word.
      {R"({"model":"m","messages":[{"role":"user","content":"a"}],"n":3})", "n = 3: llmux answers with one choice"},
  };
  for (const auto& c : cases) {
    auto r = decode_request_body(c.body, EndpointKind::chat);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, ErrorCode::parse) << c.body;
    EXPECT_NE(r.error().message.find(c.names), std::string::npos)
        << c.body << "\n  message: " << r.error().message << "\n  should name: " << c.names;
  }
}

TEST(OpenAiRequest, BodiesThatAreNotJsonObjectsAreParseErrors) {
  for (const char* body : {"", "not json", "[1,2]", "{\"model\":", "null"}) {
    auto r = decode_request_body(body, EndpointKind::chat);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, ErrorCode::parse) << body;
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(OpenAiRequest, LegacyCompletionsRoundTrip) {
  auto r = decode_request_body(
      R"({"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","max_tokens":7,"temperature":0,"echo":false})",
      EndpointKind::completion);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->endpoint, EndpointKind::completion);
  EXPECT_EQ(r->prompt, "Say this is a test");
  EXPECT_EQ(r->sampling.max_tokens, 7);
  EXPECT_EQ(r->sampling.temperature, 0.0);
  EXPECT_TRUE(r->messages.empty());
  auto again = decode_request_body(encode_request_body(*r), EndpointKind::completion);
  ASSERT_TRUE(again);
  EXPECT_EQ(show(*again), show(*r));
  EXPECT_NE(encode_request_body(*r).find(R"("echo":false)"), std::string::npos);
  // A list of one prompt is that prompt; a batch or token ids are refused, not sent on as JSON text.
  auto one = decode_request_body(R"({"model":"m","prompt":["hello"]})", EndpointKind::completion);
  ASSERT_TRUE(one) << one.error().describe();
  EXPECT_EQ(one->prompt, "hello");
  for (const char* body : {R"({"model":"m","prompt":["hello","world"]})", R"({"model":"m","prompt":[45,39]})",
                           R"({"model":"m","prompt":{"x":1}})"}) {
    auto bad = decode_request_body(body, EndpointKind::completion);
    ASSERT_FALSE(bad) << body;
    EXPECT_NE(bad.error().message.find("one prompt per request"), std::string::npos) << bad.error().message;
  }
}

TEST(OpenAiRequest, CodecsPickTheEndpointFromThePath) {
  openai::ServerCodecImpl server;
  auto chat = server.decode_request("/v1/chat/completions",
                                    R"({"model":"m","messages":[{"role":"user","content":"a"}]})");
  ASSERT_TRUE(chat) << chat.error().describe();
  EXPECT_EQ(chat->endpoint, EndpointKind::chat);
  auto legacy = server.decode_request("/v1/completions", R"({"model":"m","prompt":"a"})");
  ASSERT_TRUE(legacy) << legacy.error().describe();
  EXPECT_EQ(legacy->endpoint, EndpointKind::completion);

  openai::ClientCodecImpl client;
  auto wire = client.encode_request(*chat);
  ASSERT_TRUE(wire);
  EXPECT_EQ(wire->method, "POST");
  EXPECT_EQ(wire->path, "chat/completions");
  EXPECT_EQ(client.encode_request(*legacy)->path, "completions");
  EXPECT_NE(make_client_codec(Dialect::openai), nullptr);
  EXPECT_EQ(parse_dialect("openai"), Dialect::openai);
  EXPECT_FALSE(parse_dialect("cohere"));
}

}  // namespace
}  // namespace llmux::api
