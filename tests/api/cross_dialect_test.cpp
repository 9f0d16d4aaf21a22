// Translation between dialects falls out of decoding into canonical types and
// encoding out again. For every pair of dialects: a request goes client A -> server
// A -> canonical -> client B -> server B and keeps its meaning; a stream goes
// encoder B -> decoder B -> encoder A -> decoder A and keeps its content, tool
// calls (indexes, ids), finish reason and usage.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "api/codec.hpp"
#include "api/openai_codec.hpp"
#include "api/stream_events.hpp"
#include "api/transcript.hpp"

namespace llmux::api {
namespace {

constexpr Dialect kDialects[] = {Dialect::openai, Dialect::anthropic, Dialect::gemini, Dialect::ollama};

// Compact JSON with sorted keys, so {"a":1,"b":2} and {"b":2,"a":1} compare equal.
std::string normal_json(std::string_view text) {
  simdjson::dom::parser p;
  simdjson::dom::element e;
  if (p.parse(text).get(e) != simdjson::SUCCESS) return "<not json: " + std::string(text) + ">";
  std::function<std::string(simdjson::dom::element)> walk = [&](simdjson::dom::element x) -> std::string {
    simdjson::dom::object o;
    simdjson::dom::array a;
    if (x.get(o) == simdjson::SUCCESS) {
      std::map<std::string, std::string> sorted;
      for (auto [k, v] : o) sorted[std::string(k)] = walk(v);
      std::string s = "{";
      for (auto& [k, v] : sorted) s += (s.size() > 1 ? "," : "") + k + ":" + v;
      return s + "}";
    }
    if (x.get(a) == simdjson::SUCCESS) {
      std::string s = "[";
      for (auto v : a) s += (s.size() > 1 ? "," : "") + walk(v);
      return s + "]";
    }
    return simdjson::minify(x);
  };
  return walk(e);
}

// ---- requests ----

ChatRequest conversation() {
  ChatRequest r;
  r.model = "some-model";
  r.messages.push_back(Message::of_text(Role::system, "You are terse."));
  r.messages.push_back(Message::of_text(Role::user, "Weather in Paris and the time?"));
  Message a = Message::of_text(Role::assistant, "Checking both.");
  a.tool_calls.push_back(ToolCall{"call_w1", "get_weather", "{\"city\": \"Paris\"}"});
  a.tool_calls.push_back(ToolCall{"call_t2", "get_time", "{\"tz\": \"CET\"}"});
  r.messages.push_back(a);
  Message t1 = Message::of_text(Role::tool, "{\"temp\":18}");
  t1.tool_call_id = "call_w1";
  Message t2 = Message::of_text(Role::tool, "{\"time\":\"10:00\"}");
  t2.tool_call_id = "call_t2";
  r.messages.push_back(t1);
  r.messages.push_back(t2);
  r.messages.push_back(Message::of_text(Role::user, "Thanks. Tomorrow?"));
  r.tools.push_back(ToolDef{"get_weather", "Current weather", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}", {}});
  r.tools.push_back(ToolDef{"get_time", "Local time", "{\"type\":\"object\"}", {}});
  r.tool_choice_json = "\"required\"";
  r.sampling.max_tokens = 300;
  r.sampling.temperature = 0.25;
  r.sampling.stop = {"END"};
  r.stream = true;
  return r;
}

// What a request means, independent of dialect: the text of each turn, tool calls by
// name and arguments, which call each result answers, tools, and sampling.
std::string meaning(const ChatRequest& r) {
  std::string s = "model=" + r.model + " stream=" + (r.stream ? "1" : "0") + "\n";
  std::map<std::string, std::string> call_names;  // id -> name, to show which call a result answers
  for (const auto& m : r.messages) {
    s += std::string(to_string(m.role == Role::developer ? Role::system : m.role)) + ": " + m.text();
    for (const auto& tc : m.tool_calls) {
      s += " call(" + tc.name + " " + normal_json(tc.arguments) + ")";
      call_names[tc.id] = tc.name;
    }
    if (m.role == Role::tool) s += " answers=" + call_names[m.tool_call_id];
    s += "\n";
  }
  for (const auto& t : r.tools) s += "tool " + t.name + " [" + t.description + "] " + normal_json(t.parameters_json) + "\n";
  s += "tool_choice=" + r.tool_choice_json + "\n";
  s += "max_tokens=" + std::to_string(r.sampling.max_tokens.value_or(-1)) +
       " temperature=" + std::to_string(r.sampling.temperature.value_or(-1));
  for (const auto& x : r.sampling.stop) s += " stop=" + x;
  return s + "\n";
}

std::string server_path(Dialect d, const WireRequest& w) {
  std::string path = w.path.substr(0, w.path.find('?'));
  switch (d) {
    case Dialect::anthropic: return "/v1/" + path;
    case Dialect::gemini: return "/v1beta/" + path;
    case Dialect::ollama: return "/api/" + path;
    case Dialect::openai: break;
  }
  return "/v1/" + path;
}

// Client half of `d` encodes, server half of `d` decodes: the request as that API's server sees it.
Result<ChatRequest> over_the_wire(Dialect d, const ChatRequest& r) {
  auto wire = make_client_codec(d)->encode_request(r);
  if (!wire) return tl::unexpected(wire.error());
  auto back = make_server_codec(d)->decode_request(server_path(d, *wire), wire->body);
  if (back && d == Dialect::gemini) back->model = r.model;  // Gemini carries the model in the path
  return back;
}

TEST(CrossDialectRequest, EveryPairKeepsTheMeaning) {
  const ChatRequest original = conversation();
  const std::string expected = meaning(original);
  for (Dialect a : kDialects) {
    for (Dialect b : kDialects) {
      SCOPED_TRACE(std::string(to_string(a)) + " client -> " + std::string(to_string(b)) + " backend");
      auto at_a = over_the_wire(a, original);
      ASSERT_TRUE(at_a) << at_a.error().message;
      auto at_b = over_the_wire(b, *at_a);
      ASSERT_TRUE(at_b) << at_b.error().message;
      std::string got = meaning(*at_b);
      if (b == Dialect::ollama || a == Dialect::ollama) {  // Ollama has no tool_choice: "required" is lost
        EXPECT_EQ(got, std::string(expected).replace(expected.find("tool_choice=\"required\""), 22, "tool_choice="));
      } else {
        EXPECT_EQ(got, expected);
      }
    }
  }
}

// What one API's client sent that llmux does not model goes on only to that API.
TEST(CrossDialectRequest, FieldsKeptVerbatimGoOnlyToTheAPIThatSentThem) {
  const std::string openai_body = R"({"model":"m","user":"u1","n":1,"metadata":{"a":"b"},"reasoning_effort":"low",
    "response_format":{"type":"json_object"},"parallel_tool_calls":false,
    "messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}],"prefix":true}],
    "tools":[{"type":"function","function":{"name":"f","strict":true,
      "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
                    "properties":{"x":{"type":["string","null"]}}}}}]})";
  auto from_openai = make_server_codec(Dialect::openai)->decode_request("/v1/chat/completions", openai_body);
  ASSERT_TRUE(from_openai) << from_openai.error().message;
  for (const char* field : {"u1", "\"n\"", "metadata", "reasoning_effort", "response_format", "cache_control",
                            "strict", "prefix", "parallel_tool_calls"})
    for (Dialect d : {Dialect::anthropic, Dialect::gemini, Dialect::ollama}) {
      auto wire = make_client_codec(d)->encode_request(*from_openai);
      ASSERT_TRUE(wire) << wire.error().message;
      EXPECT_EQ(wire->body.find(field), std::string::npos) << to_string(d) << " got " << field << ": " << wire->body;
    }
  // The same API gets them all back.
  auto same = make_client_codec(Dialect::openai)->encode_request(*from_openai);
  ASSERT_TRUE(same);
  for (const char* field : {"u1", "reasoning_effort", "response_format", "strict", "prefix"})
    EXPECT_NE(same->body.find(field), std::string::npos) << field << ": " << same->body;
  // parallel_tool_calls is understood: Anthropic's form of it, with the tools it needs.
  auto anthropic = make_client_codec(Dialect::anthropic)->encode_request(*from_openai);
  ASSERT_TRUE(anthropic);
  EXPECT_NE(anthropic->body.find("\"disable_parallel_tool_use\":true"), std::string::npos) << anthropic->body;
  ChatRequest no_tools = *from_openai;
  no_tools.tools.clear();
  EXPECT_EQ(make_client_codec(Dialect::anthropic)->encode_request(no_tools)->body.find("disable_parallel_tool_use"),
            std::string::npos)
      << "Anthropic refuses it without tools";
  // Gemini takes a JSON Schema whole as parametersJsonSchema (its `parameters` refuses
  // additionalProperties and type lists), without the $schema marker.
  auto gemini = make_client_codec(Dialect::gemini)->encode_request(*from_openai);
  ASSERT_TRUE(gemini);
  EXPECT_NE(gemini->body.find(R"("parametersJsonSchema":{"type":"object","additionalProperties":false)"),
            std::string::npos)
      << gemini->body;
  EXPECT_EQ(gemini->body.find("$schema"), std::string::npos) << gemini->body;

