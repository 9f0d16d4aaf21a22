#pragma once
// Splits a byte stream into lines (NDJSON, as Ollama streams), at any chunk boundary,
// with a line-length limit. Pure.
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace llmux::net {

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_bytes = 4u << 20) : max_(max_line_bytes) {}

  // Calls on_line(std::string_view) for each complete non-empty line (CR stripped).
  template <class F>
  Result<void> feed(std::string_view bytes, F&& on_line) {
    while (!bytes.empty()) {
      auto nl = bytes.find('\n');
      if (nl == std::string_view::npos) {
        // One byte of slack: a held trailing CR may be half of the line's CRLF.
        if (partial_.size() + bytes.size() > max_ + 1) return too_long();
        partial_.append(bytes);
        return {};
      }
      std::string_view line = bytes.substr(0, nl);
      if (!partial_.empty()) {
        partial_.append(line);
        line = partial_;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      // Checked on the whole line, so a stream fails the same way however it is chunked.
      if (line.size() > max_) return too_long();
      if (!line.empty()) on_line(line);
      partial_.clear();
      bytes.remove_prefix(nl + 1);
    }
    return {};
  }

  // End of stream: a last line without a newline is still a line.
  template <class F>
  void finish(F&& on_line) {
    std::string_view line = partial_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) on_line(line);
    partial_.clear();
  }

 private:
  Result<void> too_long() {
    partial_.clear();
    return fail(ErrorCode::limit, "stream line longer than " + std::to_string(max_) + " bytes");
  }
  std::size_t max_;
  std::string partial_;
};

}  // namespace llmux::net
