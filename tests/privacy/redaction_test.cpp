// Redaction through a streaming answer: placeholders consistent within a
// request, restored even when split at any chunk boundary.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "privacy/decision.hpp"
#include "privacy/redactor.hpp"
#include "privacy/restorer.hpp"

namespace llmux::privacy {
namespace {

Scanner redacting_scanner() {
  PrivacyConfig config;
  config.default_action = Action::redact;
  auto s = Scanner::compile(config);
  EXPECT_TRUE(s) << s.error().describe();
  return std::move(*s);
}

TEST(Redaction, SameValueSamePlaceholderAcrossTheRequest) {
  Scanner s = redacting_scanner();
  std::vector<std::string_view> texts = {
      "You are a support agent for jane.doe@acme-corp.com.",
      "Customer jane.doe@acme-corp.com (card 4539 1488 0343 6467) asks about bob@example.org.",
      "Tool result: {\"owner\": \"jane.doe@acme-corp.com\"}"};
  Decision d = classify(s, texts);
  ASSERT_EQ(d.action, Action::redact);
  EXPECT_EQ(d.redacted[0], "You are a support agent for <EMAIL_1>.");
  EXPECT_EQ(d.redacted[1], "Customer <EMAIL_1> (card <CREDIT_CARD_1>) asks about <EMAIL_2>.");
  EXPECT_EQ(d.redacted[2], "Tool result: {\"owner\": \"<EMAIL_1>\"}");
  EXPECT_EQ(d.redactions.size(), 3u);
  EXPECT_EQ(*d.redactions.original("<EMAIL_2>"), "bob@example.org");
}

TEST(Redaction, OnlyRedactClassesAreReplaced) {
  PrivacyConfig config;
  config.actions["email"] = Action::redact;  // phone stays "allow"
  auto s = Scanner::compile(config);
  ASSERT_TRUE(s);
  Decision d = classify(*s, {"Mail a@example.com or call +49 30 901820"});
  ASSERT_EQ(d.action, Action::redact);
  EXPECT_EQ(d.redacted[0], "Mail <EMAIL_1> or call +49 30 901820");
}

TEST(Redaction, StrictestActionWinsAndNothingIsRedactedForIt) {
  PrivacyConfig config;
  config.actions = {
      {"email", Action::redact}, {"credit_card", Action::local_only}, {"secret", Action::block}};
  auto s = Scanner::compile(config);
  ASSERT_TRUE(s);
  EXPECT_EQ(classify(*s, {"a@example.com", "4539 1488 0343 6467"}).action, Action::local_only);
  Decision blocked = classify(*s, {"a@example.com", "token: q8ZpT2vX9mL4rK7wB1nCz5Y3"});
  EXPECT_EQ(blocked.action, Action::block);
  EXPECT_EQ(blocked.classes_with(Action::block), std::vector<std::string>{"secret"});
  EXPECT_TRUE(blocked.redacted.empty());
  EXPECT_EQ(classify(*s, {"nothing here"}).action, Action::allow);
}

TEST(Redaction, LoggableOutputNeverHoldsTheMatchedText) {
  Scanner s = redacting_scanner();
  Decision d = classify(s, {"a@example.com and b@example.com", "SSN 123-45-6789"});
  EXPECT_EQ(d.describe(), "redact: email x2, us_ssn x1");
  EXPECT_EQ(d.to_json(), R"({"action":"redact","classes":[{"name":"email","action":"redact","count":2},)"
                         R"({"name":"us_ssn","action":"redact","count":1}]})");
  for (const auto& s2 : {d.describe(), d.to_json()}) {
    EXPECT_EQ(s2.find("example.com"), std::string::npos);
    EXPECT_EQ(s2.find("6789"), std::string::npos);
  }
  EXPECT_EQ(classify(s, {"hello"}).describe(), "allow: nothing found");
}

TEST(Redaction, OverlappingFindingsBecomeOnePlaceholder) {
  PrivacyConfig config;
  config.default_action = Action::redact;
  config.patterns.push_back({"client", "", {"acme"}, std::nullopt, true, 1});
  auto s = Scanner::compile(config);
  ASSERT_TRUE(s);
  Decision d = classify(*s, {"write to bob@acme.com about Acme"});
  EXPECT_EQ(d.redacted[0], "write to <EMAIL_1> about <CLIENT_1>");
  EXPECT_EQ(restore(d.redacted[0], d.redactions), "write to bob@acme.com about Acme");
}

// Feeds `text` in the given pieces and returns what the Restorer emitted.
std::string stream(const RedactionMap& map, const std::string& text, const std::vector<std::size_t>& cuts) {
  Restorer r(map);
  std::string out;
  std::size_t prev = 0;
  for (std::size_t cut : cuts) {
    out += r.feed(std::string_view(text).substr(prev, cut - prev));
    prev = cut;
  }
  out += r.feed(std::string_view(text).substr(prev));
  out += r.finish();
  return out;
}

struct RoundTrip {
  RedactionMap map;
  std::string answer;    // what the model streams back, with placeholders
  std::string expected;  // what the client must see
};

RoundTrip round_trip() {
  Scanner s = redacting_scanner();
  Decision d =
      classify(s, {"Reply to jane.doe@acme-corp.com and bob@example.org; card 4539 1488 0343 6467."});
  RoundTrip rt;
  rt.map = d.redactions;
  rt.answer =
      "Sure <EMAIL_1>! I wrote to <EMAIL_2> about <CREDIT_CARD_1>. Keep <EMAIL_1> in CC. "
      "Tags like <b>, a < b, <EMAIL_9> and <EMAIL_1 stay as they are<EMAIL_2>";
  rt.expected =
      "Sure jane.doe@acme-corp.com! I wrote to bob@example.org about 4539 1488 0343 6467. Keep "
      "jane.doe@acme-corp.com in CC. Tags like <b>, a < b, <EMAIL_9> and <EMAIL_1 stay as they "
      "arebob@example.org";
  return rt;
}

TEST(Restorer, RestoresTheWholeAnswer) {
  RoundTrip rt = round_trip();
  EXPECT_EQ(restore(rt.answer, rt.map), rt.expected);
}

TEST(Restorer, RestoresWithASplitAtEveryChunkBoundary) {
  RoundTrip rt = round_trip();
  for (std::size_t cut = 0; cut <= rt.answer.size(); ++cut) {
    EXPECT_EQ(stream(rt.map, rt.answer, {cut}), rt.expected) << "split at " << cut;
  }
}

TEST(Restorer, RestoresWithTwoSplitsAnywhereInsideAPlaceholder) {
  RoundTrip rt = round_trip();
  for (std::size_t a = 0; a <= 40; ++a) {
    for (std::size_t b = a; b <= 40; ++b)
      EXPECT_EQ(stream(rt.map, rt.answer, {a, b}), rt.expected) << a << "," << b;
  }
}

TEST(Restorer, RestoresByteByByteAndInRandomChunks) {
  RoundTrip rt = round_trip();
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < rt.answer.size(); ++i) every.push_back(i);
  EXPECT_EQ(stream(rt.map, rt.answer, every), rt.expected);
  std::mt19937 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = rng() % 7; i < rt.answer.size(); i += 1 + rng() % 9) cuts.push_back(i);
    EXPECT_EQ(stream(rt.map, rt.answer, cuts), rt.expected) << "trial " << trial;
  }
}