  const std::string anthropic_body = R"({"model":"m","max_tokens":10,"top_k":5,"thinking":{"type":"enabled","budget_tokens":1024},
    "messages":[{"role":"user","content":"hi"}],
    "tools":[{"name":"f","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}]})";
  auto from_anthropic = make_server_codec(Dialect::anthropic)->decode_request("/v1/messages", anthropic_body);
  ASSERT_TRUE(from_anthropic) << from_anthropic.error().message;
  for (Dialect d : {Dialect::openai, Dialect::gemini, Dialect::ollama}) {
    auto wire = make_client_codec(d)->encode_request(*from_anthropic);
    ASSERT_TRUE(wire);
    for (const char* field : {"top_k", "thinking", "cache_control"})
      EXPECT_EQ(wire->body.find(field), std::string::npos) << to_string(d) << " got " << field << ": " << wire->body;
  }
  // A Gemini client's schema goes back to Gemini as `parameters`.
  auto from_gemini = make_server_codec(Dialect::gemini)->decode_request(
      "/v1beta/models/m:generateContent",
      R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT"}}]}]})");
  ASSERT_TRUE(from_gemini) << from_gemini.error().message;
  auto back = make_client_codec(Dialect::gemini)->encode_request(*from_gemini);
  ASSERT_TRUE(back);
  EXPECT_NE(back->body.find(R"("parameters":{"type":"OBJECT"})"), std::string::npos) << back->body;
  // To the other APIs as JSON Schema: types in lower case, nullable as a null type.
  auto typed = make_server_codec(Dialect::gemini)->decode_request(
      "/v1beta/models/m:generateContent",
      R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}],"tools":[{"functionDeclarations":[{"name":"f",)"
      R"("parameters":{"type":"OBJECT","properties":{"x":{"type":"STRING","nullable":true}},"required":["x"]}}]}]})");
  ASSERT_TRUE(typed) << typed.error().message;
  for (Dialect d : {Dialect::openai, Dialect::anthropic, Dialect::ollama}) {
    auto wire = make_client_codec(d)->encode_request(*typed);
    ASSERT_TRUE(wire);
    EXPECT_NE(wire->body.find(R"({"type":"object","properties":{"x":{"type":["string","null"]}},"required":["x"]})"),
              std::string::npos)
        << to_string(d) << ": " << wire->body;
  }
}

TEST(CrossDialectRequest, AContentPartWithoutAnEquivalentIsRefusedByName) {
  auto from_anthropic = make_server_codec(Dialect::anthropic)->decode_request(
      "/v1/messages", R"({"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
        {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBE"}},
        {"type":"text","text":"summarise"}]}]})");
  ASSERT_TRUE(from_anthropic) << from_anthropic.error().message;
  for (Dialect d : {Dialect::openai, Dialect::gemini, Dialect::ollama}) {
    auto wire = make_client_codec(d)->encode_request(*from_anthropic);
    ASSERT_FALSE(wire) << to_string(d) << " took a PDF it cannot read: " << wire->body;
    EXPECT_EQ(wire.error().code, ErrorCode::usage);
    EXPECT_NE(wire.error().message.find("'document' from the anthropic API has no equivalent"), std::string::npos)
        << wire.error().message;
  }
  EXPECT_TRUE(make_client_codec(Dialect::anthropic)->encode_request(*from_anthropic)) << "its own API takes it";
}

