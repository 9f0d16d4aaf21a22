#pragma once
// HTTP header list with case-insensitive lookup, and the request/response
// shapes the client and server exchange with the rest of llmux.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmux::net {

struct Header {
  std::string name;
  std::string value;
};

class Headers {
 public:
  void add(std::string name, std::string value) { items_.push_back({std::move(name), std::move(value)}); }
  void reserve(std::size_t n) { items_.reserve(n); }
  // Replaces every header of that name with one.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<Header>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Header> items_;
};

// "Name: value" from the command line (--header).
std::optional<Header> parse_header_line(std::string_view line);

// Header values that must never be printed (keys, tokens): shown as "***".
bool is_secret_header(std::string_view name);

}  // namespace llmux::net
