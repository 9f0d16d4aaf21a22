#include "catalog/toml_records.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/text.hpp"

namespace llmux::catalog {

namespace {

std::string at(const std::string& file, const toml::source_region& src) {
  return file + ":" + std::to_string(src.begin.line);
}

Result<FieldValue> list_value(const toml::array& arr, const std::string& where) {
  FieldValue v;
  v.kind = FieldValue::Kind::string_list;
  bool numbers = !arr.empty() && (arr[0].is_integer() || arr[0].is_floating_point());
  if (numbers) v.kind = FieldValue::Kind::number_list;
  for (const auto& item : arr) {
    if (!numbers && item.is_string()) {
      v.strings.push_back(*item.value<std::string>());
    } else if (numbers && (item.is_integer() || item.is_floating_point())) {
      v.numbers.push_back(*item.value<double>());
    } else {
      return fail(ErrorCode::config, "an array must hold only strings or only numbers", where);
    }
  }
  return v;
}

Result<FieldValue> field_value(const toml::node& node, const std::string& where) {
  FieldValue v;
  if (auto s = node.as_string()) {
    v.kind = FieldValue::Kind::string;
    v.text = s->get();
  } else if (auto i = node.as_integer()) {
    v.kind = FieldValue::Kind::integer;
    v.number = static_cast<double>(i->get());
  } else if (auto d = node.as_floating_point()) {
    v.kind = FieldValue::Kind::floating;
    v.number = d->get();
  } else if (auto b = node.as_boolean()) {
    v.kind = FieldValue::Kind::boolean;
    v.flag = b->get();
  } else if (auto arr = node.as_array()) {
    auto lv = list_value(*arr, where);
    if (!lv) return lv;
    v = std::move(*lv);
  } else {
    return fail(ErrorCode::config, "unsupported value (use a string, number, boolean or array)", where);
  }
  return v;
}

Result<Record> table_record(const std::string& name, const toml::table& tbl, const std::string& file) {
  Record r;
  r.table = name;
  r.file = file;
  r.line = static_cast<int>(tbl.source().begin.line);
  for (const auto& [key, node] : tbl) {
    std::string where = at(file, node.source());
    auto v = field_value(node, where);
    if (!v) return fail(ErrorCode::config, "key '" + std::string(key.str()) + "': " + v.error().message, where);
    v->line = static_cast<int>(node.source().begin.line);
    r.fields.emplace(std::string(key.str()), std::move(*v));
  }
  return r;
}

}  // namespace

Result<std::vector<Record>> parse_toml_records(const std::string& text, const std::string& name) {
  toml::table parsed;
  try {
    parsed = toml::parse(text, name);  // this toml++ build reports errors by exception
  } catch (const toml::parse_error& err) {
    return fail(ErrorCode::config, "invalid TOML: " + std::string(err.description()), at(name, err.source()));
  }
  std::vector<Record> out;
  for (const auto& [key, node] : parsed) {
    const auto* arr = node.as_array();
    if (!arr || !arr->is_array_of_tables()) {
      return fail(ErrorCode::config,
                  "top-level key '" + std::string(key.str()) + "' must be an array of tables, e.g. [[" +
                      std::string(key.str()) + "]]",
                  at(name, node.source()));
    }
    for (const auto& item : *arr) {
      auto rec = table_record(std::string(key.str()), *item.as_table(), name);
      if (!rec) return tl::unexpected(rec.error());
      out.push_back(std::move(*rec));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.line < b.line; });
  return out;
}

Result<std::vector<Record>> read_toml_records(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::io, "cannot read catalog file", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_toml_records(ss.str(), path);
}

const FieldValue* FieldReader::find(const std::string& key) {
  used_.insert(key);
  auto it = record_.fields.find(key);
  return it == record_.fields.end() ? nullptr : &it->second;
}

Error FieldReader::type_error(const std::string& key, const FieldValue& v, const char* want) const {
  return Error{ErrorCode::config, "'" + key + "' must be " + want, record_.file + ":" + std::to_string(v.line), 0};
}

Error FieldReader::missing(const std::string& key) const {
  for (const auto& [other, value] : record_.fields)
    if (record_.fields.count(key) == 0 && edit_distance(other, key) <= 2 && used_.count(other) == 0)
      return Error{ErrorCode::config, "unknown key '" + other + "' in [[" + record_.table + "]]; did you mean '" + key + "'?",
                   record_.file + ":" + std::to_string(value.line), 0};
  return Error{ErrorCode::config, "[[" + record_.table + "]] is missing required field '" + key + "'", record_.where(), 0};
}

Result<std::string> FieldReader::text(const std::string& key) {
  const FieldValue* v = find(key);
  if (!v)
    return tl::unexpected(missing(key));
  if (v->kind != FieldValue::Kind::string) return tl::unexpected(type_error(key, *v, "a string"));
  if (v->text.empty()) return tl::unexpected(type_error(key, *v, "a non-empty string"));
  return v->text;
}

std::string FieldReader::text_or(const std::string& key, std::string fallback) {
  const FieldValue* v = find(key);
  if (!v) return fallback;
  if (v->kind != FieldValue::Kind::string) {
    errors_.push_back(type_error(key, *v, "a string"));
    return fallback;
  }
  return v->text;
}

Result<double> FieldReader::number(const std::string& key) {
  const FieldValue* v = find(key);
  if (!v)
    return tl::unexpected(missing(key));
  if (v->kind != FieldValue::Kind::integer && v->kind != FieldValue::Kind::floating)
    return tl::unexpected(type_error(key, *v, "a number"));
  if (v->number < 0 || !std::isfinite(v->number)) return tl::unexpected(type_error(key, *v, "a number >= 0"));
  return v->number;
}

Result<double> FieldReader::number_or(const std::string& key, double fallback) {
  if (record_.fields.count(key) == 0) {
    used_.insert(key);
    return fallback;
  }
  return number(key);
}

Result<int> FieldReader::integer(const std::string& key) {
  auto n = number(key);
  if (!n) return tl::unexpected(n.error());
  const FieldValue& v = record_.fields.at(key);
  if (v.kind != FieldValue::Kind::integer || *n > 2147483647.0)
    return tl::unexpected(type_error(key, v, "a whole number"));
  return static_cast<int>(*n);
}

Result<int> FieldReader::integer_or(const std::string& key, int fallback) {
  if (record_.fields.count(key) == 0) {
    used_.insert(key);
    return fallback;
  }
  return integer(key);
}

Result<bool> FieldReader::flag_or(const std::string& key, bool fallback) {
  const FieldValue* v = find(key);
  if (!v) return fallback;
  if (v->kind != FieldValue::Kind::boolean) return tl::unexpected(type_error(key, *v, "true or false"));
  return v->flag;
}

Result<std::vector<std::string>> FieldReader::strings_or(const std::string& key) {
  const FieldValue* v = find(key);
  if (!v) return std::vector<std::string>{};
  if (v->kind != FieldValue::Kind::string_list) return tl::unexpected(type_error(key, *v, "a list of strings"));
  return v->strings;
}

Result<void> FieldReader::finish() const {
  if (auto s = status(); !s) return s;
  for (const auto& [key, value] : record_.fields) {
    if (used_.count(key) == 0)
      return fail(ErrorCode::config, "unknown key '" + key + "' in [[" + record_.table + "]]",
                  record_.file + ":" + std::to_string(value.line));
  }
  return {};
}

Result<void> FieldReader::status() const {
  if (!errors_.empty()) return tl::unexpected(errors_.front());
  return {};
}

}  // namespace llmux::catalog
