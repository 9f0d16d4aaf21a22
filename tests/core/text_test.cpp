#include "core/text.hpp"

#include <gtest/gtest.h>

#include "core/json_writer.hpp"

namespace llmux {
namespace {

TEST(Text, ParsesDurationsWithUnits) {
  EXPECT_EQ(*parse_duration_ns("500ms"), 500'000'000);
  EXPECT_EQ(*parse_duration_ns("2s"), 2'000'000'000);
  EXPECT_EQ(*parse_duration_ns("1.5m"), 90'000'000'000);
  EXPECT_EQ(*parse_duration_ns("250us"), 250'000);
  EXPECT_EQ(*parse_duration_ns("30", "ms"), 30'000'000);
}

TEST(Text, RejectsBadDurationsWithTheOffendingText) {
  auto r = parse_duration_ns("10 parsecs");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("parsecs"), std::string::npos);
  EXPECT_FALSE(parse_duration_ns("ms"));
  EXPECT_FALSE(parse_duration_ns("-3s"));
}

TEST(Text, ParsesSizes) {
  EXPECT_EQ(*parse_bytes("64KiB"), 65536u);
  EXPECT_EQ(*parse_bytes("1MB"), 1'000'000u);
  EXPECT_EQ(*parse_bytes("4096"), 4096u);
  EXPECT_FALSE(parse_bytes("4 furlongs"));
}

TEST(Text, NumberListsRejectGarbage) {
  auto v = parse_number_list("1,4,16");
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, (std::vector<double>{1, 4, 16}));
  EXPECT_FALSE(parse_number_list("1,,4"));
  EXPECT_FALSE(parse_number_list("1,four"));
}

TEST(Text, SuggestsNearestNames) {
  std::vector<std::string> names = {"llama-3.1-70b", "llama-3.1-8b", "qwen2.5-72b", "rtx-4090"};
  auto near = nearest_names("llama-3.1-70", names);
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near.front(), "llama-3.1-70b");
  EXPECT_EQ(did_you_mean("zzzzzzzzzzzzzzzzzzzz", names), "");
  EXPECT_EQ(did_you_mean("rtx4090", names).rfind("; did you mean: rtx-4090", 0), 0u)
      << "it follows the message it ends with its own separator";
}

TEST(JsonWriter, EscapesControlCharactersAndQuotes) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("a", std::string_view("x\"y\\z\n\x01")).field("n", 3).field("b", true).end_object();
  EXPECT_EQ(out, R"({"a":"x\"y\\z\n\u0001","n":3,"b":true})");
}

TEST(JsonWriter, NestsArraysAndObjects) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("xs").begin_array().value(1).value(2.5).null().end_array().field("s", "t").end_object();
  EXPECT_EQ(out, R"({"xs":[1,2.5,null],"s":"t"})");
}

TEST(JsonWriter, KeysAndStringsOfEveryKindComeOutAsValidJson) {
  // Keys and strings that need no escaping take a fast path, the rest the careful one;
  // both must give the same JSON, whatever comes before them.
  std::string out;
  JsonWriter w(out);
  w.begin_object().field("", "").field("plain", "text").field("quo\"te", "tab\there");
  w.key("ctl\x1f").begin_array().value("").value("\xc3\xa9t\xc3\xa9").value(std::string_view("nul\0in", 6)).end_array();
  w.field("last", 1).end_object();
  EXPECT_EQ(out, "{\"\":\"\",\"plain\":\"text\",\"quo\\\"te\":\"tab\\there\","
                 "\"ctl\\u001f\":[\"\",\"\xc3\xa9t\xc3\xa9\",\"nul\\u0000in\"],\"last\":1}");
  std::string appended = "prefix ";
  append_json_string(appended, "a\"b");
  append_json_string(appended, "clean");
  EXPECT_EQ(appended, "prefix \"a\\\"b\"\"clean\"");
}

TEST(FormatDuration, ThreeSignificantDigitsAtEverySize) {
  // A table column must not mix "1.000 ms" and "1.0 ms".
  EXPECT_EQ(format_duration_ms(0.25), "0.250 ms");
  EXPECT_EQ(format_duration_ms(0.9996), "1.00 ms");
  EXPECT_EQ(format_duration_ms(1.0), "1.00 ms");
  EXPECT_EQ(format_duration_ms(9.996), "10.0 ms");
  EXPECT_EQ(format_duration_ms(12.34), "12.3 ms");
  EXPECT_EQ(format_duration_ms(99.96), "100 ms");
  EXPECT_EQ(format_duration_ms(456.4), "456 ms");
  EXPECT_EQ(format_duration_ms(999.6), "1.00 s");
  EXPECT_EQ(format_duration_ms(1234), "1.23 s");
}

}  // namespace
}  // namespace llmux

namespace llmux {
namespace {

TEST(Text, CsvFieldsQuoteWhatWouldSplitARowAndDefuseFormulas) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("=1+1"), "'=1+1");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("-2,3"), "\"'-2,3\"");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(printable("a\nb\tc\x01" "d"), "a\\nb\\tc\\x01d");
  EXPECT_EQ(printable("caf\xc3\xa9"), "caf\xc3\xa9") << "UTF-8 stays";
  EXPECT_EQ(shortest_number(0.1), "0.1");
  EXPECT_EQ(shortest_number(0.005), "0.005");
  EXPECT_EQ(shortest_number(1048576), "1048576");
  EXPECT_EQ(shortest_number(1e6), "1e+06") << "as Prometheus' own Go client writes it";
  EXPECT_EQ(shortest_number(1.0 / 0.0), "+Inf");
  EXPECT_EQ(std::stod(shortest_number(0.1 + 0.2)), 0.1 + 0.2) << "reads back exactly";
}

TEST(Text, ShellCommandQuotesWhatTheShellWouldSplitOrExpand) {
  EXPECT_EQ(shell_command({"llmux", "bench", "--url", "http://127.0.0.1:8080/v1", "-c", "1,4"}),
            "llmux bench --url http://127.0.0.1:8080/v1 -c 1,4");
  EXPECT_EQ(shell_command({"--slo", "ttft:p90<500ms", "--system-prompt", "be brief", "$HOME", ""}),
            "--slo 'ttft:p90<500ms' --system-prompt 'be brief' '$HOME' ''");
  EXPECT_EQ(shell_command({"it's"}), "'it'\\''s'") << "a single quote closes, is escaped, and reopens";
}

}  // namespace
}  // namespace llmux