// ---- streams ----

std::vector<StreamEvent> answer() {
  return {StreamEvent::role_started(),
          StreamEvent::reasoning("The user wants "),
          StreamEvent::reasoning("two tools."),
          StreamEvent::content("Let me "),
          StreamEvent::content("check."),
          StreamEvent::tool_call(0, "call_aaa", "get_weather", ""),
          StreamEvent::tool_call(0, "", "", "{\"city\": \"Pa"),
          StreamEvent::tool_call(0, "", "", "ris\"}"),
          StreamEvent::tool_call(1, "call_bbb", "get_time", "{\"tz\":"),
          StreamEvent::tool_call(1, "", "", " \"CET\"}"),
          StreamEvent::finished(FinishReason::tool_calls),
          StreamEvent::usage_of(Usage{42, 17, 0, 0, Usage::Source::server})};
}

// What a stream says: reasoning and content text, whole tool calls, finish, usage.
struct Said {
  std::string reasoning, content;
  std::vector<std::string> calls;  // "name args"
  std::vector<std::string> ids;
  std::string finish;
  std::string usage;
};

Said said(const std::vector<StreamEvent>& events) {
  Said s;
  std::map<int, std::pair<std::string, std::string>> calls;
  std::map<int, std::string> ids;
  for (const auto& e : events) {
    switch (e.kind) {
      case StreamEvent::Kind::reasoning_delta: s.reasoning += e.text; break;
      case StreamEvent::Kind::content_delta: s.content += e.text; break;
      case StreamEvent::Kind::tool_call_delta:
        if (!e.name.empty()) calls[e.index].first = e.name;
        if (!e.id.empty()) ids[e.index] = e.id;
        calls[e.index].second += e.text;
        break;
      case StreamEvent::Kind::finish: s.finish = std::string(to_string(e.finish)); break;
      case StreamEvent::Kind::usage:
        s.usage = std::to_string(e.usage.prompt_tokens) + "/" + std::to_string(e.usage.completion_tokens);
        break;
      default: break;
    }
  }
  for (auto& [i, c] : calls) {
    s.calls.push_back(c.first + " " + normal_json(c.second.empty() ? "{}" : c.second));
    s.ids.push_back(ids[i]);
  }
  return s;
}

