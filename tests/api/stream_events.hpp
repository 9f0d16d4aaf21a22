#pragma once
// Test helpers for the codecs: one-line renderings of canonical values, so tests compare
// whole values (and gtest prints a readable diff), and chunked feeding of a decoder.
#include <string>
#include <string_view>
#include <vector>

#include "api/codec.hpp"

namespace llmux::api::test {

std::string show(const StreamEvent& e);
std::vector<std::string> show(const std::vector<StreamEvent>& events);
// Every field of the request, one per line.
std::string show(const ChatRequest& r);
std::string show(const ChatResponse& r);

// Runs `pieces` through a fresh decoder for `endpoint`, then finish(); the events, or
// the first error.
Result<std::vector<StreamEvent>> decode_pieces(EndpointKind endpoint,
                                               const std::vector<std::string_view>& pieces);
Result<std::vector<StreamEvent>> decode_all(EndpointKind endpoint, std::string_view bytes);

}  // namespace llmux::api::test
