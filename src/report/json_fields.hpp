#pragma once
// Reading fields of a result file with errors a user can act on: each names the
// file, the field's path ("runs[2].summary.ttft_ms.p50") and what is wrong.
// Private to the report module.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace llmux::report::detail {

using nlohmann::json;

// A position in a document: the file and the path to the current value.
struct Where {
  const std::string* file;
  std::string path;

  Where at(std::string_view key) const;
  Where at(std::size_t index) const;
  Error error(const std::string& what) const;  // "field PATH: WHAT" (FILE)
};

Result<json> parse_document(const std::string& path, const std::string& text);
// The top-level checks every result file shares: an object, "tool", schema_version <= supported.
Result<void> check_schema(const json& doc, const std::string& path, std::string_view tool, int supported);

Result<const json*> need(const json& obj, std::string_view key, const Where& w, json::value_t type);
Result<double> need_number(const json& obj, std::string_view key, const Where& w);
Result<std::int64_t> need_int(const json& obj, std::string_view key, const Where& w);
Result<std::string> need_string(const json& obj, std::string_view key, const Where& w);
Result<bool> need_bool(const json& obj, std::string_view key, const Where& w);
// Absent or null: the fallback; present with the wrong type: an error.
Result<double> opt_number(const json& obj, std::string_view key, const Where& w, double fallback);
Result<std::string> opt_string(const json& obj, std::string_view key, const Where& w, std::string fallback = {});
Result<bool> opt_bool(const json& obj, std::string_view key, const Where& w, bool fallback);
Result<std::vector<std::string>> opt_strings(const json& obj, std::string_view key, const Where& w);

}  // namespace llmux::report::detail
