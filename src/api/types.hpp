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

// The APIs llmux speaks.
enum class Dialect { openai, anthropic, gemini, ollama };

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
  std::vector<RawField> extra = {};  // other members of the part ("cache_control"), kept verbatim
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
  std::string reasoning_signature = {};  // Anthropic thinking signature, returned with the thinking
  bool is_error = false;                 // role == tool: the tool reported a failure (Anthropic is_error)

  // Bytes of text it carries (content, reasoning, tool arguments): for sizing buffers.
  std::size_t text_size() const;
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
  std::optional<bool> parallel_tool_calls;  // false: at most one tool call (Anthropic disable_parallel_tool_use)
  // The API whose decoder built the request. What it kept verbatim (the extra members
  // here and in messages, parts and tools; raw parts) is in that API's terms and goes
  // out again only to that API: another's encoder leaves it out (unset: built in code).
  std::optional<Dialect> origin;
  std::vector<RawField> extra;

  // Every piece of text the request carries (prompt, messages, tool arguments and results).
  std::string all_text() const;
  // The prompt tokens, estimated where no tokenizer or upstream count is at hand: about
  // 4 bytes of text a token (English prose under the common BPE vocabularies), plus the
  // tool definitions, what a chat template adds per message, 1,600 an image (what
  // Anthropic counts for ~1.15 megapixels; smaller ones cost less) and 4 bytes a token
  // of a document part's JSON (base64 included: on the high side, as a context budget
  // wants it).
  std::int64_t estimate_prompt_tokens() const;
};

enum class FinishReason { none, stop, length, tool_calls, content_filter, error };
std::string_view to_string(FinishReason f);

// The server's own timing of one request, where it reports it (Ollama's durations,
// llama.cpp's timings). Nanoseconds; 0 = not reported.
struct ServerTiming {
  std::int64_t load_ns = 0;         // loading the model (Ollama load_duration)
  std::int64_t prompt_eval_ns = 0;  // prefill (prompt_eval_duration, llama.cpp prompt_ms)
  std::int64_t eval_ns = 0;         // decode (eval_duration, llama.cpp predicted_ms)
  std::int64_t total_ns = 0;        // whole request (total_duration)
  bool present() const { return load_ns || prompt_eval_ns || eval_ns || total_ns; }
};

struct Usage {
  enum class Source { none, server, estimated };
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t reasoning_tokens = 0;
  std::int64_t cached_prompt_tokens = 0;
  Source source = Source::none;
  std::int64_t cache_write_tokens = 0;  // prompt tokens written to the cache (Anthropic cache_creation)
  ServerTiming timing = {};
  bool present() const { return source != Source::none; }
};

// An error an upstream reported, in the body of a response or inside a stream.
struct ApiError {
  int http_status = 0;
  std::string type;     // "invalid_request_error", "rate_limit_error", "overloaded_error"...
  std::string code;
  std::string message;
  std::string param;    // the request field at fault (OpenAI "param"), when the server names it
};

// role_start may carry the prompt's usage (Anthropic message_start reports it);
// finish may carry the stop sequence that ended the answer in `text`;
// reasoning_signature carries an opaque signature for the reasoning so far in `text`
// (Anthropic signature_delta): not a token.
struct StreamEvent {
  enum class Kind { role_start, content_delta, reasoning_delta, tool_call_delta, usage, finish, error,
                    reasoning_signature };
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
  // role_start; `prompt` is the prompt's usage where the dialect reports it up front.
  static StreamEvent role_started(Usage prompt = {});
  static StreamEvent content(std::string text, int tokens = 0);
  static StreamEvent reasoning(std::string text, int tokens = 0);
  static StreamEvent tool_call(int index, std::string id, std::string name, std::string arguments);
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
  std::string stop_sequence = {};  // the stop sequence that ended the answer, when the server says
};

}  // namespace llmux::api
