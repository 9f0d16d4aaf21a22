// The Scanner end to end: what it finds, where, and what it leaves alone.
#include "privacy/scanner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace llmux::privacy {
namespace {

struct Found {
  std::string cls;
  std::string text;
  friend bool operator==(const Found&, const Found&) = default;
};

std::ostream& operator<<(std::ostream& os, const Found& f) { return os << f.cls << ":'" << f.text << "'"; }

Scanner compile(const PrivacyConfig& config = {}) {
  auto s = Scanner::compile(config);
  EXPECT_TRUE(s) << s.error().describe();
  return std::move(*s);
}

std::vector<Found> found(const Scanner& s, const std::string& text) {
  std::vector<Found> out;
  for (const auto& f : s.scan(text))
    out.push_back({std::string(f.class_name), text.substr(f.begin, f.size())});
  return out;
}

TEST(Scanner, FindsEachBuiltInClassWithItsExactSpan) {
  Scanner s = compile();
  // Secrets are assembled at run time so that repository scanners do not flag this file.
  std::string aws = std::string("AKI") + "AZ7Q4LXK2M3N5P6RT";
  std::string text =
      "Mail jane.doe@acme-corp.com or call (415) 555-0132. Card 4539 1488 0343 6467, IBAN DE89 3704 "
      "0044 0532 0130 00, SSN 123-45-6789, host 10.0.3.21, key " +
      aws + ".";
  EXPECT_EQ(found(s, text), (std::vector<Found>{{"email", "jane.doe@acme-corp.com"},
                                                {"phone", "(415) 555-0132"},
                                                {"credit_card", "4539 1488 0343 6467"},
                                                {"iban", "DE89 3704 0044 0532 0130 00"},
                                                {"us_ssn", "123-45-6789"},
                                                {"ip_address", "10.0.3.21"},
                                                {"secret", aws}}));
}

TEST(Scanner, CleanTextHasNoFindings) {
  Scanner s = compile();
  EXPECT_TRUE(
      s.scan("Explain the difference between TCP and UDP; version 1.2.3.4, build 20240315.2, 12:30:45.")
          .empty());
  EXPECT_TRUE(s.scan("").empty());
}

TEST(Scanner, ResolvesOverlapsToOneReading) {
  Scanner s = compile();
  // Digit groups inside an IBAN pass Luhn as an 18-digit Maestro number: the IBAN wins.
  EXPECT_EQ(found(s, "IBAN DE05 6750 1992 0453 8058 03 please"),
            (std::vector<Found>{{"iban", "DE05 6750 1992 0453 8058 03"}}));
  // A dotted quad inside an IPv6 address is part of that address.
  EXPECT_EQ(found(s, "peer ::ffff:192.0.2.128 seen"),
            (std::vector<Found>{{"ip_address", "::ffff:192.0.2.128"}}));
  // A card number is never also a phone number.
  EXPECT_EQ(found(s, "4539148803436467"), (std::vector<Found>{{"credit_card", "4539148803436467"}}));
}

TEST(Scanner, OnlyEnabledDetectorsRun) {
  PrivacyConfig config;
  config.detectors = {"email"};
  Scanner s = compile(config);
  EXPECT_EQ(found(s, "a@example.com 4539 1488 0343 6467 10.0.0.1"),
            (std::vector<Found>{{"email", "a@example.com"}}));
  config.detectors = {};
  EXPECT_TRUE(compile(config).scan("a@example.com 4539 1488 0343 6467").empty());
}

TEST(Scanner, FindingsCarryTheirClassAction) {
  PrivacyConfig config;
  config.actions["secret"] = Action::block;
  config.default_action = Action::redact;
  Scanner s = compile(config);
  auto f = s.scan("mail a@example.com with key " + std::string("gh") + "p_" +
                  std::string("a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].action, Action::redact);
  EXPECT_EQ(f[1].action, Action::block);
  EXPECT_EQ(s.data_class(f[1].class_id).name, "secret");
}

TEST(Scanner, UserRegexAndKeywordsJoinTheSameScan) {
  PrivacyConfig config;
  config.patterns.push_back(
      {"project_codename", R"(\bPROJECT-[A-Z]{4}\b)", {}, Action::local_only, false, 12});
  config.patterns.push_back({"client_names", "", {"Acme Corp", "Globex"}, std::nullopt, true, 15});
  Scanner s = compile(config);
  EXPECT_EQ(
      found(s, "Status of PROJECT-ORCA for ACME CORP and globex, not PROJECT-ORCAS or Globexx."),
      (std::vector<Found>{
          {"project_codename", "PROJECT-ORCA"}, {"client_names", "ACME CORP"}, {"client_names", "globex"}}));
  EXPECT_EQ(s.scan("PROJECT-ORCA")[0].action, Action::local_only);
}

TEST(Scanner, KeywordsAreLiteralsNotRegexes) {
  PrivacyConfig config;
  config.patterns.push_back({"odd", "", {"a.b (c)", "C++"}, std::nullopt, false, 3});
  Scanner s = compile(config);
  EXPECT_EQ(found(s, "a.b (c) axb (c) C++ and C+"), (std::vector<Found>{{"odd", "a.b (c)"}, {"odd", "C++"}}));
}

TEST(Scanner, UserFindingsAreKeptEvenInsideBuiltInOnes) {
  PrivacyConfig config;
  config.patterns.push_back({"client_names", "", {"acme"}, Action::local_only, true, 3});
  Scanner s = compile(config);
  // A keyword list of client names must still see "acme" inside an email address.
  EXPECT_EQ(found(s, "write to bob@acme.com"),
            (std::vector<Found>{{"email", "bob@acme.com"}, {"client_names", "acme"}}));
}

TEST(Scanner, BadUserRegexFailsWithPatternNameLineAndVectorscanMessage) {
  PrivacyConfig config;
  config.file = "llmux.toml";
  config.patterns.push_back({"broken", "PROJECT-(", {}, std::nullopt, false, 42});
  auto s = Scanner::compile(config);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::config);
  EXPECT_EQ(s.error().context, "llmux.toml:42");
  EXPECT_NE(s.error().message.find("'broken'"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("Missing close parenthesis"), std::string::npos) << s.error().message;
}

TEST(Scanner, RejectsUnknownDetectorsAndDuplicateNames) {
  PrivacyConfig config;
  config.detectors = {"email", "passport"};
  EXPECT_FALSE(Scanner::compile(config));
  config.detectors = {"email"};
  config.patterns.push_back({"email", "x", {}, std::nullopt, false, 1});
  EXPECT_FALSE(Scanner::compile(config));
}

TEST(Scanner, IsSafeToShareAcrossThreads) {
  PrivacyConfig config;
  config.patterns.push_back({"ticket", R"(\bTICKET-\d{5}\b)", {}, std::nullopt, false, 1});
  Scanner s = compile(config);
  const std::string text = "jane@example.com paid with 4539 1488 0343 6467 about TICKET-12345 from 10.1.2.3";
  const auto expected = found(s, text);
  ASSERT_EQ(expected.size(), 4u);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      // Each thread also uses a scanner of its own, so thread-local scratch serves two databases.
      Scanner own = compile();
      for (int i = 0; i < 2000; ++i) {
        if (found(s, text) != expected) ++mismatches;
        if (own.scan(text).size() != 3) ++mismatches;
        if (i % 500 == t) std::this_thread::yield();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Scanner, ScansMultilingualText) {
  Scanner s = compile();
  EXPECT_EQ(found(s, "担当者：山田太郎（t.yamada@example.jp、090-1234-5678）"),
            (std::vector<Found>{{"email", "t.yamada@example.jp"}, {"phone", "090-1234-5678"}}));
  EXPECT_EQ(found(s, "Rückfragen an jürgen.weiß@bücherstube-köln.de"),
            (std::vector<Found>{{"email", "jürgen.weiß@bücherstube-köln.de"}}));
}

}  // namespace
}  // namespace llmux::privacy

namespace llmux::privacy {
namespace {

// Evasions a review sent to a cloud deployment: the same card, IBAN and SSN
// written with other separators, invisible characters or glued to words.
TEST(Scanner, FindsCardNumbersWrittenWithAnySeparator) {
  Scanner s = compile();
  for (std::string card :
       {"4539.1488.0343.6467", "4539  1488  0343  6467", "45 39 14 88 03 43 64 67",
        "4 5 3 9 1 4 8 8 0 3 4 3 6 4 6 7", "4539/1488/0343/6467", "4539_1488_0343_6467", "4539 1488\n0343 6467",
        "45391488\r\n03436467", "4539\xE2\x80\x8B" "1488\xE2\x80\x8B" "0343\xE2\x80\x8B" "6467",
        "4539\xE2\x80\x93" "1488\xE2\x80\x93" "0343\xE2\x80\x93" "6467"}) {
    for (std::string text : {"card: " + card + " thanks", card}) {
      EXPECT_EQ(found(s, text), (std::vector<Found>{{"credit_card", card}})) << text;
    }
  }
  EXPECT_EQ(found(s, "ref cc4539148803436467exp"), (std::vector<Found>{{"credit_card", "4539148803436467"}}));
  EXPECT_EQ(found(s, "x 12 4539.1488.0343.6467"), (std::vector<Found>{{"credit_card", "4539.1488.0343.6467"}}));
}

TEST(Scanner, LooseReadingKeepsFalsePositivesOut) {
  Scanner s = compile();
  // A hex hash with a Luhn-valid decimal run, a longer dotted number, a card
  // joined to other digits by a second kind of separator, mixed separators.
  for (std::string text : {"sha 0ab4539148803436467cdef0123", "v4539.1488.0343.6467.12",
                           "4539.1488 0343-6467", "ids 4539_1488_0343_6467_1234",
                           "1 2 3 4 5 6 7 8 9 (no keyword)", "123.45.6789 is a build"}) {
    EXPECT_EQ(found(s, text), std::vector<Found>{}) << text;
  }
}

TEST(Scanner, FindsIbansWrittenWithAnySeparator) {
  Scanner s = compile();
  for (std::string iban :
       {"DE89-3704-0044-0532-0130-00", "DE89.3704.0044.0532.0130.00", "DE89  3704  0044  0532  0130  00",
        "DE89\xC2\xA0" "3704\xC2\xA0" "0044\xC2\xA0" "0532\xC2\xA0" "0130\xC2\xA0" "00",
        "DE89\xE2\x80\x8B" "37040044\xE2\x80\x8B" "0532013000", "D\xD0\x95" "89 3704 0044 0532 0130 00",
        "de89 3704 0044 0532 0130 00"}) {
    std::string text = "IBAN: " + iban + ".";
    EXPECT_EQ(found(s, text), (std::vector<Found>{{"iban", iban}})) << text;
  }
  EXPECT_EQ(found(s, "DE89 3704-0044 0532 0130 00"), (std::vector<Found>{{"iban", "DE89 3704-0044 0532 0130 00"}}));
  // Grouped, then a group glued to the next: not one IBAN.
  EXPECT_EQ(found(s, "DE89 3704 00440532 0130 00"), std::vector<Found>{});
}

TEST(Scanner, FindsEncodedAddressesInUrlPathsAndQueries) {
  Scanner s = compile();
  EXPECT_EQ(found(s, "https://x.example/?u=jane.doe%40example.com"),
            (std::vector<Found>{{"email", "jane.doe%40example.com"}}));
  EXPECT_EQ(found(s, "https://x.example/u/jane.doe%40example.com/profile"),
            (std::vector<Found>{{"email", "jane.doe%40example.com"}}));
  EXPECT_EQ(found(s, "https://x.example/?a=1&to=jane.doe@example.com"),
            (std::vector<Found>{{"email", "jane.doe@example.com"}}));
  // Credentials in the authority stay what they were: not an address.
  EXPECT_EQ(found(s, "clone https://deploy@github.example.com/org/repo"), std::vector<Found>{});
}

TEST(Scanner, FindsSsnsWrittenWithAnySeparator) {
  Scanner s = compile();
  EXPECT_EQ(found(s, "SSN 123.45.6789"), (std::vector<Found>{{"us_ssn", "123.45.6789"}}));
  EXPECT_EQ(found(s, "id 123\xE2\x80\x93" "45\xE2\x80\x93" "6789."),
            (std::vector<Found>{{"us_ssn", "123\xE2\x80\x93" "45\xE2\x80\x93" "6789"}}));
  EXPECT_EQ(found(s, "my social security number is 1 2 3 4 5 6 7 8 9"),
            (std::vector<Found>{{"us_ssn", "1 2 3 4 5 6 7 8 9"}}));
}

}  // namespace
}  // namespace llmux::privacy

namespace llmux::privacy {
namespace {

// Zero-width characters, digits of other scripts and a full-width '@' are
// read through a normalised copy; the spans are those of the original bytes.
TEST(Scanner, SeesThroughInvisibleCharactersAndOtherScriptsDigits) {
  Scanner s = compile();
  const std::string zw = "\xE2\x80\x8B";
  // ٤٥٣٩ ١٤٨٨ ٠٣٤٣ ٦٤٦٧ (Arabic-Indic digits)
  std::string arabic;
  for (char c : std::string("4539 1488 0343 6467")) arabic += c == ' ' ? std::string(" ") : std::string("\xD9") + char(0xA0 + (c - '0'));
  EXPECT_EQ(found(s, "card " + arabic + " ok"), (std::vector<Found>{{"credit_card", arabic}}));
  std::string email = "jane.doe\xEF\xBC\xA0" "example.com";  // full-width at sign
  EXPECT_EQ(found(s, "mail " + email + " today"), (std::vector<Found>{{"email", email}}));
  std::string email_zw = "jane" + zw + ".doe@exa" + zw + "mple.com";
  EXPECT_EQ(found(s, "mail " + email_zw + " today"), (std::vector<Found>{{"email", email_zw}}));
  std::string key = std::string("sk-proj-") + "Xq7Lm2Vb9Rt4Nc8" + zw + "Hs3Kd6Pf1Wz5Yg0Tj2Ua7Eo4";
  EXPECT_EQ(found(s, "key " + key + " end"), (std::vector<Found>{{"secret", key}}));
}

// Full-width letters, hyphen look-alikes and more invisible characters.
TEST(Scanner, SeesThroughFullWidthLettersAndHyphenLookAlikes) {
  Scanner s = compile();
  auto fullwidth = [](std::string_view ascii) {
    std::string out;
    for (char c : ascii) {
      unsigned u = 0xFF00u + static_cast<unsigned char>(c) - 0x20u;  // U+FF01..FF5E for '!'..'~'
      out += static_cast<char>(0xE0 | (u >> 12));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
    return out;
  };
  std::string key = fullwidth("sk") + "-proj-Xq7Lm2Vb9Rt4Nc8Hs3Kd6Pf1Wz5Yg0Tj2Ua7Eo4";
  EXPECT_EQ(found(s, "key " + key + " end"), (std::vector<Found>{{"secret", key}}));
  std::string nb_hyphens = "sk\xE2\x80\x91proj\xE2\x80\x91Xq7Lm2Vb9Rt4Nc8Hs3Kd6Pf1Wz5Yg0Tj2Ua7Eo4";
  EXPECT_EQ(found(s, "key " + nb_hyphens + " end"), (std::vector<Found>{{"secret", nb_hyphens}}));
  std::string ssn = "536\xEF\xBC\x8D" "22\xEF\xBC\x8D" "8145";  // full-width hyphen-minus
  EXPECT_EQ(found(s, "ssn " + ssn + " ok"), (std::vector<Found>{{"us_ssn", ssn}}));
  std::string card = "4539\xE2\x80\x8E" "1488\xE2\x80\x8E" "0343\xE2\x80\x8E" "6467";  // left-to-right marks
  EXPECT_EQ(found(s, "card " + card + " ok"), (std::vector<Found>{{"credit_card", card}}));
}

TEST(Scanner, OneSpaceInsideAKeyDoesNotEndIt) {
  Scanner s = compile();
  std::string key = std::string("sk-proj-") + "Xq7Lm2Vb9Rt4Nc8 Hs3Kd6Pf1Wz5Yg0Tj2Ua7Eo4";
  EXPECT_EQ(found(s, "use " + key + " please"), (std::vector<Found>{{"secret", key}}));
  std::string whole = std::string("sk-proj-") + "Xq7Lm2Vb9Rt4Nc8Hs3Kd6Pf1Wz5Yg0Tj2Ua7Eo4";
  EXPECT_EQ(found(s, "use " + whole + " please"), (std::vector<Found>{{"secret", whole}}));
  EXPECT_EQ(found(s, "see sk-proj-docs for details"), std::vector<Found>{});
}

TEST(Scanner, UserPatternsSeeThroughInvisibleCharactersToo) {
  PrivacyConfig config;
  config.patterns.push_back({"codename", "\\bPROJECT-[A-Z]{4}\\b", {}, Action::block, false, 1});
  Scanner s = compile(config);
  std::string name = "PROJECT-\xE2\x80\x8B" "ABCD";
  EXPECT_EQ(found(s, "about " + name + "."), (std::vector<Found>{{"codename", name}}));
  std::string wide = "PROJECT-\xEF\xBC\xBA\xEF\xBC\xA5\xEF\xBC\xB5\xEF\xBC\xB3";  // ＺＥＵＳ
  EXPECT_EQ(found(s, "about " + wide + "."), (std::vector<Found>{{"codename", wide}}));
}

}  // namespace
}  // namespace llmux::privacy
