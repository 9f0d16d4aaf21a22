// [privacy] in llmux.toml: parsed into a PrivacyConfig, every mistake reported
// with the file and line a user has to fix.
#include <gtest/gtest.h>

#include "privacy/privacy_config.hpp"
#include "privacy/scanner.hpp"

namespace llmux::privacy {
namespace {

Result<PrivacyConfig> parse(const std::string& toml_text) {
  auto doc = toml::parse(std::string_view(toml_text), std::string_view("llmux.toml"));
  const toml::table* privacy = doc["privacy"].as_table();
  if (!privacy) return fail(ErrorCode::config, "no [privacy]");
  return parse_privacy_config(*privacy, "llmux.toml");
}

TEST(PrivacyConfig, ReadsTheDocumentedExample) {
  auto cfg = parse(R"(
[privacy]
detectors = ["email", "phone", "credit_card", "iban", "us_ssn", "ip_address", "secret"]
[privacy.actions]
credit_card = "local-only"
secret      = "block"
email       = "redact"
default     = "allow"
[[privacy.patterns]]
name = "project_codename"
regex = "\\bPROJECT-[A-Z]{4}\\b"
action = "local-only"
[[privacy.patterns]]
name = "client_names"
keywords = ["Acme", "Globex"]
case_insensitive = true
)");
  ASSERT_TRUE(cfg) << cfg.error().describe();
  EXPECT_EQ(cfg->detectors.size(), 7u);
  EXPECT_EQ(cfg->action_for("credit_card"), Action::local_only);
  EXPECT_EQ(cfg->action_for("secret"), Action::block);
  EXPECT_EQ(cfg->action_for("email"), Action::redact);
  EXPECT_EQ(cfg->action_for("phone"), Action::allow);
  ASSERT_EQ(cfg->patterns.size(), 2u);
  EXPECT_EQ(cfg->patterns[0].regex, R"(\bPROJECT-[A-Z]{4}\b)");
  EXPECT_EQ(cfg->patterns[0].line, 9);  // its [[privacy.patterns]] header
  EXPECT_EQ(cfg->action_for("project_codename"), Action::local_only);
  EXPECT_TRUE(cfg->patterns[1].case_insensitive);
  EXPECT_EQ(cfg->action_for("client_names"), Action::allow);
  EXPECT_TRUE(Scanner::compile(*cfg));
}

TEST(PrivacyConfig, DefaultsToEveryDetectorAndAllow) {
  auto cfg = parse("[privacy]\n");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->detectors, builtin_class_names());
  EXPECT_EQ(cfg->default_action, Action::allow);
  EXPECT_TRUE(cfg->restore);
}

void expect_error(const std::string& toml_text, const std::string& context, const std::string& says) {
  auto cfg = parse(toml_text);
  ASSERT_FALSE(cfg) << toml_text;
  EXPECT_EQ(cfg.error().code, ErrorCode::config);
  EXPECT_EQ(cfg.error().context, context) << cfg.error().describe();
  EXPECT_NE(cfg.error().message.find(says), std::string::npos) << cfg.error().message;
}

TEST(PrivacyConfig, RejectsMistakesWithTheirLine) {
  expect_error("[privacy]\ndetector = [\"email\"]\n", "llmux.toml:2", "did you mean: detectors");
  expect_error("[privacy]\ndetectors = [\"emial\"]\n", "llmux.toml:2", "did you mean: email");
  expect_error("[privacy]\ndetectors = [\"email\", \"email\"]\n", "llmux.toml:2", "twice");
  expect_error("[privacy.actions]\nemail = \"mask\"\n", "llmux.toml:2", "unknown privacy action 'mask'");
  expect_error("[privacy.actions]\nemali = \"block\"\n", "llmux.toml:2", "did you mean: email");
  expect_error("[privacy]\ndetectors = [\"email\"]\n[privacy.actions]\niban = \"block\"\n", "llmux.toml:4",
               "not enabled");
  expect_error("[privacy]\n\n[[privacy.patterns]]\nname = \"x\"\nregex = \"a\"\nkeywords = [\"b\"]\n",
               "llmux.toml:3", "exactly one of");
  expect_error("[privacy]\n[[privacy.patterns]]\nname = \"email\"\nregex = \"a\"\n", "llmux.toml:2", "taken");
  expect_error("[privacy]\n[[privacy.patterns]]\nname = \"default\"\nregex = \"a\"\n", "llmux.toml:2",
               "is the action of classes without one");
  expect_error("[privacy]\n[[privacy.patterns]]\nname = \"Bad Name\"\nregex = \"a\"\n", "llmux.toml:2",
               "lowercase");
  expect_error("[privacy]\n[[privacy.patterns]]\nname = \"x\"\nregex = \"a\"\ncase = true\n", "llmux.toml:5",
               "unknown key 'case'");
  expect_error("[privacy]\nrestore = \"yes\"\n", "llmux.toml:2", "true or false");
}

TEST(PrivacyConfig, BadRegexFailsConfigCheckWithItsLine) {
  auto s = parse("[privacy]\n\n[[privacy.patterns]]\nname = \"codename\"\nregex = \"PROJECT-[A-Z\"\n");
  ASSERT_FALSE(s);  // found when the table is read, with any other problem, not by Scanner::compile alone
  EXPECT_EQ(s.error().context, "llmux.toml:3");
  EXPECT_NE(s.error().message.find("'codename'"), std::string::npos) << s.error().message;
}

TEST(Action, ParsesAndOrdersByStrictness) {
  EXPECT_EQ(*parse_action("local-only"), Action::local_only);
  EXPECT_EQ(*parse_action("local_only"), Action::local_only);
  EXPECT_FALSE(parse_action("deny"));
  EXPECT_EQ(to_string(Action::local_only), "local-only");
  EXPECT_EQ(strictest(Action::redact, Action::local_only), Action::local_only);
  EXPECT_EQ(strictest(Action::block, Action::local_only), Action::block);
  EXPECT_EQ(strictest(Action::allow, Action::redact), Action::redact);
  EXPECT_TRUE(stricter(Action::block, Action::allow));
}

TEST(PrivacyConfig, ReportsEveryProblemAtOnceInLineOrder) {
  const std::string text =
      "[privacy]\n"                                      // 1
      "detectors = [\"emial\", \"iban\", \"iban\"]\n"    // 2: unknown, and twice
      "restore = \"yes\"\n"                              // 3
      "colour = 1\n"                                     // 4: unknown key, hides nothing
      "[privacy.actions]\n"                              // 5
      "iban = \"mask\"\n"                                // 6
      "email = \"block\"\n"                              // 7: detectors had a problem: not news
      "phonee = \"block\"\n"                             // 8
      "[[privacy.patterns]]\n"                           // 9
      "name = \"Bad Name\"\n"                            // 10
      "regex = \"a\"\n"                                  // 11
      "keywords = [\"b\"]\n"                             // 12
      "case = true\n"                                    // 13
      "[[privacy.patterns]]\n"                           // 14
      "regex = \"b\"\n"                                  // 15
      "[[privacy.patterns]]\n"                           // 16
      "name = \"codename\"\n"                            // 17
      "regex = \"PROJECT-[A-Z\"\n";                      // 18: vectorscan refuses it
  auto doc = toml::parse(std::string_view(text), std::string_view("llmux.toml"));
  auto cfg = read_privacy_config(*doc["privacy"].as_table(), "llmux.toml");
  ASSERT_FALSE(cfg);
  std::vector<std::pair<std::string, std::string>> want = {
      {"llmux.toml:2", "unknown detector 'emial'"}, {"llmux.toml:2", "detector 'iban' is listed twice"},
      {"llmux.toml:3", "true or false"},             {"llmux.toml:4", "unknown key 'colour'"},
      {"llmux.toml:6", "unknown privacy action 'mask'"}, {"llmux.toml:8", "unknown class 'phonee'"},
      {"llmux.toml:9", "lowercase"},                 {"llmux.toml:9", "exactly one of"},
      {"llmux.toml:13", "unknown key 'case'"},       {"llmux.toml:14", "needs a 'name'"},
      {"llmux.toml:16", "privacy pattern 'codename': regex 'PROJECT-[A-Z' is not accepted"}};
  ASSERT_EQ(cfg.error().size(), want.size()) << [&] {
    std::string all;
    for (const auto& e : cfg.error()) all += e.describe() + "\n";
    return all;
  }();
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(cfg.error()[i].context, want[i].first) << i << ": " << cfg.error()[i].describe();
    EXPECT_NE(cfg.error()[i].message.find(want[i].second), std::string::npos) << i << ": " << cfg.error()[i].describe();
  }
  // One problem alone still comes back as the first, for a caller that reports one.
  auto first = parse_privacy_config(*doc["privacy"].as_table(), "llmux.toml");
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().context, "llmux.toml:2");
}

}  // namespace
}  // namespace llmux::privacy
