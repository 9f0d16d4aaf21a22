#pragma once
// Private to gateway/: typed, checked access to a TOML table. Every getter
// records the key as known; finish() reports the keys nobody asked for. Type
// errors and unknown keys become problems with file:line, collected, so
// `llmux config check` can list them all at once.
#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace llmux::gateway {

class ConfigReader {
 public:
  ConfigReader(const toml::table& table, std::string section, std::string file, std::vector<Error>& problems);

  std::optional<std::string> text(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<double> number(std::string_view key, double min, double max);
  std::optional<bool> flag(std::string_view key);
  std::optional<Nanos> duration(std::string_view key);  // "30s", "250ms", or a number of seconds
  std::optional<std::size_t> bytes(std::string_view key);  // "8MiB" or a number of bytes
  std::optional<std::vector<std::string>> strings(std::string_view key);
  const toml::table* table(std::string_view key);
  const toml::array* array(std::string_view key);

  // Problem at this key (or at the table when the key is absent). Only the first
  // problem of a key is kept: a wrong type is the news, not what follows from it.
  void problem(std::string_view key, std::string message);
  int line(std::string_view key) const;
  int table_line() const;
  std::string where(std::string_view key) const;
  void finish();

 private:
  const toml::node* get(std::string_view key);
  void wrong_type(std::string_view key, const char* want);

  const toml::table& table_;
  std::string section_;
  std::string file_;
  std::vector<Error>& problems_;
  std::set<std::string, std::less<>> known_;
  std::set<std::string, std::less<>> reported_;  // keys with a problem already
};

}  // namespace llmux::gateway
