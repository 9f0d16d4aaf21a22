#pragma once
// A small append-only JSON writer for hot paths (codec encoders, SSE chunks):
// no DOM, no allocation beyond the output string. It tracks commas itself, so
// callers write keys and values in order.
#include <cstdint>
#include <string>
#include <string_view>

namespace llmux {

// Appends `s` as a JSON string literal (with quotes) to `out`.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { sep(); out_ += '{'; first_ = true; return *this; }
  JsonWriter& end_object() { out_ += '}'; first_ = false; return *this; }
  JsonWriter& begin_array() { sep(); out_ += '['; first_ = true; return *this; }
  JsonWriter& end_array() { out_ += ']'; first_ = false; return *this; }

  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s) { sep(); append_json_string(out_, s); return *this; }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) { sep(); out_ += b ? "true" : "false"; return *this; }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(double v);
  JsonWriter& null() { sep(); out_ += "null"; return *this; }
  // Already-encoded JSON, inserted verbatim.
  JsonWriter& raw(std::string_view json) { sep(); out_ += json; return *this; }

  template <class T>
  JsonWriter& field(std::string_view k, const T& v) { key(k); return value(v); }
  JsonWriter& raw_field(std::string_view k, std::string_view json) { key(k); return raw(json); }

 private:
  void sep() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace llmux
