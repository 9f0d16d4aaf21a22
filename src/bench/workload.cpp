#include "bench/workload.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "bench/prompt_files.hpp"
#include "core/text.hpp"

namespace llmux::bench {

namespace {

// Common English words: almost all are a single token (with their leading space)
// in the Llama, GPT and Qwen tokenizers, which keeps calibration close to 1.0.
constexpr const char* kWords[] = {
    "time", "year", "people", "way", "day", "man", "thing", "woman", "life", "child", "world", "school",
    "state", "family", "student", "group", "country", "problem", "hand", "part", "place", "case", "week",
    "company", "system", "program", "question", "work", "government", "number", "night", "point", "home",
    "water", "room", "mother", "area", "money", "story", "fact", "month", "lot", "right", "study", "book",
    "eye", "job", "word", "business", "issue", "side", "kind", "head", "house", "service", "friend",
    "father", "power", "hour", "game", "line", "end", "member", "law", "car", "city", "community", "name",
    "president", "team", "minute", "idea", "kid", "body", "information", "back", "parent", "face", "others",
    "level", "office", "door", "health", "person", "art", "war", "history", "party", "result", "change",
    "morning", "reason", "research", "girl", "guy", "moment", "air", "teacher", "force", "education"};
constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

std::mt19937_64 rng_for(std::uint64_t seed, std::int64_t index, std::uint64_t salt) {
  std::seed_seq seq{seed, static_cast<std::uint64_t>(index), salt};
  return std::mt19937_64(seq);
}

}  // namespace

std::int64_t LengthDist::sample(std::mt19937_64& rng) const {
  double v = a;
  switch (kind) {
    case Kind::fixed: break;
    case Kind::uniform: v = std::uniform_real_distribution<double>(a, b + 1)(rng); break;
    case Kind::normal: v = std::normal_distribution<double>(a, b)(rng); break;
    case Kind::lognormal: {
      double mu = std::log(a) - b * b / 2;  // so that the mean is a
      v = std::lognormal_distribution<double>(mu, b)(rng);
      break;
    }
  }
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(v)));
}

double LengthDist::mean() const { return kind == Kind::uniform ? (a + b) / 2 : a; }

std::string LengthDist::describe() const {
  auto num = [](double x) {
    std::string s = std::to_string(x);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
  };
  switch (kind) {
    case Kind::fixed: return num(a);
    case Kind::uniform: return "uniform " + num(a) + "-" + num(b);
    case Kind::normal: return "normal mean " + num(a) + " sd " + num(b);
    case Kind::lognormal: return "lognormal mean " + num(a) + " sigma " + num(b);
  }
  return num(a);
}

Result<LengthDist> parse_length_dist(std::string_view text, std::string_view flag) {
  auto bad = [&](const std::string& why) {
    return fail(ErrorCode::usage, std::string(flag) + " '" + std::string(text) + "': " + why,
                "use N, uniform:MIN:MAX, normal:MEAN:SD or lognormal:MEAN:SIGMA");
  };
  auto parts = split(text, ':');
  LengthDist d;
  std::vector<double> nums;
  std::string kind = parts.size() > 1 || !std::isdigit(static_cast<unsigned char>(text.empty() ? 'x' : text[0]))
                         ? to_lower(parts[0])
                         : "fixed";
  std::size_t first = kind == "fixed" && parts.size() == 1 ? 0 : 1;
  for (std::size_t i = first; i < parts.size(); ++i) {
    auto v = parse_double(parts[i]);
    if (!v) return bad("'" + std::string(parts[i]) + "' is not a number");
    nums.push_back(*v);
  }
  auto need = [&](std::size_t n) { return nums.size() == n; };
  if (kind == "fixed" && need(1)) d = {LengthDist::Kind::fixed, nums[0], 0};
  else if (kind == "uniform" && need(2)) d = {LengthDist::Kind::uniform, nums[0], nums[1]};
  else if (kind == "normal" && need(2)) d = {LengthDist::Kind::normal, nums[0], nums[1]};
  else if (kind == "lognormal" && need(2)) d = {LengthDist::Kind::lognormal, nums[0], nums[1]};
  else return bad("unknown form");
  if (d.a < 1) return bad("lengths must be at least 1");
  if (d.kind == LengthDist::Kind::uniform && d.b < d.a) return bad("MAX is below MIN");
  if (d.kind != LengthDist::Kind::fixed && d.kind != LengthDist::Kind::uniform && d.b < 0)
    return bad("the spread must not be negative");
  if (d.a > 10'000'000) return bad("length is over 10M tokens");
  return d;
}

