#include "net/headers.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace llmux::net {

void Headers::set(std::string_view name, std::string value) {
  remove(name);
  items_.push_back({std::string(name), std::move(value)});
}

void Headers::remove(std::string_view name) {
  std::erase_if(items_, [&](const Header& h) { return equals_icase(h.name, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& h : items_)
    if (equals_icase(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

std::optional<Header> parse_header_line(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  auto name = trim(line.substr(0, colon));
  if (name.empty() || name.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
  auto value = trim(line.substr(colon + 1));
  if (value.find_first_of("\r\n") != std::string_view::npos) return std::nullopt;
  return Header{std::string(name), std::string(value)};
}

bool is_secret_header(std::string_view name) {
  return equals_icase(name, "authorization") || equals_icase(name, "x-api-key") || equals_icase(name, "api-key") ||
         equals_icase(name, "x-goog-api-key") || equals_icase(name, "proxy-authorization") ||
         equals_icase(name, "cookie");
}

}  // namespace llmux::net