ChatRequest stream_request() {
  ChatRequest r;
  r.stream = true;
  r.include_usage = true;
  r.model = "m";
  return r;
}

// Events through dialect d's server encoder and client decoder.
Result<std::vector<StreamEvent>> through(Dialect d, const std::vector<StreamEvent>& events) {
  auto bytes = test::encode_stream(*make_server_codec(d), stream_request(), events, {"id-1", "m", 1700000000});
  auto dec = make_client_codec(d)->stream_decoder(stream_request());
  std::vector<StreamEvent> out;
  if (auto r = dec->feed(bytes, out); !r) return tl::unexpected(r.error());
  if (auto r = dec->finish(out); !r) return tl::unexpected(r.error());
  return out;
}

TEST(CrossDialectStream, EveryPairKeepsContentToolCallsFinishAndUsage) {
  const Said expected = said(answer());
  for (Dialect client : kDialects) {
    for (Dialect backend : kDialects) {
      SCOPED_TRACE(std::string(to_string(backend)) + " backend -> " + std::string(to_string(client)) + " client");
      auto upstream = through(backend, answer());
      ASSERT_TRUE(upstream) << upstream.error().message;
      auto downstream = through(client, *upstream);
      ASSERT_TRUE(downstream) << downstream.error().message;
      Said got = said(*downstream);
      EXPECT_EQ(got.reasoning, expected.reasoning);
      EXPECT_EQ(got.content, expected.content);
      EXPECT_EQ(got.calls, expected.calls);
      EXPECT_EQ(got.finish, expected.finish);
      EXPECT_EQ(got.usage, expected.usage);
      for (const auto& id : got.ids) EXPECT_FALSE(id.empty()) << "every tool call has an id";
      // Indexes are 0, 1 and ids are distinct.
      ASSERT_EQ(got.ids.size(), 2u);
      EXPECT_NE(got.ids[0], got.ids[1]);
    }
  }
}

