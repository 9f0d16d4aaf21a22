// The published rules each validator encodes, on hand-picked edge cases.
#include "privacy/validators.hpp"

#include <gtest/gtest.h>

namespace llmux::privacy {
namespace {

TEST(Luhn, AcceptsValidAndRejectsOneDigitChanges) {
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_FALSE(luhn_valid("79927398710"));
  EXPECT_TRUE(luhn_valid("4539 1488 0343 6467"));  // separators are ignored
  EXPECT_FALSE(luhn_valid("4539 1488 0343 6468"));
  EXPECT_FALSE(luhn_valid(""));
}

TEST(CardNumber, NeedsIssuerPrefixLengthAndLuhn) {
  EXPECT_TRUE(card_number_valid("4539148803436467"));  // Visa 16
  EXPECT_TRUE(card_number_valid("378734493671026"));   // Amex 15 (Luhn-valid, not the test number)
  EXPECT_FALSE(card_number_valid("3787344936710"));    // Amex must be 15 digits
  EXPECT_FALSE(
      card_number_valid("352099001761481"));  // an IMEI: Luhn-valid, but no issuer uses 35 + 15 digits
  EXPECT_FALSE(card_number_valid("9400100000000000"));  // no issuer starts with 94
  EXPECT_FALSE(card_number_valid("4539148803436468"));  // Luhn fails
  EXPECT_FALSE(card_number_valid("45391488034364"));    // Visa is 13, 16 or 19 digits
}

TEST(CardNumber, PublishedTestNumbersAreNotCardholderData) {
  for (const char* n : {"4242424242424242", "4111111111111111", "5555555555554444", "378282246310005",
                        "6011111111111117", "4000056655665556", "3566002020360505"}) {
    EXPECT_TRUE(luhn_valid(n)) << n;
    EXPECT_FALSE(card_number_valid(n)) << n;
  }
  EXPECT_FALSE(card_number_valid("4000000000000002"));  // low-complexity numbers are test numbers too
}

TEST(Iban, ChecksCountryLengthAndMod97) {
  EXPECT_TRUE(iban_valid("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(iban_valid("GB82WEST12345698765432"));
  EXPECT_TRUE(iban_valid("gb82 west 1234 5698 7654 32"));   // lower case pasted text
  EXPECT_TRUE(iban_valid("NO9386011117947"));               // shortest: Norway, 15
  EXPECT_FALSE(iban_valid("DE89 3704 0044 0532 0130 01"));  // check digits do not match
  EXPECT_FALSE(iban_valid("DE89 3704 0044 0532 0130"));     // too short for DE
  EXPECT_FALSE(iban_valid("US64 SVBK US6S 3300 9673 86"));  // not an IBAN country
  EXPECT_EQ(iban_length("FR"), 27u);
  EXPECT_EQ(iban_length("XX"), 0u);
}

TEST(UsSsn, FollowsSsaAllocationRules) {
  EXPECT_TRUE(us_ssn_valid("123456789"));
  EXPECT_FALSE(us_ssn_valid("000456789"));  // area 000
  EXPECT_FALSE(us_ssn_valid("666456789"));  // area 666
  EXPECT_FALSE(us_ssn_valid("912781234"));  // area 9xx: ITINs
  EXPECT_FALSE(us_ssn_valid("123006789"));  // group 00
  EXPECT_FALSE(us_ssn_valid("123450000"));  // serial 0000
  EXPECT_FALSE(us_ssn_valid("12345678"));
}

TEST(IpAddress, Ipv4OctetsAndIpv6Forms) {
  EXPECT_TRUE(ipv4_valid("192.168.1.100"));
  EXPECT_TRUE(ipv4_valid("0.0.0.0"));
  EXPECT_FALSE(ipv4_valid("256.1.1.1"));
  EXPECT_FALSE(ipv4_valid("1.2.3"));
  EXPECT_FALSE(ipv4_valid("1.2.3.4.5"));
  EXPECT_FALSE(ipv4_valid("1.2.3.1234"));
  for (const char* a : {"2001:db8:85a3::8a2e:370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "::1",
                        "fe80::1", "::ffff:192.0.2.128", "2001:db8::", "1:2:3:4:5:6:7:8"}) {
    EXPECT_TRUE(ipv6_valid(a)) << a;
  }
  for (const char* a : {"2001:db8::85a3::1", "12:30:45", "00:1A:2B:3C:4D:5E", "1:2:3:4:5:6:7:8:9", "12345::1",
                        "::ffff:999.0.2.1", "::g"}) {
    EXPECT_FALSE(ipv6_valid(a)) << a;
  }
}

TEST(Email, LocalPartAndDomainRules) {
  EXPECT_TRUE(email_address_valid("jane.doe@acme-corp.com"));
  EXPECT_TRUE(email_address_valid("support+billing@helpdesk.example.org"));
  EXPECT_TRUE(email_address_valid("jürgen@bücherstube-köln.de"));
  EXPECT_TRUE(email_address_valid("olga@xn--80ak6aa92e.com"));
  EXPECT_FALSE(email_address_valid("user@localhost"));     // no top-level domain
  EXPECT_FALSE(email_address_valid("lodash@4.17.21"));     // numeric "TLD": a version
  EXPECT_FALSE(email_address_valid("icon@2x.png"));        // image scale suffix
  EXPECT_FALSE(email_address_valid("model@step-1.ckpt"));  // file extension
  EXPECT_FALSE(email_address_valid("a..b@example.com"));
  EXPECT_FALSE(email_address_valid(".a@example.com"));
  EXPECT_FALSE(email_address_valid("a@-example.com"));
}

TEST(Entropy, SeparatesGeneratedTokensFromWords) {
  EXPECT_DOUBLE_EQ(shannon_entropy("aaaaaaaa"), 0.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("abcdefgh"), 3.0);
  EXPECT_GT(shannon_entropy("q8ZpT2vX9mL4rK7wB1nC"), 4.0);
  EXPECT_LT(shannon_entropy("password"), 3.0);
}

TEST(Phone, InternationalAndNationalLayouts) {
  for (const char* p : {"+49 30 901820", "+1 (617) 555-0111", "+44 (0)7700 900456", "+14155550100",
                        "(415) 555-0132", "020 7946 0958", "06 12 34 56 78", "03-1234-5678", "138 0013 8000",
                        "98765 43210", "(11) 98765-4321", "0049 30 1234567"}) {
    EXPECT_TRUE(phone_number_valid(p)) << p;
  }
  for (const char* p : {"12/03/2024", "2024-06-12", "192.168.1.10", "1 234 567", "978-3-16-148410-0",
                        "+0 123 456 789", "+1 415 555 01"}) {
    EXPECT_FALSE(phone_number_valid(p)) << p;
  }
}

TEST(Phone, BareDigitsNeedAPhoneKeyword) {
  EXPECT_FALSE(phone_number_valid("8005550142"));
  EXPECT_TRUE(phone_number_valid("8005550142", "My number is"));
  EXPECT_TRUE(phone_number_valid("13912345678", "手机号："));
  EXPECT_FALSE(phone_number_valid("0012345678", "Account number"));
}

}  // namespace
}  // namespace llmux::privacy
