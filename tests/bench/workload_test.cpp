#include "bench/workload.hpp"

#include <gtest/gtest.h>

#include "bench/prompt_files.hpp"

namespace llmux::bench {
namespace {

TEST(LengthDist, ParsesEveryForm) {
  EXPECT_EQ(parse_length_dist("512", "--x")->kind, LengthDist::Kind::fixed);
  auto u = parse_length_dist("uniform:100:200", "--x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->kind, LengthDist::Kind::uniform);
  EXPECT_DOUBLE_EQ(u->mean(), 150);
  EXPECT_TRUE(parse_length_dist("normal:512:64", "--x"));
  EXPECT_TRUE(parse_length_dist("lognormal:512:0.5", "--x"));
}

TEST(LengthDist, RejectsNonsenseWithTheFlagName) {
  for (const char* bad : {"0", "-5", "uniform:200:100", "gamma:1:2", "normal:512", "lots"}) {
    auto r = parse_length_dist(bad, "--input-tokens");
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("--input-tokens"), std::string::npos);
  }
}

TEST(LengthDist, SamplesStayInRangeAndHitTheMean) {
  std::mt19937_64 rng(3);
  auto u = *parse_length_dist("uniform:10:20", "x");
  for (int i = 0; i < 1000; ++i) {
    auto v = u.sample(rng);
    EXPECT_GE(v, 10);
    EXPECT_LE(v, 20);
  }
  auto ln = *parse_length_dist("lognormal:300:0.6", "x");
  double sum = 0;
  for (int i = 0; i < 20000; ++i) sum += static_cast<double>(ln.sample(rng));
  EXPECT_NEAR(sum / 20000, 300, 12);
}

TEST(Workload, RequestsAreDeterministicPerIndex) {
  WorkloadOptions o;
  o.input = {LengthDist::Kind::uniform, 50, 100};
  auto w = Workload::create(o);
  ASSERT_TRUE(w);
  auto a = w->make(7), b = w->make(7), c = w->make(8);
  EXPECT_EQ(a.messages.back().text(), b.messages.back().text());
  EXPECT_NE(a.messages.back().text(), c.messages.back().text());
}

TEST(Workload, CalibrationScalesTheWordCount) {
  WorkloadOptions o;
  o.input = {LengthDist::Kind::fixed, 400, 0};
  auto w = *Workload::create(o);
  auto words = [](const std::string& s) { return std::count(s.begin(), s.end(), ' ') + 1; };
  EXPECT_EQ(words(w.make(0).messages.back().text()), 400);
  w.calibrate(2.0);  // two tokens per word: half the words
  EXPECT_EQ(words(w.make(0).messages.back().text()), 200);
}

TEST(Workload, SharedPrefixesRepeatAcrossRequests) {
  WorkloadOptions o;
  o.input = {LengthDist::Kind::fixed, 300, 0};
  o.shared_prefix_tokens = 200;
  o.prefix_groups = 1;
  auto w = *Workload::create(o);
  auto a = w.make(1).messages.back().text(), b = w.make(2).messages.back().text();
  EXPECT_EQ(a.substr(0, 600), b.substr(0, 600));
  EXPECT_NE(a, b);
}

TEST(PromptFiles, JsonlWithMessagesAndPrompts) {
  auto r = parse_prompts_jsonl(
      "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\"}]}\n"
      "\n{\"prompt\":\"tell me a story\",\"output_tokens\":64}\n",
      "p.jsonl");
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].messages.size(), 2u);
  EXPECT_EQ((*r)[1].output_tokens, 64);
}

TEST(PromptFiles, BadLinesNameFileAndLine) {
  auto r = parse_prompts_jsonl("{\"prompt\":\"ok\"}\n{not json}\n", "p.jsonl");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().context, "p.jsonl:2");
  auto role = parse_prompts_jsonl("{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}", "p.jsonl");
  ASSERT_FALSE(role);
  EXPECT_NE(role.error().message.find("wizard"), std::string::npos);
  EXPECT_FALSE(parse_prompts_jsonl("", "p.jsonl"));
  EXPECT_FALSE(parse_prompts_jsonl("{\"prompt\":\"x\",\"max_tokens\":-1}", "p.jsonl"));
}

TEST(PromptFiles, ShareGptTakesFirstQuestionAndAnswerLength) {
  auto r = parse_sharegpt(
      R"([{"conversations":[{"from":"human","value":"what is a GPU?"},{"from":"gpt","value":"A graphics processor, used for parallel math."}]},
          {"conversations":[{"from":"human","value":"unanswered"}]}, 42])",
      "s.json");
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].prompt, "what is a GPU?");
  EXPECT_EQ((*r)[0].output_tokens, 12);  // 46 characters / 4, rounded up
  EXPECT_FALSE(parse_sharegpt("{}", "s.json"));
  EXPECT_FALSE(parse_sharegpt("[", "s.json"));
}

TEST(PromptFiles, ShareGptSkipsALeadingSystemTurnToTheFirstQuestion) {
  // The system turn must not be sent as the user's question, nor the question's length taken as the answer's.
  auto r = parse_sharegpt(
      R"([{"conversations":[{"from":"system","value":"sys"},{"from":"human","value":"Write a poem"},
                            {"from":"gpt","value":"Roses are red, violets are blue, GPUs are fast."}]}])",
      "s.json");
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 1u);
  const auto& p = (*r)[0];
  ASSERT_EQ(p.messages.size(), 2u);
  EXPECT_EQ(p.messages[0].role, api::Role::system);
  EXPECT_EQ(p.messages[0].text(), "sys");
  EXPECT_EQ(p.messages[1].role, api::Role::user);
  EXPECT_EQ(p.messages[1].text(), "Write a poem");
  EXPECT_EQ(p.prompt, "Write a poem");
  EXPECT_EQ(p.output_tokens, 12);  // the gpt answer: 47 characters / 4, rounded up
}

}  // namespace
}  // namespace llmux::bench
