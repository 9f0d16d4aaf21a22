#pragma once
// The catalogs' TOML files, reduced to plain records so only one file of the
// module touches the TOML parser. A catalog file is a list of array-of-tables
// entries ([[model]], [[device]], [[price]], [[measurement]], [[prior]]); each
// record keeps its file and line so every error can point at it.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace llmux::catalog {

struct FieldValue {
  enum class Kind { string, integer, floating, boolean, string_list, number_list };
  Kind kind = Kind::string;
  std::string text;
  double number = 0;  // integer and floating
  bool flag = false;
  std::vector<std::string> strings;
  std::vector<double> numbers;
  int line = 0;
};

struct Record {
  std::string table;  // "model", "device", ...
  std::string file;
  int line = 0;
  std::map<std::string, FieldValue> fields;

  std::string where() const { return file + ":" + std::to_string(line); }
};

// Reads every [[table]] entry of a TOML file. Top-level keys other than arrays
// of tables, nested tables, and malformed TOML are errors with file:line.
Result<std::vector<Record>> read_toml_records(const std::string& path);
// The same from text (for tests); `name` stands in for the file name.
Result<std::vector<Record>> parse_toml_records(const std::string& text, const std::string& name);

// Typed access to a record's fields that remembers which keys were read, so
// `finish()` can reject the ones nobody asked for (typos, stale fields).
class FieldReader {
 public:
  explicit FieldReader(const Record& r) : record_(r) {}

  Result<std::string> text(const std::string& key);               // required
  std::string text_or(const std::string& key, std::string fallback);
  Result<double> number(const std::string& key);                   // required, >= 0
  Result<double> number_or(const std::string& key, double fallback);
  Result<int> integer(const std::string& key);                     // required, >= 0
  Result<int> integer_or(const std::string& key, int fallback);
  Result<bool> flag_or(const std::string& key, bool fallback);
  Result<std::vector<std::string>> strings_or(const std::string& key);
  // Rejects keys that were never read: "unknown key 'x' (file:line)".
  Result<void> finish() const;
  // Any type error found by the optional getters (they return the fallback).
  Result<void> status() const;

  const Record& record() const { return record_; }

 private:
  const FieldValue* find(const std::string& key);
  Error type_error(const std::string& key, const FieldValue& v, const char* want) const;
  // A required key that is absent: a misspelling of it among the record's keys is named
  // at its line, else the record lacks it.
  Error missing(const std::string& key) const;
  const Record& record_;
  std::set<std::string> used_;
  std::vector<Error> errors_;
};

}  // namespace llmux::catalog
