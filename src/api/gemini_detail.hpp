#pragma once
// Private to the Gemini codec files.
#include "api/json_read.hpp"
#include "api/types.hpp"
#include "core/json_writer.hpp"

namespace llmux::api::gemini {

// usageMetadata: candidatesTokenCount excludes thoughtsTokenCount; canonical
// completion_tokens include reasoning (as OpenAI's do).
void write_usage(JsonWriter& w, const Usage& u);
Usage decode_usage(const json::object& u);

// One response part into the message (text, thought, functionCall); tool-call ids
// the server did not give are made up as "call_<n>".
void decode_part(const json::object& part, Message& m, int& tool_ordinal);
// One content part: text, inlineData (data URLs), fileData (other URLs), raw as it came.
void write_part(JsonWriter& w, const ContentPart& p);
// A model turn's parts: thoughts, text, function calls.
void write_model_parts(JsonWriter& w, const Message& m);
// "functionCall": {id, name, args}, inside a part object.
void write_function_call(JsonWriter& w, const ToolCall& tc);
// Whether a call id came from Gemini (sent back) or was made up as "call_<n>" (not sent).
bool is_gemini_id(std::string_view id);

std::string_view status_for(const ApiError& e);

}  // namespace llmux::api::gemini
