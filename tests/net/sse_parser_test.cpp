// SseParser against the WHATWG event-stream rules, one rule per test.
#include "net/sse_parser.hpp"

#include <gtest/gtest.h>

#include "net/sse_collect.hpp"

namespace llmux::net {
namespace {

using test::Got;
using test::msg;
using test::parse_pieces;
using test::parse_whole;

std::vector<Got> events_of(std::string_view bytes) {
  auto r = parse_whole(bytes);
  EXPECT_TRUE(r) << r.error().describe();
  return r ? *r : std::vector<Got>{};
}

TEST(SseParser, DispatchesDataOnBlankLineAsMessage) {
  EXPECT_EQ(events_of("data: hello\n\n"), std::vector<Got>{msg("hello")});
}

TEST(SseParser, JoinsMultiLineDataWithNewline) {
  EXPECT_EQ(events_of("data: first\ndata: second\ndata:\ndata: fourth\n\n"),
            std::vector<Got>{msg("first\nsecond\n\nfourth")});
}

TEST(SseParser, EventFieldSetsTypeAndTypeResetsAfterDispatch) {
  auto ev = events_of("event: message_start\ndata: {\"a\":1}\n\ndata: plain\n\n");
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].type, "message_start");
  EXPECT_EQ(ev[1].type, "message");
}

TEST(SseParser, EventWithoutDataIsNotDispatchedAndItsTypeDoesNotLeak) {
  // "event: ping" then a blank line: nothing dispatched, and the next event is a plain message.
  auto ev = events_of("event: ping\n\ndata: x\n\n");
  EXPECT_EQ(ev, std::vector<Got>{msg("x")});
  EXPECT_TRUE(events_of("event: only\n\n\n\n").empty());
}

TEST(SseParser, EmptyDataFieldStillDispatchesAnEmptyEvent) {
  // Per the spec "data:" appends "" + LF; the buffer is not empty, so the event fires with data "".
  EXPECT_EQ(events_of("data:\n\n"), std::vector<Got>{msg("")});
  EXPECT_EQ(events_of("data\n\n"), std::vector<Got>{msg("")});  // field with no colon: empty value
}

TEST(SseParser, CommentsAreIgnoredAndCounted) {
  SseParser p;
  std::vector<std::string> data;
  auto r = p.feed(": keep-alive\n\n:\ndata: a\n: in the middle\ndata: b\n\n",
                  [&](const SseEvent& e) { data.emplace_back(e.data); });
  ASSERT_TRUE(r);
  EXPECT_EQ(data, std::vector<std::string>{"a\nb"});
  EXPECT_EQ(p.comments_seen(), 3u);
  EXPECT_EQ(p.events_seen(), 1u);
}

TEST(SseParser, AcceptsLfCrlfAndCrLineEndings) {
  const std::vector<Got> want{msg("a\nb", "x"), msg("c")};
  EXPECT_EQ(events_of("event: x\ndata: a\ndata: b\n\ndata: c\n\n"), want);
  EXPECT_EQ(events_of("event: x\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"), want);
  EXPECT_EQ(events_of("event: x\rdata: a\rdata: b\r\rdata: c\r\r"), want);
  EXPECT_EQ(events_of("event: x\r\ndata: a\rdata: b\n\r\ndata: c\n\r"), want);  // mixed
}

TEST(SseParser, CrlfSplitBetweenChunksIsOneLineEnd) {
  // If the LF after a chunk-final CR were taken as a second line end, "\r" + "\n" would
  // be a blank line and dispatch "a" early, then "b" alone.
  auto r = parse_pieces({"data: a\r", "\ndata: b\r", "\n\r", "\n"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, std::vector<Got>{msg("a\nb")});
}

TEST(SseParser, LeadingSpaceStrippedOnlyOnce) {
  EXPECT_EQ(events_of("data:  two spaces\n\n"), std::vector<Got>{msg(" two spaces")});
  EXPECT_EQ(events_of("data:no space\n\n"), std::vector<Got>{msg("no space")});
  EXPECT_EQ(events_of("data:\ttab\n\n"), std::vector<Got>{msg("\ttab")});
  EXPECT_EQ(events_of("event:  spaced\ndata: x\n\n")[0].type, " spaced");
}

TEST(SseParser, ValueKeepsLaterColons) {
  EXPECT_EQ(events_of("data: {\"a\":\"b:c\"}\n\n"), std::vector<Got>{msg("{\"a\":\"b:c\"}")});
}

TEST(SseParser, UnknownFieldsAreIgnored) {
  EXPECT_EQ(events_of("foo: bar\ndata: x\nDATA: shouted\n\n"), std::vector<Got>{msg("x")});
}

TEST(SseParser, IdIsRememberedAcrossEventsAndIdWithNulIsIgnored) {
  std::string stream = "id: 1\ndata: a\n\ndata: b\n\nid: 2";
  stream += '\0';
  stream += "x\ndata: c\n\nid\ndata: d\n\n";
  auto ev = events_of(stream);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0].id, "1");
  EXPECT_EQ(ev[1].id, "1");  // the last event id persists
  EXPECT_EQ(ev[2].id, "1");  // "2\0x" contains NUL: ignored
  EXPECT_EQ(ev[3].id, "");   // "id" with no value resets it
}

TEST(SseParser, RetryAcceptsOnlyAsciiDigits) {
  auto ev = events_of(
      "retry: 3000\ndata: a\n\n"
      "retry: 12ms\ndata: b\n\n"
      "retry: -5\ndata: c\n\n"
      "retry:\ndata: d\n\n"
      "retry: +7\ndata: e\n\n");
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(ev[0].retry, 3000);
  for (std::size_t i = 1; i < ev.size(); ++i) EXPECT_FALSE(ev[i].retry) << ev[i];
}

