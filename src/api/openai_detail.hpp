#pragma once
// Private to the OpenAI codec files.
#include "api/json_read.hpp"
#include "api/types.hpp"

namespace llmux::api::openai {

Usage decode_usage(const json::object& u);
// llama.cpp's "timings" object: durations into u.timing, and its token counts into
// u when u has none from a usage object.
void apply_timings(const json::object& timings, Usage& u);

}  // namespace llmux::api::openai