TEST(Restorer, HoldsBackOnlyWhatCouldStillBeAPlaceholder) {
  RoundTrip rt = round_trip();
  Restorer r(rt.map);
  EXPECT_EQ(r.feed("Hello <EMA"), "Hello ");
  EXPECT_EQ(r.feed("IL_1> and <b"), "jane.doe@acme-corp.com and <b");
  EXPECT_EQ(r.feed("> done <"), "> done ");
  EXPECT_EQ(r.finish(), "<");
}

TEST(Restorer, EmptyMapPassesEverythingThrough) {
  RedactionMap empty;
  Restorer r(empty);
  EXPECT_EQ(r.feed("a <EMAIL_1> b <"), "a <EMAIL_1> b <");
  EXPECT_EQ(r.finish(), "");
}

}  // namespace
}  // namespace llmux::privacy

namespace llmux::privacy {
namespace {

// A user's literal "<EMAIL_1>" must not become the placeholder of a real
// address: upstream would see two identical tokens, and restoring the answer
// would rewrite the user's own text into the address.
TEST(Redaction, PlaceholdersNeverCollideWithTextAlreadyInTheRequest) {
  Scanner s = redacting_scanner();
  std::vector<std::string_view> texts = {"Mail jane.doe@acme-corp.com and <EMAIL_1>.",
                                         "Template: <EMAIL_2>, <CREDIT_CARD_1>"};
  Decision d = classify(s, texts);
  ASSERT_EQ(d.action, Action::redact);
  EXPECT_EQ(d.redacted[0], "Mail <EMAIL_3> and <EMAIL_1>.");
  EXPECT_EQ(d.redacted[1], "Template: <EMAIL_2>, <CREDIT_CARD_1>");
  EXPECT_FALSE(d.redactions.original("<EMAIL_1>"));
  EXPECT_EQ(restore("Sent to <EMAIL_3>, not <EMAIL_1>.", d.redactions),
            "Sent to jane.doe@acme-corp.com, not <EMAIL_1>.");
}

// The same look-alike split across two texts (two parts of one message, which the
// model reads as one) is the user's too: restoring must leave it alone.
TEST(Redaction, ALookAlikeSplitAcrossTextsIsNotTakenEither) {
  Scanner s = redacting_scanner();
  std::vector<std::string_view> texts = {"Mail jane.doe@acme-corp.com and <EMAI", "L_1>, please."};
  Decision apart = classify(s, texts);
  EXPECT_EQ(apart.redacted[0], "Mail <EMAIL_1> and <EMAI") << "texts alone do not show it";
  Decision d = classify(s, texts, {"Mail jane.doe@acme-corp.com and <EMAIL_1>, please."});
  ASSERT_EQ(d.action, Action::redact);
  EXPECT_EQ(d.redacted[0], "Mail <EMAIL_2> and <EMAI");
  EXPECT_FALSE(d.redactions.original("<EMAIL_1>"));
  EXPECT_EQ(restore("Sent to <EMAIL_2>, not <EMAIL_1>.", d.redactions),
            "Sent to jane.doe@acme-corp.com, not <EMAIL_1>.");
}

}  // namespace
}  // namespace llmux::privacy
