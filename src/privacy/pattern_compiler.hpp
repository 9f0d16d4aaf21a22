#pragma once
// Builds the one vectorscan database: built-in triggers first, then each user
// regex (with leftmost start of match) and each user keyword (as a literal,
// whole-word where it starts or ends with a word character).
#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "privacy/builtin_patterns.hpp"
#include "privacy/finding.hpp"
#include "privacy/policy.hpp"

struct hs_database;

namespace llmux::privacy::detail {

struct PatternRef {
  enum class Kind : std::uint8_t { builtin, user_regex, user_keyword };
  Kind kind = Kind::builtin;
  std::uint32_t index = 0;   // builtin pattern index, or the user class id
  std::uint32_t length = 0;  // keyword length in bytes
};

struct DatabaseFree {
  void operator()(hs_database* db) const;
};

struct CompiledPatterns {
  std::unique_ptr<hs_database, DatabaseFree> db;  // null when there is nothing to match
  std::vector<BuiltinPattern> builtins;
  std::vector<PatternRef> refs;  // by vectorscan expression id
};

// `user_class[i]` is the class id of config.patterns[i].
Result<CompiledPatterns> compile_patterns(std::vector<BuiltinPattern> builtins, const PrivacyConfig& config,
                                          const std::vector<ClassId>& user_class);

// "Acme Corp." -> "\bAcme Corp\." : a keyword as a literal regex.
std::string keyword_expression(std::string_view keyword);

}  // namespace llmux::privacy::detail
