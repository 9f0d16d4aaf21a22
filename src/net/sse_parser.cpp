#include "net/sse_parser.hpp"

#include <charconv>

namespace llmux::net {

bool SseParser::process_line(std::string_view line) {
  if (line.empty()) {
    bool dispatch = have_data_;
    if (!dispatch) reset_event();  // an event with no data is dropped, its type reset
    return dispatch;
  }
  if (line.front() == ':') {
    ++comments_;
    return false;
  }
  in_event_ = true;
  std::string_view field = line, value;
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (have_data_) data_ += '\n';
    data_.append(value);
    have_data_ = true;
  } else if (field == "event") {
    type_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  } else if (field == "retry") {
    std::int64_t ms = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec == std::errc() && ptr == value.data() + value.size() && !value.empty() && value.front() != '-')
      retry_ = ms;
  }
  return false;
}

SseEvent SseParser::current_event() const {
  return SseEvent{type_.empty() ? std::string_view("message") : std::string_view(type_), data_, last_id_, retry_};
}

void SseParser::reset_event() {
  data_.clear();
  type_.clear();
  retry_.reset();
  have_data_ = false;
  in_event_ = false;
}

void append_sse_event(std::string& out, std::string_view data, std::string_view type, std::string_view id) {
  if (!type.empty()) {
    out += "event: ";
    out += type;
    out += '\n';
  }
  if (!id.empty()) {
    out += "id: ";
    out += id;
    out += '\n';
  }
  // Each line of data becomes its own data: field; CR, LF and CRLF all split lines.
  std::size_t start = 0;
  for (std::size_t i = 0; i <= data.size(); ++i) {
    if (i == data.size() || data[i] == '\n' || data[i] == '\r') {
      out += "data: ";
      out.append(data.substr(start, i - start));
      out += '\n';
      if (i < data.size() && data[i] == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  out += '\n';
}

void append_sse_comment(std::string& out, std::string_view text) {
  out += ": ";
  out += text;
  out += "\n\n";
}

}  // namespace llmux::net
