#pragma once
// The detection engine: built once from a PrivacyConfig, then shared by every
// I/O thread. One vectorscan database holds the literal-anchored built-in
// triggers and all user patterns and keywords; a SIMD digit-run pass feeds the
// digit-led classes. Validators confirm every candidate (validators.hpp).
//
//   auto scanner = Scanner::compile(config);        // at config load; bad regex -> error with its line
//   auto findings = scanner->scan(text);            // thread-safe, no locks
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "privacy/finding.hpp"
#include "privacy/policy.hpp"

namespace llmux::privacy {

struct DataClass {
  std::string name;
  Action action = Action::allow;
  bool builtin = false;
};

class Scanner {
 public:
  // Errors: unknown detectors, bad class names (ErrorCode::config); a user
  // regex vectorscan rejects, named with its pattern and file:line.
  static Result<Scanner> compile(const PrivacyConfig& config);

  // Findings in `text`, ordered by offset. Overlapping built-in findings are
  // resolved (a card number is not also a phone number); user findings are kept
  // as they are. Safe to call from many threads at once.
  std::vector<Finding> scan(std::string_view text) const;

  const std::vector<DataClass>& classes() const;
  // "vectorscan 5.4.9 ..., avx2 entry point": for startup logs and benchmark context.
  static std::string engine_description();
  const DataClass& data_class(ClassId id) const { return classes()[id]; }
  bool restore_responses() const;

 private:
  struct Impl;
  explicit Scanner(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace llmux::privacy
