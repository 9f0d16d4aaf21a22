#pragma once
// The canonical request, response and stream types every dialect codec maps to
// and from (DESIGN.md "Canonical types"). Bench, sim and gateway speak only these.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace llmux::api {

enum class Role { system, developer, user, assistant, tool };
std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

// A field the codec does not model, kept verbatim (key + JSON text) so that a
// same-dialect round trip loses nothing.
struct RawField {
  std::string key;
  std::string json;
};

struct ContentPart {
  enum class Kind { text, image_url, raw };
  Kind kind = Kind::text;
  std::string text;    // text; the URL for image_url; the part's JSON for raw
  std::string detail;  // image detail ("low", "high", "auto")
};

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text, as the model produced it
};

struct Message {
  Role role = Role::user;
  std::vector<ContentPart> content;
  bool content_as_parts = false;  // the sender used the array form (re-encoded the same way)
  std::string name;
  std::vector<ToolCall> tool_calls;
  std::string tool_call_id;        // role == tool: which call this answers
  std::string reasoning;           // assistant reasoning / thinking text
  std::vector<RawField> extra;

  // All text parts concatenated.
  std::string text() const;
  static Message of_text(Role role, std::string text);
};

struct ToolDef {
  std::string name;
  std::string description;
  std::string parameters_json = "{}";  // JSON Schema
  std::vector<RawField> extra;         // other function fields ("strict"), kept verbatim
};

struct Sampling {
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> max_tokens;
  bool max_tokens_is_completion_field = false;  // sent as max_completion_tokens
  std::vector<std::string> stop;
  std::optional<std::int64_t> seed;
};

enum class EndpointKind { chat, completion };

struct ChatRequest {
  EndpointKind endpoint = EndpointKind::chat;
  std::string model;
  std::vector<Message> messages;  // chat
  std::string prompt;             // legacy completions
  std::vector<ToolDef> tools;
  std::string tool_choice_json;   // verbatim: "\"auto\"" or {"type":"function",...}
  Sampling sampling;
  bool stream = false;
  bool include_usage = false;     // stream_options.include_usage
  std::optional<bool> ignore_eos; // vLLM / llama.cpp / sim extension
  std::vector<RawField> extra;

  // Every piece of text the request carries (prompt, messages, tool arguments and results).
  std::string all_text() const;
};

enum class FinishReason { none, stop, length, tool_calls, content_filter, error };
std::string_view to_string(FinishReason f);

struct Usage {
  enum class Source { none, server, estimated };
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t reasoning_tokens = 0;
  std::int64_t cached_prompt_tokens = 0;
  Source source = Source::none;
  bool present() const { return source != Source::none; }
};

// An error an upstream reported, in the body of a response or inside a stream.
struct ApiError {
  int http_status = 0;
  std::string type;     // "invalid_request_error", "rate_limit_error", "overloaded_error"...
  std::string code;
  std::string message;
};

struct StreamEvent {
  enum class Kind { role_start, content_delta, reasoning_delta, tool_call_delta, usage, finish, error };
  Kind kind = Kind::content_delta;
  std::string text;      // content or reasoning text; tool-call argument fragment
  int index = 0;         // tool-call index
  std::string id;        // tool-call id (first delta of a call)
  std::string name;      // function name (first delta of a call)
  int tokens = 0;        // tokens this delta carries when the server says so; 0 = unknown
  Usage usage;           // Kind::usage
  FinishReason finish = FinishReason::none;  // Kind::finish
  ApiError error;        // Kind::error
  std::int64_t server_time_ns = 0;  // sim annotation: when the server wrote it (CLOCK_MONOTONIC)

  bool is_token() const {
    return kind == Kind::content_delta || kind == Kind::reasoning_delta || kind == Kind::tool_call_delta;
  }
  static StreamEvent content(std::string text, int tokens = 0);
  static StreamEvent reasoning(std::string text, int tokens = 0);
  static StreamEvent finished(FinishReason f);
  static StreamEvent usage_of(Usage u);
  static StreamEvent failure(ApiError e);
};

// A whole (non-streamed) answer.
struct ChatResponse {
  std::string id;
  std::string model;
  std::int64_t created = 0;
  Message message;  // role assistant: content, tool calls, reasoning
  FinishReason finish = FinishReason::none;
  Usage usage;
};

}  // namespace llmux::api