// The published Anthropic tool-use stream, relayed to an OpenAI client: chunks with
// tool_calls[].index, the id and type on the first delta, finish_reason tool_calls, and
// the usage chunk the client asked for.
TEST(CrossDialectStream, AnthropicUpstreamGivesACorrectOpenAiStream) {
  auto ev = [](std::string_view type, std::string_view data) {
    return "event: " + std::string(type) + "\ndata: " + std::string(data) + "\n\n";
  };
  std::string upstream =
      ev("message_start", R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"usage":{"input_tokens":472,"output_tokens":2}}})") +
      ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}})") +
      ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}})") +
      ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":" \"SF\"}"}})") +
      ev("content_block_stop", R"({"type":"content_block_stop","index":0})") +
      ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}})") +
      ev("message_stop", R"({"type":"message_stop"})");
  auto dec = make_client_codec(Dialect::anthropic)->stream_decoder(stream_request());
  std::vector<StreamEvent> events;
  ASSERT_TRUE(dec->feed(upstream, events));
  ASSERT_TRUE(dec->finish(events));
  auto bytes = test::encode_stream(*make_server_codec(Dialect::openai), stream_request(), events,
                                   {"chatcmpl-1", "claude", 1});
  const std::string head = R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"claude","choices":)";
  EXPECT_EQ(bytes,
            head + R"([{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})" "\n\n" +
            head + R"([{"index":0,"delta":{"tool_calls":[{"index":0,"id":"toolu_01","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]})" "\n\n" +
            head + R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"location\":"}}]},"finish_reason":null}]})" "\n\n" +
            head + R"([{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \"SF\"}"}}]},"finish_reason":null}]})" "\n\n" +
            head + R"([{"index":0,"delta":{},"finish_reason":"tool_calls"}]})" "\n\n" +
            head + R"([],"usage":{"prompt_tokens":472,"completion_tokens":89,"total_tokens":561}})" "\n\n"
            "data: [DONE]\n\n");
}

// The reverse: an OpenAI upstream relayed to an Anthropic client.
TEST(CrossDialectStream, OpenAiUpstreamGivesACorrectAnthropicStream) {
  std::string upstream =
      R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})" "\n\n"
      R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})" "\n\n"
      R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":null}]})" "\n\n"
      R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})" "\n\n"
      R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}})" "\n\n"
      "data: [DONE]\n\n";
  std::vector<StreamEvent> events;
  auto dec = openai::make_stream_decoder(EndpointKind::chat);
  ASSERT_TRUE(dec->feed(upstream, events));
  ASSERT_TRUE(dec->finish(events));
  auto bytes = test::encode_stream(*make_server_codec(Dialect::anthropic), stream_request(), events, {"msg_1", "gpt", 1});
  auto ev = [](std::string_view type, std::string_view data) {
    return "event: " + std::string(type) + "\ndata: " + std::string(data) + "\n\n";
  };
  EXPECT_EQ(bytes,
            ev("message_start", R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"gpt","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}})") +
            ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})") +
            ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})") +
            ev("content_block_stop", R"({"type":"content_block_stop","index":0})") +
            ev("content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_1","name":"f","input":{}}})") +
            ev("content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}})") +
            ev("content_block_stop", R"({"type":"content_block_stop","index":1})") +
            ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":5,"output_tokens":7}})") +
            ev("message_stop", R"({"type":"message_stop"})"));
}

