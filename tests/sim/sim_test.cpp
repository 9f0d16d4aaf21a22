#include <gtest/gtest.h>

#include "sim/faults.hpp"
#include "sim/server.hpp"
#include "sim/generation.hpp"
#include "sim/tokenizer.hpp"

namespace llmux::sim {
namespace {

// At exit the sim says when its own timing fell behind, so that nobody takes a bench run
// against an overloaded sim for the endpoint's behaviour.
TEST(SimStatsWarning, LateWritesPastTheLimitAreReportedAndOnTimeOnesAreNot) {
  SimStats late;
  late.lateness_count = 50'000;
  late.lateness_p99 = 3'200'000;
  late.lateness_max = 12'500'000;
  auto w = late.lateness_warning();
  EXPECT_NE(w.find("3.2 ms late at p99"), std::string::npos) << w;
  EXPECT_NE(w.find("max 12.5 ms"), std::string::npos) << w;
  EXPECT_NE(w.find("50000 writes"), std::string::npos) << w;

  SimStats on_time = late;
  on_time.lateness_p99 = 400'000;
  EXPECT_EQ(on_time.lateness_warning(), "");
  EXPECT_NE(on_time.lateness_warning(300'000), "");  // a stricter limit

  SimStats few = late;
  few.lateness_count = 20;  // too few writes to say
  EXPECT_EQ(few.lateness_warning(), "");
}

TEST(SimTokenizer, GeneratedTextCountsExactly) {
  TextGenerator g(7);
  std::string text;
  for (int i = 0; i < 500; ++i) text += g.next();
  EXPECT_EQ(count_tokens(text), 500u);
  EXPECT_EQ(token_ids(text).size(), 500u);
}

TEST(SimTokenizer, CountsWordsPunctuationAndWhitespace) {
  EXPECT_EQ(count_tokens("hello world"), 2u);
  EXPECT_EQ(count_tokens("hello, world!"), 4u);
  EXPECT_EQ(count_tokens("a\n\nb"), 4u);
  EXPECT_EQ(count_tokens("internationalization"), 3u);  // runs of at most 8 letters
  EXPECT_EQ(count_tokens(""), 0u);
}

api::ChatRequest chat(std::int64_t max_tokens, bool ignore_eos) {
  api::ChatRequest r;
  r.model = "m";
  r.messages.push_back(api::Message::of_text(api::Role::user, "how fast is it"));
  r.sampling.max_tokens = max_tokens;
  r.ignore_eos = ignore_eos;
  return r;
}

TEST(Generation, IgnoreEosForcesExactLengthWithFinishLength) {
  SimOptions o;
  for (int i = 0; i < 50; ++i) {
    auto g = plan_generation(chat(37, true), o, static_cast<std::uint64_t>(i), "");
    ASSERT_TRUE(g);
    EXPECT_EQ(g->output_tokens, 37);
    EXPECT_EQ(g->finish, api::FinishReason::length);
    EXPECT_EQ(g->prompt_tokens, 4);
  }
}

TEST(Generation, WithoutIgnoreEosTheModelSometimesStopsEarly) {
  SimOptions o;
  o.natural_mean_tokens = 20;
  int early = 0;
  for (int i = 0; i < 200; ++i) {
    auto g = *plan_generation(chat(100, false), o, static_cast<std::uint64_t>(i), "");
    EXPECT_LE(g.output_tokens, 100);
    if (g.finish == api::FinishReason::stop) {
      ++early;
      EXPECT_LT(g.output_tokens, 100);
    }
  }
  EXPECT_GT(early, 150);
}

TEST(Generation, TokenSourceMatchesTheUsage) {
  SimOptions o;
  o.reasoning_tokens = 3;
  auto g = *plan_generation(chat(10, true), o, 1, "");
  TokenSource src(g);
  int content = 0, reasoning = 0;
  std::string text;
  while (!src.done()) {
    api::StreamEvent e;
    int k = src.next(4, e);
    (e.kind == api::StreamEvent::Kind::reasoning_delta ? reasoning : content) += k;
    if (e.kind == api::StreamEvent::Kind::content_delta) text += e.text;
  }
  EXPECT_EQ(reasoning, 3);
  EXPECT_EQ(content, 7);
  EXPECT_EQ(count_tokens(text), 7u);
  EXPECT_EQ(g.usage().completion_tokens, 10);
  EXPECT_EQ(g.usage().reasoning_tokens, 3);
}

TEST(Generation, ToolsProduceAToolCallWithValidJsonArguments) {
  SimOptions o;
  auto req = chat(6, true);
  req.tools.push_back({"search", "look things up", R"({"type":"object"})"});
  auto g = *plan_generation(req, o, 1, "");
  TokenSource src(g);
  auto whole = src.whole();
  ASSERT_EQ(whole.message.tool_calls.size(), 1u);
  EXPECT_EQ(whole.message.tool_calls[0].name, "search");
  const auto& args = whole.message.tool_calls[0].arguments;
  EXPECT_EQ(args.substr(0, 11), "{\"query\": \"");
  EXPECT_EQ(args.substr(args.size() - 2), "\"}");
}

TEST(Generation, AStopSequenceEndsTheAnswerJustBeforeIt) {
  SimOptions o;
  o.echo = true;
  auto req = chat(50, false);
  req.messages.back() = api::Message::of_text(api::Role::user, "alpha beta gamma delta epsilon");
  auto streamed = [](const Generation& g) {
    TokenSource src(g);
    std::string text;
    api::StreamEvent e;
    while (!src.done()) {
      src.next(1, e);
      text += e.text;
    }
    return text;
  };
  struct Case {
    std::vector<std::string> stop;
    std::string text, sequence;
  };
  for (const Case& c : {Case{{"gamma"}, "alpha beta ", "gamma"}, Case{{"mma", "delta"}, "alpha beta ga", "mma"},
                        Case{{"delta", "beta"}, "alpha ", "beta"}, Case{{"alpha"}, "", "alpha"},
                        Case{{"zzz", ""}, "alpha beta gamma delta epsilon", ""}}) {
    req.sampling.stop = c.stop;
    auto g = *plan_generation(req, o, 1, "");
    EXPECT_EQ(g.stop_sequence, c.sequence);
    EXPECT_EQ(g.finish, api::FinishReason::stop);
    TokenSource src(g);
    auto whole = src.whole();
    EXPECT_EQ(whole.message.text(), c.text) << c.stop[0];
    EXPECT_EQ(whole.stop_sequence, c.sequence);
    EXPECT_EQ(streamed(g), c.text) << "streamed and whole agree: " << c.stop[0];
  }
  // max_tokens before the sequence: the length runs out first.
  req.sampling.stop = {"epsilon"};
  req.sampling.max_tokens = 2;
  auto short_one = *plan_generation(req, o, 1, "");
  EXPECT_EQ(short_one.finish, api::FinishReason::length);
  EXPECT_EQ(short_one.stop_sequence, "");
}

TEST(Generation, ContextOverflowIsTheClientsError) {
  SimOptions o;
  o.max_context = 3;
  auto g = plan_generation(chat(5, true), o, 1, "");
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message.find("maximum context length"), std::string::npos);
}

TEST(Generation, MaxTokensMustFitTheContextAndBeAtLeastOne) {
  SimOptions o;
  o.max_context = 1000;
  auto prompt = static_cast<std::int64_t>(count_tokens(chat(1, true).all_text()));
  auto over = chat(o.max_context - prompt + 1, true);  // one token past the context
  auto g = plan_generation(over, o, 1, "");
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message.find("maximum context length is 1000"), std::string::npos) << g.error().message;
  auto exact = plan_generation(chat(o.max_context - prompt, true), o, 1, "");
  ASSERT_TRUE(exact) << exact.error().message;
  EXPECT_EQ(exact->output_tokens, o.max_context - prompt);
  auto zero = plan_generation(chat(0, true), o, 1, "");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("max_tokens must be at least 1"), std::string::npos);
  // Without max_tokens the default is cut to the room the prompt leaves.
  o.default_max_tokens = 5000;
  auto req = chat(1, true);
  req.sampling.max_tokens.reset();
  auto open = plan_generation(req, o, 1, "");
  ASSERT_TRUE(open) << open.error().message;
  EXPECT_EQ(open->output_tokens, o.max_context - prompt);
}

TEST(Faults, HeaderForcesFaults) {
  auto f = parse_fault_header("status=503");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, 503);
  f = parse_fault_header("cut-after=5; stall=2s; stall-after=1; malformed-at=3; slow-headers=100ms");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->cut_after, 5);
  EXPECT_EQ(f->stall, 2 * kNanosPerSecond);
  EXPECT_EQ(f->stall_after, 1);
  EXPECT_EQ(f->malformed_at, 3);
  EXPECT_EQ(f->slow_headers, 100 * kNanosPerMilli);
  EXPECT_TRUE(parse_fault_header("rate-limit;retry-after=4")->rate_limited);
}

TEST(Faults, BadHeadersAreRejected) {
  EXPECT_FALSE(parse_fault_header("status=200"));
  EXPECT_FALSE(parse_fault_header("explode"));
  EXPECT_FALSE(parse_fault_header("cut-after=-1"));
  EXPECT_FALSE(parse_fault_header("stall=soon"));
}

TEST(Faults, RatesAreHonouredOverManyDraws) {
  FaultOptions o;
  o.error_rate = 0.25;
  o.error_statuses = {500, 503};
  TextGenerator rng(9);
  int errors = 0;
  for (int i = 0; i < 4000; ++i) errors += draw_faults(o, rng, 10).status != 0;
  EXPECT_NEAR(errors / 4000.0, 0.25, 0.03);
}

TEST(SimOptions, ValidationNamesTheFlag) {
  SimOptions o;
  o.faults.error_rate = 1.5;
  auto r = validate(o);
  ASSERT_FALSE(r);
  o = SimOptions{};
  o.profile = ProfileKind::batch;
  o.threads = 2;
  EXPECT_NE(validate(o).error().context.find("--threads"), std::string::npos);
}

}  // namespace
}  // namespace llmux::sim
