#include "report/report_fixture.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/process.hpp"

namespace llmux::test {

std::string fixture_dir() { return source_dir() + "/tests/report/fixtures"; }

std::string fixture_text(const std::string& name) {
  std::string text = read_file(fixture_dir() + "/" + name);
  if (text.empty()) throw std::runtime_error("missing fixture " + name);
  return text;
}

report::InputText fixture(const std::string& name) { return {"fixtures/" + name, fixture_text(name)}; }

report::Inputs fixture_inputs(const std::vector<std::string>& names) {
  std::vector<report::InputText> files;
  for (const auto& n : names) files.push_back(fixture(n));
  auto in = report::parse_inputs(files);
  if (!in) throw std::runtime_error("fixtures do not load: " + in.error().describe());
  return *in;
}

report::Report fixture_report(const std::vector<report::InputText>& files) {
  auto in = report::parse_inputs(files);
  if (!in) throw std::runtime_error("fixtures do not load: " + in.error().describe());
  auto r = report::build_report(*in, {kGeneratedAt, ""});
  if (!r) throw std::runtime_error("report does not build: " + r.error().describe());
  return *r;
}

report::Report fixture_report(const std::vector<std::string>& names) {
  std::vector<report::InputText> files;
  for (const auto& n : names) files.push_back(fixture(n));
  return fixture_report(files);
}

std::vector<std::string> plan_and_benches() { return {"plan.json", "bench-local.json", "bench-openai.json"}; }

std::vector<std::string> compare_results() {
  return {"compare.json", "plan.json", "bench-local.json", "bench-openai.json", "bench-anthropic.json"};
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("fixture edit: '" + from + "' not found");
  return text.replace(at, from.size(), to);
}

}  // namespace llmux::test
