#pragma once
// Private to api/: the scaffolding of every dialect's stream decoder. The body is cut
// into frames — SSE events, or NDJSON lines — and each goes to the dialect's on_frame
// until one fails; at the end of the body, on_end says whether the stream was whole.
#include <string_view>
#include <vector>

#include "api/codec.hpp"
#include "net/line_splitter.hpp"
#include "net/sse_parser.hpp"

namespace llmux::api::util {

template <class Splitter, class Frame>
class FramedDecoder : public StreamDecoder {
 public:
  Result<void> feed(std::string_view bytes, std::vector<StreamEvent>& out) final {
    Result<void> result;
    auto r = splitter_.feed(bytes, [&](Frame frame) {
      if (result) result = on_frame(frame, out);
    });
    if (!r) return r;
    return result;
  }

  Result<void> finish(std::vector<StreamEvent>& out) final {
    Result<void> result;
    splitter_.finish([&](Frame frame) {
      if (result) result = on_frame(frame, out);
    });
    if (!result) return result;
    return on_end(out);
  }

 protected:
  virtual Result<void> on_frame(Frame frame, std::vector<StreamEvent>& out) = 0;
  // After the last frame: an error (stream_cut) when the terminal frame never came.
  virtual Result<void> on_end(std::vector<StreamEvent>& out) = 0;

 private:
  Splitter splitter_;
};

using SseDecoder = FramedDecoder<net::SseParser, const net::SseEvent&>;
using NdjsonDecoder = FramedDecoder<net::LineSplitter, std::string_view>;

}  // namespace llmux::api::util
