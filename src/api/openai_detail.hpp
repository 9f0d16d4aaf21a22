#pragma once
// Private to the OpenAI codec files.
#include "api/json_read.hpp"
#include "api/types.hpp"

namespace llmux::api::openai {

Usage decode_usage(const json::object& u);

}  // namespace llmux::api::openai
