#include "core/json_writer.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <cmath>

namespace llmux {

namespace {

// Bytes a JSON string must escape: control characters, the quote and the backslash.
constexpr std::array<bool, 256> kMustEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
  t['"'] = t['\\'] = true;
  return t;
}();

bool needs_escape(std::string_view s) {
  for (char c : s)
    if (kMustEscape[static_cast<unsigned char>(c)]) return true;
  return false;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (!needs_escape(s)) [[likely]] {  // quotes around the bytes as they are: one append, one copy
    std::size_t at = out.size();
    out.append(s.size() + 2, '"');
    if (!s.empty()) std::memcpy(out.data() + at + 1, s.data(), s.size());  // (an empty view may hold null)
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the pending run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!kMustEscape[c]) [[likely]]
      continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

JsonWriter& JsonWriter::key(std::string_view k) {
  if (needs_escape(k)) [[unlikely]] {
    sep();
    append_json_string(out_, k);
    out_ += ':';
  } else {  // [,]"key": in one append
    std::size_t comma = first_ ? 0 : 1;
    std::size_t at = out_.size();
    out_.append(comma + k.size() + 3, '"');
    char* p = out_.data() + at;
    if (comma) *p = ',';
    if (!k.empty()) std::memcpy(p + comma + 1, k.data(), k.size());
    p[comma + k.size() + 2] = ':';
  }
  first_ = true;  // the value follows without a comma
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
  sep();
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, p);
  return *this;
}

JsonWriter& JsonWriter::value(double v) {
  sep();
  if (!std::isfinite(v)) {
    out_ += "null";
    return *this;
  }
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, p);
  return *this;
}

}  // namespace llmux
