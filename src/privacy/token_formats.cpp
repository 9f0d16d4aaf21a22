// Provider key formats. The trigger is the literal prefix; the token is grown
// forward over its alphabet, then checked for length and randomness.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "privacy/char_class.hpp"
#include "privacy/secret_detectors.hpp"
#include "privacy/validators.hpp"

namespace llmux::privacy::detail {

namespace {

constexpr std::size_t kMax = 512;

constexpr std::array<TokenFormat, 54> kFormats = {{
    // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-) and Anthropic (sk-ant-api03-, sk-ant-admin01-).
    {"sk-", 40, kMax, "_-"},
    // AWS access key ids, by principal type.
    {"AKIA", 20, 20, ""},
    {"ASIA", 20, 20, ""},
    {"ABIA", 20, 20, ""},
    {"ACCA", 20, 20, ""},
    {"AGPA", 20, 20, ""},
    {"AIDA", 20, 20, ""},
    {"AIPA", 20, 20, ""},
    {"ANPA", 20, 20, ""},
    {"ANVA", 20, 20, ""},
    {"AROA", 20, 20, ""},
    {"APKA", 20, 20, ""},
    {"ASCA", 20, 20, ""},
    // GitHub and GitLab.
    {"ghp_", 40, 255, ""},
    {"gho_", 40, 255, ""},
    {"ghu_", 40, 255, ""},
    {"ghs_", 40, 255, ""},
    {"ghr_", 40, 255, ""},
    {"github_pat_", 82, 255, "_"},
    {"glpat-", 26, 64, "_-"},
    // Slack tokens and incoming webhooks.
    {"xoxb-", 24, 255, "-"},
    {"xoxa-", 24, 255, "-"},
    {"xoxp-", 24, 255, "-"},
    {"xoxo-", 24, 255, "-"},
    {"xoxr-", 24, 255, "-"},
    {"xoxs-", 24, 255, "-"},
    {"xoxe-", 24, 255, "-"},
    {"hooks.slack.com/services/", 60, 160, "/"},
    // Google API keys and OAuth access tokens.
    {"AIza", 39, 39, "_-"},
    {"ya29.", 30, kMax, "_-."},
    // Stripe, SendGrid, Hugging Face, npm.
    {"sk_live_", 28, 255, ""},
    {"sk_test_", 28, 255, ""},
    {"rk_live_", 28, 255, ""},
    {"rk_test_", 28, 255, ""},
    {"whsec_", 30, 128, ""},
    {"SG.", 69, 69, "_-."},
    {"hf_", 37, 64, ""},
    {"npm_", 40, 64, ""},
    // Other LLM providers: Groq, xAI, Perplexity, Replicate.
    {"gsk_", 52, 64, ""},
    {"xai-", 60, 128, ""},
    {"pplx-", 45, 64, ""},
    {"r8_", 40, 64, ""},
    // Shopify, DigitalOcean, Mailgun.
    {"shpat_", 38, 38, ""},
    {"shpss_", 38, 38, ""},
    {"shpca_", 38, 38, ""},
    {"shppa_", 38, 38, ""},
    {"dop_v1_", 71, 71, ""},
    {"doo_v1_", 71, 71, ""},
    {"dor_v1_", 71, 71, ""},
    {"key-", 36, 36, ""},
    // Atlassian, Linear, Notion.
    {"ATATT3", 100, 255, "_-="},
    {"lin_api_", 48, 64, ""},
    {"secret_", 50, 50, ""},
    {"ntn_", 46, 64, ""},
}};

bool in_alphabet(char c, std::string_view extra) {
  return is_alnum(c) || extra.find(c) != std::string_view::npos;
}

// Generated bodies are random; an all-X or repeated body is a placeholder.
bool random_enough(std::string_view body) {
  if (body.size() < 8) return false;
  double needed = std::min(3.0, std::log2(static_cast<double>(body.size())) - 1.5);
  return shannon_entropy(body) >= needed;
}

// Anthropic keys name their kind and version (sk-ant-api03-); project, service
// account and admin keys name themselves; legacy sk- keys mix cases and digits.
bool openai_family_valid(std::string_view tok) {
  if (tok.substr(0, 7) == "sk-ant-") {
    std::size_t dash = tok.find('-', 7);
    return dash != std::string_view::npos && dash <= 16 && tok.size() >= 60;
  }
  for (std::string_view p : {"sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"}) {
    if (tok.substr(0, p.size()) == p) return true;
  }
  std::string_view body = tok.substr(3);
  bool up = std::any_of(body.begin(), body.end(), is_upper);
  bool lo = std::any_of(body.begin(), body.end(), is_lower);
  bool dig = std::any_of(body.begin(), body.end(), is_digit);
  return body.size() >= 32 && up && lo && dig;
}

// `body` bytes into `tok` the random part starts.
bool token_valid(std::string_view tok, std::size_t body, const TokenFormat& f, bool webhook) {
  if (tok.size() < f.min_length || tok.size() > f.max_length + (webhook ? 8 : 0)) return false;
  if (f.prefix == "sk-" && !openai_family_valid(tok)) return false;
  return random_enough(tok.substr(body));
}

// The end of a random-looking run (8+ characters of the alphabet, letters and
// digits) after one space at `e` that continues a token of 8+ characters; 0 if none.
std::size_t continuation_after_space(std::string_view text, std::size_t e, const TokenFormat& f) {
  if (at(text, e) != ' ' || f.prefix[0] == 'h') return 0;
  std::size_t k = e + 1;
  while (k < text.size() && k - e <= f.max_length && in_alphabet(text[k], f.extra)) ++k;
  std::string_view run = text.substr(e + 1, k - e - 1);
  bool digit = std::any_of(run.begin(), run.end(), is_digit);
  bool alpha = std::any_of(run.begin(), run.end(), is_alpha);
  return run.size() >= 8 && digit && alpha && random_enough(run) ? k : 0;
}

}  // namespace

std::span<const TokenFormat> token_formats() { return kFormats; }

std::size_t confirm_token(std::string_view text, std::size_t end, const TokenFormat& f, Hits& out) {
  std::size_t b = end - f.prefix.size();
  std::size_t e = end;
  while (e < text.size() && e - b <= f.max_length && in_alphabet(text[e], f.extra)) ++e;
  const bool webhook = f.prefix[0] == 'h';
  if (webhook && b >= 8 && text.substr(b - 8, 8) == "https://") b -= 8;
  if (!webhook && is_alnum(before(text, b))) return e;  // "task-runner" is not "sk-..."
  // "sk-proj-Xq7Lm2Vb9R t4Nc8Hs3Kd6...": one space inside a key does not end it.
  if (std::size_t k = continuation_after_space(text, e, f); k != 0) {
    std::string joined(text.substr(b, e - b));
    joined.append(text.substr(e + 1, k - e - 1));
    if (token_valid(joined, end - b, f, webhook)) {
      out.push_back(Hit{Builtin::secret, b, k});
      return k;
    }
  }
  if (!token_valid(text.substr(b, e - b), end - b, f, webhook)) return e;
  out.push_back(Hit{Builtin::secret, b, e});
  return e;
}

}  // namespace llmux::privacy::detail
