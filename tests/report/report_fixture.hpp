#pragma once
// Fixed inputs for report tests: the result files under tests/report/fixtures
// (a plan, bench results of a local runtime, OpenAI and a failing Anthropic
// endpoint, and a compare manifest), read under stable names so renderings are
// reproducible byte for byte.
#include <string>
#include <vector>

#include "report/report.hpp"

namespace llmux::test {

constexpr const char* kGeneratedAt = "2026-01-10T10:00:00Z";

std::string fixture_dir();
std::string fixture_text(const std::string& name);
// Files named "fixtures/<name>" with their text (optionally edited first).
report::InputText fixture(const std::string& name);
report::Inputs fixture_inputs(const std::vector<std::string>& names);
report::Report fixture_report(const std::vector<std::string>& names);
report::Report fixture_report(const std::vector<report::InputText>& files);

// The two fixed input sets the goldens and the browser test use.
std::vector<std::string> plan_and_benches();   // plan + local + OpenAI bench, no manifest
std::vector<std::string> compare_results();    // the manifest and everything it names

// Replaces the first occurrence of `from` (which must occur) in `text`.
std::string replace(std::string text, const std::string& from, const std::string& to);

}  // namespace llmux::test
