// Secrets by format. Key material is assembled at run time ("gh" + "p_") so that
// repository secret scanners do not flag this file; every value is fake.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "privacy/scanner.hpp"

namespace llmux::privacy {
namespace {

std::string repeat_mix(std::size_t n) {
  static const std::string alphabet = "q8ZpT2vX9mL4rK7wB1nCz5Y3hJ6gF0dS";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[(i * 7 + i / 5) % alphabet.size()];
  return out;
}

std::vector<std::string> secrets_in(const std::string& text) {
  static const Scanner s = [] {
    PrivacyConfig config;
    config.detectors = {"secret"};
    return *Scanner::compile(config);
  }();
  std::vector<std::string> out;
  for (const auto& f : s.scan(text)) out.push_back(text.substr(f.begin, f.size()));
  return out;
}

struct Case {
  std::string text;
  std::string secret;  // empty: nothing may be found
};

TEST(Secrets, ProviderKeyFormats) {
  const std::string r = repeat_mix(120);
  const std::vector<Case> cases = {
      {"key sk-" + r.substr(0, 20) + "T3Blbk" + "FJ" + r.substr(20, 20),
       "sk-" + r.substr(0, 20) + "T3BlbkFJ" + r.substr(20, 20)},
      {"OPENAI_API_KEY=sk-" + std::string("proj-") + r.substr(0, 60), "sk-proj-" + r.substr(0, 60)},
      {"x-api-key: sk-" + std::string("ant-api03-") + r.substr(0, 93) + "AA",
       "sk-ant-api03-" + r.substr(0, 93) + "AA"},
      {"id AKI" + std::string("A") + "Z7Q4LXK2M3N5P6RT,", "AKIAZ7Q4LXK2M3N5P6RT"},
      {"GITHUB_TOKEN gh" + std::string("p_") + r.substr(0, 36), "ghp_" + r.substr(0, 36)},
      {"pat github" + std::string("_pat_") + r.substr(0, 22) + "_" + r.substr(22, 59),
       "github_pat_" + r.substr(0, 22) + "_" + r.substr(22, 59)},
      {"bot xox" + std::string("b-") + "123456789012-1234567890123-" + r.substr(0, 24),
       "xoxb-123456789012-1234567890123-" + r.substr(0, 24)},
      {"maps AI" + std::string("za") + r.substr(0, 35) + "&x=1", "AIza" + r.substr(0, 35)},
      {"stripe sk" + std::string("_live_") + r.substr(0, 24), "sk_live_" + r.substr(0, 24)},
      {"hf token h" + std::string("f_") + "qZpTvXmLrKwBnCzYhJgFdSaEoIuYtReWsQ",
       "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"},
      // Look-alikes and placeholders.
      {"task-runner-configuration-default-value", ""},
      {"AWS_ACCESS_KEY_ID=AKI" + std::string("A") + "XXXXXXXXXXXXXXXX", ""},
      {"Keys look like sk-proj-xxxxxxxx; never share them.", ""},
  };
  for (const auto& c : cases) {
    auto found = secrets_in(c.text);
    if (c.secret.empty()) {
      EXPECT_TRUE(found.empty()) << c.text << " -> " << (found.empty() ? "" : found[0]);
    } else {
      EXPECT_EQ(found, std::vector<std::string>{c.secret}) << c.text;
    }
  }
}

TEST(Secrets, StructuredSecrets) {
  const std::string jwt = "ey" +
                          std::string("JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.") +
                          "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  const std::string pem = "-----BEGIN RSA PRIV" +
                          std::string("ATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIV") + "ATE KEY-----";
  EXPECT_EQ(secrets_in("Authorization: Bearer " + jwt), std::vector<std::string>{jwt});
  EXPECT_EQ(secrets_in("key:\n" + pem + "\nend"), std::vector<std::string>{pem});
  EXPECT_TRUE(secrets_in("-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----").empty());
  EXPECT_EQ(secrets_in("postgres://app:N0tS0S3cure#@db.example.com/prod"),
            std::vector<std::string>{"N0tS0S3cure#"});
  EXPECT_TRUE(secrets_in("postgres://user:password@localhost/db").empty());  // the documented placeholder
  EXPECT_EQ(secrets_in("mysql -u root -p'p4ssW0rd-Pr0d!' -h db"), std::vector<std::string>{"p4ssW0rd-Pr0d!"});
  // Basic credentials are base64 of user:password.
  EXPECT_EQ(secrets_in("Authorization: Basic dXNlcjpQQHNzdzByZDEyMw=="),
            std::vector<std::string>{"dXNlcjpQQHNzdzByZDEyMw=="});
  EXPECT_TRUE(secrets_in("Authorization: Basic bm90IGEgY3JlZGVudGlhbA==").empty());  // "not a credential"
}

TEST(Secrets, HighEntropyValuesAfterKeyLikeNames) {
  const std::vector<Case> cases = {
      {"api_key = \"9f86d081884c7d659a2feaa0c55ad015\"", "9f86d081884c7d659a2feaa0c55ad015"},
      {"\"apiKey\": \"q8ZpT2vX9mL4rK7wB1nCz5Y3hJ6g\"", "q8ZpT2vX9mL4rK7wB1nCz5Y3hJ6g"},
      {"X-Auth-Token: q8ZpT2vX9mL4rK7wB1nCz5Y3", "q8ZpT2vX9mL4rK7wB1nCz5Y3"},
      {"access_token=q8ZpT2vX9mL4rK7wB1nCz5Y3&expires_in=3600", "q8ZpT2vX9mL4rK7wB1nCz5Y3"},
      {"DB_PASSWORD=Xk9#mP2$vL7qR4!w", "Xk9#mP2$vL7qR4!w"},
      {"Mein Passwort ist S3cr3t!Passw0rd, bitte nicht weitergeben.", "S3cr3t!Passw0rd"},
      {"Mot de passe : Zx8!qW2#eR5$", "Zx8!qW2#eR5$"},
      {"\xE3\x83\x91\xE3\x82\xB9\xE3\x83\xAF\xE3\x83\xBC\xE3\x83\x89\xEF\xBC\x9AHk3$9vQ!zP", "Hk3$9vQ!zP"},
      {"define('DB_PASSWORD', 'Wp!c0nf1g#2024');", "Wp!c0nf1g#2024"},
      // Names that are not keys, values that are not secrets.
      {"Set max_tokens=256 and token_limit = 128000.", ""},
      {"api_key = os.environ[\"OPENAI_API_KEY\"]", ""},
      {"password: <your-password>", ""},
      {"password: ********", ""},
      {"password=changeme is the default", ""},
      {"token = get_token(user_id)", ""},
      {"github_token: ${{ secrets.GITHUB_TOKEN }}", ""},
      {"api_key = settings.OPENAI_KEY", ""},
      {"The password is stored as a bcrypt hash.", ""},
      {"Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it.", ""},
  };
  for (const auto& c : cases) {
    auto found = secrets_in(c.text);
    if (c.secret.empty()) {
      EXPECT_TRUE(found.empty()) << c.text << " -> " << (found.empty() ? "" : found[0]);
    } else {
      EXPECT_EQ(found, std::vector<std::string>{c.secret}) << c.text;
    }
  }
}

}  // namespace
}  // namespace llmux::privacy