// OpenAI upstreams may interleave the fragments of parallel tool calls; Anthropic's
// blocks run start, deltas, stop one after another, and SDKs that act on a block's stop
// must see its whole input by then.
TEST(CrossDialectStream, InterleavedParallelToolCallsBecomeAnthropicBlocksInOrder) {
  std::vector<StreamEvent> events = {StreamEvent::role_started(),
                                     StreamEvent::content("Both."),
                                     StreamEvent::tool_call(0, "call_A", "f", ""),
                                     StreamEvent::tool_call(1, "call_B", "g", ""),
                                     StreamEvent::tool_call(0, "", "", "{\"x\":"),
                                     StreamEvent::tool_call(1, "", "", "{\"y\":\"}{\""),
                                     StreamEvent::tool_call(0, "", "", "1}"),
                                     StreamEvent::tool_call(1, "", "", "}"),
                                     StreamEvent::tool_call(2, "call_C", "h", "{}"),
                                     StreamEvent::finished(FinishReason::tool_calls),
                                     StreamEvent::usage_of(Usage{5, 7, 0, 0, Usage::Source::server})};
  auto bytes = test::encode_stream(*make_server_codec(Dialect::anthropic), stream_request(), events, {"msg_1", "m", 1});
  // Walk the events: one block open at a time, deltas only inside their block, input by block.
  simdjson::dom::parser parser;
  int open = -1, next = 0;
  std::map<int, std::string> input, name;
  std::size_t at = 0;
  while ((at = bytes.find("data: ", at)) != std::string::npos) {
    auto end = bytes.find('\n', at);
    std::string data = bytes.substr(at + 6, end - at - 6);
    at = end;
    simdjson::dom::element ev;
    ASSERT_EQ(parser.parse(data).get(ev), simdjson::SUCCESS) << data;
    std::string_view type = ev["type"].get_string().value_unsafe();
    if (type == "content_block_start") {
      ASSERT_EQ(open, -1) << "a block started while another was open: " << bytes;
      open = static_cast<int>(ev["index"].get_int64().value_unsafe());
      EXPECT_EQ(open, next++) << "blocks are numbered in order";
      std::string_view n;
      if (ev["content_block"]["name"].get(n) == simdjson::SUCCESS) name[open] = std::string(n);
    } else if (type == "content_block_delta") {
      EXPECT_EQ(ev["index"].get_int64().value_unsafe(), open) << "a delta outside its block: " << bytes;
      std::string_view part;
      if (ev["delta"]["partial_json"].get(part) == simdjson::SUCCESS) input[open] += std::string(part);
    } else if (type == "content_block_stop") {
      EXPECT_EQ(ev["index"].get_int64().value_unsafe(), open);
      open = -1;
    }
  }
  EXPECT_EQ(open, -1);
  ASSERT_EQ(next, 4) << bytes;  // text, f, g, h
  EXPECT_EQ(name[1], "f");
  EXPECT_EQ(input[1], "{\"x\":1}");
  EXPECT_EQ(name[2], "g");
  EXPECT_EQ(input[2], "{\"y\":\"}{\"}") << "braces inside strings do not end a call";
  EXPECT_EQ(name[3], "h");
  EXPECT_EQ(input[3], "{}");
}

// Calls that come one after another (the usual case) stream live: a call whose
// arguments are complete gives way to the next at once, not at the end of the answer.
TEST(CrossDialectStream, SequentialToolCallsStreamLiveAsAnthropicBlocks) {
  auto enc = make_server_codec(Dialect::anthropic)->stream_encoder(stream_request(), {"msg_1", "m", 1});
  std::string out;
  enc->encode(StreamEvent::role_started(), out);
  enc->encode(StreamEvent::tool_call(0, "call_A", "f", "{\"x\":1}"), out);
  enc->encode(StreamEvent::tool_call(1, "call_B", "g", ""), out);
  EXPECT_NE(out.find("\"name\":\"g\""), std::string::npos) << "g's block started as its call began: " << out;
  enc->encode(StreamEvent::tool_call(1, "", "", "{\"y\":"), out);
  EXPECT_NE(out.find("{\\\"y\\\":"), std::string::npos) << "and its fragments go out as they come: " << out;
}

TEST(CrossDialectStream, WholeResponsesTranslateToo) {
  ChatResponse r;
  r.id = "x";
  r.model = "m";
  r.message.role = Role::assistant;
  r.message.content.push_back(ContentPart{ContentPart::Kind::text, "Answer.", {}});
  r.message.reasoning = "thought";
  r.message.tool_calls.push_back(ToolCall{"call_q", "lookup", "{\"q\":\"x\"}"});
  r.finish = FinishReason::tool_calls;
  r.usage = Usage{11, 22, 0, 0, Usage::Source::server};
  for (Dialect d : kDialects) {
    SCOPED_TRACE(std::string(to_string(d)));
    auto body = make_server_codec(d)->encode_response(r, stream_request());
    auto back = make_client_codec(d)->decode_response(body);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->message.text(), "Answer.");
    EXPECT_EQ(back->message.reasoning, "thought");
    ASSERT_EQ(back->message.tool_calls.size(), 1u);
    EXPECT_EQ(back->message.tool_calls[0].name, "lookup");
    EXPECT_EQ(normal_json(back->message.tool_calls[0].arguments), normal_json("{\"q\":\"x\"}"));
    EXPECT_EQ(back->finish, FinishReason::tool_calls);
    EXPECT_EQ(back->usage.prompt_tokens, 11);
    EXPECT_EQ(back->usage.completion_tokens, 22);
  }
}

}  // namespace
}  // namespace llmux::api
