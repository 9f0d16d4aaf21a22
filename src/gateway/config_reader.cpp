#include "gateway/config_reader.hpp"

#include <charconv>

#include "core/text.hpp"

namespace llmux::gateway {

ConfigReader::ConfigReader(const toml::table& table, std::string section, std::string file,
                           std::vector<Error>& problems)
    : table_(table), section_(std::move(section)), file_(std::move(file)), problems_(problems) {}

int ConfigReader::line(std::string_view key) const {
  if (const toml::node* n = table_.get(key)) return static_cast<int>(n->source().begin.line);
  return table_line();
}

int ConfigReader::table_line() const { return static_cast<int>(table_.source().begin.line); }

std::string ConfigReader::where(std::string_view key) const { return file_ + ":" + std::to_string(line(key)); }

void ConfigReader::problem(std::string_view key, std::string message) {
  if (!reported_.emplace(key).second) return;
  std::string prefix = section_.empty() ? std::string(key) : section_ + "." + std::string(key);
  problems_.push_back(Error{ErrorCode::config, prefix + ": " + message, where(key), 0});
}

const toml::node* ConfigReader::get(std::string_view key) {
  known_.insert(std::string(key));
  return table_.get(key);
}

void ConfigReader::wrong_type(std::string_view key, const char* want) {
  problem(key, std::string("must be ") + want);
}

std::optional<std::string> ConfigReader::text(std::string_view key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (auto v = n->value<std::string>()) return *v;
  wrong_type(key, "a string");
  return std::nullopt;
}

std::optional<std::int64_t> ConfigReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  auto v = n->value<std::int64_t>();
  if (!v || !n->is_integer()) {
    wrong_type(key, "an integer");
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    problem(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return *v;
}

namespace {
std::string shortest(double v) {  // 0.5, 1000000: no exponent, no trailing zeros
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return std::string(buf, p);
}
}  // namespace

std::optional<double> ConfigReader::number(std::string_view key, double min, double max) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  auto v = n->value<double>();
  if (!v) {
    wrong_type(key, "a number");
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    problem(key, "must be between " + shortest(min) + " and " + shortest(max));
    return std::nullopt;
  }
  return *v;
}

std::optional<bool> ConfigReader::flag(std::string_view key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (auto v = n->value<bool>()) return *v;
  wrong_type(key, "true or false");
  return std::nullopt;
}

std::optional<Nanos> ConfigReader::duration(std::string_view key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (n->is_integer() || n->is_floating_point()) {
    double s = n->value<double>().value_or(-1);
    if (s < 0) {
      problem(key, "must not be negative");
      return std::nullopt;
    }
    return static_cast<Nanos>(s * 1e9);
  }
  if (auto v = n->value<std::string>()) {
    auto d = parse_duration_ns(*v, "s");
    if (d) return *d;
    problem(key, d.error().message);
    return std::nullopt;
  }
  wrong_type(key, "a duration such as \"30s\" or \"250ms\"");
  return std::nullopt;
}

std::optional<std::size_t> ConfigReader::bytes(std::string_view key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (n->is_integer()) {
    auto v = n->value<std::int64_t>().value_or(-1);
    if (v < 0) {
      problem(key, "must not be negative");
      return std::nullopt;
    }
    return static_cast<std::size_t>(v);
  }
  if (auto v = n->value<std::string>()) {
    auto b = parse_bytes(*v);
    if (b) return static_cast<std::size_t>(*b);
    problem(key, b.error().message);
    return std::nullopt;
  }
  wrong_type(key, "a size such as \"8MiB\"");
  return std::nullopt;
}

std::optional<std::vector<std::string>> ConfigReader::strings(std::string_view key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  const toml::array* arr = n->as_array();
  if (!arr) {
    wrong_type(key, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *arr) {
    auto s = item.value<std::string>();
    if (!s) {
      wrong_type(key, "an array of strings");
      return std::nullopt;
    }
    out.push_back(*s);
  }
  return out;
}

const toml::table* ConfigReader::table(std::string_view key) {
  const toml::node* n = get(key);
  if (!n) return nullptr;
  if (auto* t = n->as_table()) return t;
  wrong_type(key, "a table");
  return nullptr;
}

const toml::array* ConfigReader::array(std::string_view key) {
  const toml::node* n = get(key);
  if (!n) return nullptr;
  if (auto* a = n->as_array()) return a;
  wrong_type(key, "an array of tables");
  return nullptr;
}

void ConfigReader::finish() {
  for (const auto& [k, v] : table_) {
    std::string key(k.str());
    if (known_.count(key)) continue;
    std::string prefix = section_.empty() ? "" : section_ + ": ";
    std::vector<std::string> known(known_.begin(), known_.end());
    problems_.push_back(Error{ErrorCode::config, prefix + "unknown key '" + key + "'" + did_you_mean(key, known),
                              file_ + ":" + std::to_string(v.source().begin.line), 0});
  }
}

}  // namespace llmux::gateway