TEST(SseParser, Utf8BomAtStartIsSkipped) {
  EXPECT_EQ(events_of("\xEF\xBB\xBF"
                      "data: x\n\n"),
            std::vector<Got>{msg("x")});
  // Only one BOM is stripped; a second one is part of the first line's field name.
  EXPECT_TRUE(events_of("\xEF\xBB\xBF\xEF\xBB\xBF"
                        "data: x\n\n")
                  .empty());
}

TEST(SseParser, BomSplitAcrossChunksIsSkipped) {
  auto r = parse_pieces({"\xEF", "\xBB",
                         "\xBF"
                         "da",
                         "ta: x\n\n"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, std::vector<Got>{msg("x")});
  r = parse_pieces({"\xEF\xBB", "\xBF", "data: y\n\n"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, std::vector<Got>{msg("y")});
}

TEST(SseParser, BytesThatOnlyStartLikeABomAreKept) {
  // "\xEF" followed by something else is not a BOM: it stays in the line, so the field
  // name is "\xEFdata" and nothing is dispatched; the next event is unaffected.
  auto r = parse_pieces({"\xEF", "data: x\n\ndata: y\n\n"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, std::vector<Got>{msg("y")});
}

TEST(SseParser, UnterminatedLastEventIsFlushedOrDroppedOnRequest) {
  auto flushed = parse_pieces({"data: a\n\ndata: partial"}, {}, true);
  ASSERT_TRUE(flushed);
  EXPECT_EQ(*flushed, (std::vector<Got>{msg("a"), msg("partial")}));
  auto dropped = parse_pieces({"data: a\n\ndata: partial\n"}, {}, false);
  ASSERT_TRUE(dropped);
  EXPECT_EQ(*dropped, std::vector<Got>{msg("a")});
}

TEST(SseParser, FinishReportsAStreamCutMidEvent) {
  SseParser p;
  auto ignore = [](const SseEvent&) {};
  ASSERT_TRUE(p.feed("data: a\n\ndata: b\n", ignore));
  EXPECT_TRUE(p.finish(ignore, false));
  SseParser q;
  ASSERT_TRUE(q.feed("data: a\n\n: trailing comment\n", ignore));
  EXPECT_FALSE(q.finish(ignore, false));
}

TEST(SseParser, LineOverTheLimitIsALimitErrorWhateverTheChunking) {
  SseLimits limits;
  limits.max_line_bytes = 64;
  std::string stream = "data: " + std::string(100, 'x') + "\n\n";
  auto whole = parse_whole(stream, limits);
  ASSERT_FALSE(whole);
  EXPECT_EQ(whole.error().code, ErrorCode::limit);
  EXPECT_NE(whole.error().message.find("64"), std::string::npos) << whole.error().message;
  auto pieces = parse_pieces(test::bytewise(stream), limits);
  ASSERT_FALSE(pieces);
  EXPECT_EQ(pieces.error().code, ErrorCode::limit);
  auto two =
      parse_pieces({std::string_view(stream).substr(0, 30), std::string_view(stream).substr(30)}, limits);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, ErrorCode::limit);
}

TEST(SseParser, LinesAtTheLimitPass) {
  SseLimits limits;
  limits.max_line_bytes = 64;
  std::string line = "data: " + std::string(58, 'y');  // exactly 64 bytes
  auto r = parse_pieces(test::bytewise(line + "\n\n"), limits);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->at(0).data, std::string(58, 'y'));
}

TEST(SseParser, EventOverTheLimitIsALimitErrorAndTheParserStaysFailed) {
  SseLimits limits;
  limits.max_event_bytes = 100;
  SseParser p(limits);
  auto ignore = [](const SseEvent&) {};
  std::string many;
  for (int i = 0; i < 20; ++i) many += "data: 0123456789\n";
  auto r = p.feed(many, ignore);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::limit);
  EXPECT_FALSE(p.feed("\n", ignore));
}

TEST(SseWriter, WritesTypeIdAndOneDataLinePerLine) {
  std::string out;
  append_sse_event(out, "a\nb", "delta", "7");
  EXPECT_EQ(out, "event: delta\nid: 7\ndata: a\ndata: b\n\n");
  out.clear();
  append_sse_comment(out, "ping");
  EXPECT_EQ(out, ": ping\n\n");
}

TEST(SseWriter, RoundTripsThroughTheParser) {
  struct Case {
    std::string data;
    std::string want;  // what a reader sees: CR and CRLF become LF
  };
  const std::vector<Case> cases = {
      {"plain", "plain"},
      {"", ""},
      {" leading space", " leading space"},
      {"two\nlines", "two\nlines"},
      {"trailing newline\n", "trailing newline\n"},
      {"\n\nblank lines\n\n", "\n\nblank lines\n\n"},
      {"crlf\r\nline", "crlf\nline"},
      {"bare\rcr", "bare\ncr"},
      {"ends with cr\r", "ends with cr\n"},
      {"{\"json\":\"with: colon\"}", "{\"json\":\"with: colon\"}"},
      {": looks like a comment", ": looks like a comment"},
  };
  for (const auto& c : cases) {
    std::string out;
    append_sse_event(out, c.data, "t", "id-1");
    append_sse_comment(out, "between");
    append_sse_event(out, c.data);
    auto r = parse_whole(out);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(*r, (std::vector<Got>{msg(c.want, "t", "id-1"), msg(c.want, "message", "id-1")}))
        << "data: " << c.data;
  }
}

}  // namespace
}  // namespace llmux::net
