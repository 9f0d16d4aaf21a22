#pragma once
// Golden-transcript checks for any dialect's stream decoder: the same bytes must
// decode to the same events (or fail the same way) however the body is cut, so each
// transcript is fed split at every byte boundary, and one byte at a time.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/codec.hpp"

namespace llmux::api::test {

using DecoderFactory = std::function<std::unique_ptr<StreamDecoder>()>;

// Events (shown one per line) from bytes fed as `pieces`, then finish(); or the error.
Result<std::vector<std::string>> decode_shown(const DecoderFactory& make, const std::vector<std::string_view>& pieces);

// Decodes `bytes` whole, then cut at every boundary and byte by byte; every way must
// give the same result. Returns the events of the whole feed, or its error.
Result<std::vector<std::string>> decode_every_boundary(const DecoderFactory& make, std::string_view bytes);

// Encodes events with a server codec's stream encoder (then finish()).
std::string encode_stream(const ServerCodec& codec, const ChatRequest& req, const std::vector<StreamEvent>& events,
                          ResponseMeta meta = {"id-1", "model-1", 1700000000});

}  // namespace llmux::api::test
