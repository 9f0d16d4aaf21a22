#pragma once
// Server-sent events parser following the WHATWG event-stream rules: fields
// event/data/id/retry, multi-line data, comments, CRLF/LF/CR line ends split at
// any chunk boundary, a leading UTF-8 BOM. Pure: bytes in, events out.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace llmux::net {

struct SseEvent {
  std::string_view type;  // "message" unless an event: field said otherwise
  std::string_view data;  // data lines joined with '\n'
  std::string_view id;    // the last event id seen so far
  std::optional<std::int64_t> retry;  // set when this event carried a valid retry: field
};

struct SseLimits {
  std::size_t max_line_bytes = 4u << 20;   // one line (a data: line carries a whole JSON chunk)
  std::size_t max_event_bytes = 16u << 20; // one event's data
};

class SseParser {
 public:
  explicit SseParser(SseLimits limits = {}) : limits_(limits) {}

  // Feeds bytes; calls on_event(const SseEvent&) for each complete event. Returns an
  // error (and stays failed) when a limit is exceeded. The views in the event are valid
  // only during the callback.
  template <class F>
  Result<void> feed(std::string_view bytes, F&& on_event);

  // End of stream. Per the spec an unterminated event is dropped; with flush_partial
  // it is dispatched instead (servers that omit the final blank line). Returns true when
  // the stream ended in the middle of an event.
  template <class F>
  bool finish(F&& on_event, bool flush_partial = true);

  std::size_t comments_seen() const { return comments_; }
  std::size_t events_seen() const { return events_; }

 private:
  // Handles one complete line; returns true when it completed an event.
  bool process_line(std::string_view line);
  SseEvent current_event() const;
  void reset_event();

  SseLimits limits_;
  std::string line_;        // incomplete line carried across chunks
  std::string data_;        // data buffer of the event being built
  std::string type_;        // event type of the event being built
  std::string last_id_;
  std::optional<std::int64_t> retry_;
  bool have_data_ = false;
  bool in_event_ = false;   // any field seen since the last dispatch
  bool skip_lf_ = false;    // previous chunk ended with CR: a leading LF belongs to it
  bool started_ = false;    // BOM check done
  std::string bom_;         // bytes held while deciding whether they are a BOM
  bool failed_ = false;
  std::size_t comments_ = 0;
  std::size_t events_ = 0;
};

// Writer half: appends one event to `out` ("event: x\n" "data: ...\n" per line, then "\n").
void append_sse_event(std::string& out, std::string_view data, std::string_view type = {}, std::string_view id = {});
// ": text\n\n", a comment servers send as keep-alive.
void append_sse_comment(std::string& out, std::string_view text);

template <class F>
Result<void> SseParser::feed(std::string_view bytes, F&& on_event) {
  if (failed_) return fail(ErrorCode::malformed, "event stream already failed");
  if (!started_) {
    static constexpr std::string_view kBom = "\xEF\xBB\xBF";
    while (!bytes.empty() && bom_.size() < 3 && bytes.front() == kBom[bom_.size()]) {
      bom_ += bytes.front();
      bytes.remove_prefix(1);
    }
    if (bom_.size() < 3 && bytes.empty()) return {};  // still could be a BOM
    started_ = true;
    if (bom_.size() < 3 && !bom_.empty()) {  // not a BOM after all: those bytes are data
      std::string held = std::move(bom_);
      bom_.clear();
      if (auto r = feed(held, on_event); !r) return r;
    }
  }
  std::size_t i = 0;
  if (skip_lf_ && !bytes.empty()) {
    if (bytes.front() == '\n') i = 1;
    skip_lf_ = false;
  }
  const char* p = bytes.data();
  const std::size_t n = bytes.size();
  // The next LF and the next CR at or after i (n: none), each found with memchr and looked
  // for again only once passed, so that a chunk is scanned once for each whatever its endings.
  auto next = [&](std::size_t from, char c) {
    const void* hit = std::memchr(p + from, c, n - from);
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - p) : n;
  };
  std::size_t lf = i < n ? next(i, '\n') : n, cr = i < n ? next(i, '\r') : n;
  while (i < n) {
    if (lf < i) lf = next(i, '\n');
    if (cr < i) cr = next(i, '\r');
    std::size_t j = std::min(lf, cr);
    if (j == n) {  // incomplete line
      if (line_.size() + (n - i) > limits_.max_line_bytes) {
        failed_ = true;
        return fail(ErrorCode::limit, "event-stream line longer than " + std::to_string(limits_.max_line_bytes) +
                                          " bytes");
      }
      line_.append(p + i, n - i);
      break;
    }
    std::string_view line(p + i, j - i);
    // The limit holds for a line that arrives whole in one chunk too, not only for one
    // carried across chunks: the same stream must fail the same way however it is cut.
    if (line_.size() + line.size() > limits_.max_line_bytes) {
      failed_ = true;
      return fail(ErrorCode::limit, "event-stream line longer than " + std::to_string(limits_.max_line_bytes) +
                                        " bytes");
    }
    if (!line_.empty()) {
      line_.append(line);
      line = line_;
    }
    bool dispatch = process_line(line);
    if (data_.size() > limits_.max_event_bytes) {
      failed_ = true;
      return fail(ErrorCode::limit, "event-stream event larger than " + std::to_string(limits_.max_event_bytes) +
                                        " bytes");
    }
    line_.clear();
    if (p[j] == '\r') {
      if (j + 1 < n) {
        if (p[j + 1] == '\n') ++j;
      } else {
        skip_lf_ = true;
      }
    }
    i = j + 1;
    if (dispatch) {
      ++events_;
      on_event(current_event());
      reset_event();
    }
  }
  return {};
}

template <class F>
bool SseParser::finish(F&& on_event, bool flush_partial) {
  if (!started_ && !bom_.empty()) {  // a stream of only a partial BOM: treat as data
    started_ = true;
    std::string held = std::move(bom_);
    (void)feed(held, [](const SseEvent&) {});
  }
  if (!line_.empty()) {
    std::string last = std::move(line_);
    line_.clear();
    process_line(last);
  }
  bool partial = in_event_;
  if (flush_partial && have_data_) {
    ++events_;
    on_event(current_event());
  }
  reset_event();
  return partial;
}

}  // namespace llmux::net