Result<Workload> Workload::create(const WorkloadOptions& options) {
  Workload w;
  w.opts_ = options;
  if (!options.prompts_jsonl.empty()) {
    auto loaded = load_prompts_jsonl(options.prompts_jsonl);
    if (!loaded) return tl::unexpected(loaded.error());
    for (auto& p : *loaded) w.file_prompts_.push_back({std::move(p.messages), std::move(p.prompt), p.output_tokens, p.approx_input_tokens});
  } else if (!options.sharegpt_json.empty()) {
    auto loaded = load_sharegpt(options.sharegpt_json);
    if (!loaded) return tl::unexpected(loaded.error());
    for (auto& p : *loaded) w.file_prompts_.push_back({std::move(p.messages), std::move(p.prompt), p.output_tokens, p.approx_input_tokens});
  }
  if (options.shared_prefix_tokens < 0 || options.prefix_groups < 1)
    return fail(ErrorCode::usage, "shared prefix tokens must be >= 0 and prefix groups >= 1", "--shared-prefix/--prefix-groups");
  return w;
}

void Workload::calibrate(double tokens_per_word) {
  if (tokens_per_word > 0.2 && tokens_per_word < 10) {
    tokens_per_word_ = tokens_per_word;
    calibrated_ = true;
  }
  prefixes_.clear();
}

std::string Workload::synthetic_text(std::int64_t tokens, std::mt19937_64& rng) const {
  auto words = static_cast<std::int64_t>(std::llround(static_cast<double>(tokens) / tokens_per_word_));
  std::string out;
  out.reserve(static_cast<std::size_t>(words) * 7);
  for (std::int64_t i = 0; i < std::max<std::int64_t>(1, words); ++i) {
    if (i) out += ' ';
    out += kWords[rng() % kWordCount];
  }
  return out;
}

std::string Workload::sample_text(std::size_t words) const {
  std::mt19937_64 rng(12345);
  std::string out;
  for (std::size_t i = 0; i < words; ++i) {
    if (i) out += ' ';
    out += kWords[rng() % kWordCount];
  }
  return out;
}

RequestSpec Workload::make(std::int64_t index) const {
  auto rng = rng_for(opts_.seed, index, 0x5eed);
  RequestSpec spec;
  spec.max_tokens = opts_.output.sample(rng);
  if (!file_prompts_.empty()) {
    const auto& fp = file_prompts_[static_cast<std::size_t>(index) % file_prompts_.size()];
    spec.messages = fp.messages;
    spec.prompt = fp.prompt;
    spec.input_tokens = fp.approx_input_tokens;
    if (opts_.output_from_file && fp.output_tokens > 0) spec.max_tokens = fp.output_tokens;
    return spec;
  }
  std::int64_t input = opts_.input.sample(rng);
  std::string text;
  std::int64_t prefix = std::min(opts_.shared_prefix_tokens, input);
  if (prefix > 0) {
    auto group = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(opts_.prefix_groups));
    auto prefix_rng = rng_for(opts_.seed, group, 0x9ef1);
    text = synthetic_text(prefix, prefix_rng);
    if (input > prefix) text += ' ';
  }
  if (input > prefix) text += synthetic_text(input - prefix, rng);
  spec.input_tokens = input;
  if (opts_.completions_endpoint) {
    spec.prompt = std::move(text);
  } else {
    if (!opts_.system_prompt.empty()) spec.messages.push_back(api::Message::of_text(api::Role::system, opts_.system_prompt));
    spec.messages.push_back(api::Message::of_text(api::Role::user, std::move(text)));
  }
  return spec;
}

std::string Workload::describe() const {
  std::string out;
  if (!opts_.prompts_jsonl.empty()) out = "prompts from " + opts_.prompts_jsonl + " (" + std::to_string(file_prompts_.size()) + ")";
  else if (!opts_.sharegpt_json.empty()) out = "ShareGPT " + opts_.sharegpt_json + " (" + std::to_string(file_prompts_.size()) + " conversations)";
  else out = "synthetic input " + opts_.input.describe() + " tokens";
  if (opts_.shared_prefix_tokens > 0)
    out += ", shared prefix " + std::to_string(opts_.shared_prefix_tokens) + " tokens x " + std::to_string(opts_.prefix_groups);
  out += ", output " + (opts_.output_from_file && !file_prompts_.empty() ? std::string("from file") : opts_.output.describe()) + " tokens";
  return out;
}

}  // namespace llmux::bench
