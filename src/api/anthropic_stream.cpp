// Anthropic streaming: named SSE events from message_start to message_stop.
#include <map>

#include "api/anthropic_codec.hpp"
#include "api/anthropic_detail.hpp"
#include "api/codec_util.hpp"
#include "api/framed_decoder.hpp"

namespace llmux::api::anthropic {

namespace {

class Decoder final : public util::SseDecoder {
 private:
  Result<void> on_end(std::vector<StreamEvent>&) override {
    if (stopped_ || errored_) return {};
    return fail(ErrorCode::stream_cut, std::string("stream ended without message_stop") +
                                           (saw_finish_ ? " (after message_delta)" : " and without a stop_reason"));
  }

  Result<void> on_frame(const net::SseEvent& ev, std::vector<StreamEvent>& out) override {
    if (stopped_ || errored_) return {};  // nothing follows message_stop or an error
    auto parsed = json::parse_object(ev.data, "stream event");
    if (!parsed) return tl::unexpected(parsed.error());
    const json::object& o = *parsed;
    // The data's own "type" names the event; the SSE event: line is only a hint.
    std::string_view type = json::get_string(o, "type").value_or(ev.type);
    std::size_t first = out.size();
    if (type == "message_start") message_start(o, out);
    else if (type == "content_block_start") block_start(o, out);
    else if (type == "content_block_delta") block_delta(o, out);
    else if (type == "message_delta") message_delta(o, out);
    else if (type == "message_stop") stopped_ = true;
    else if (type == "error") error(o, out);
    // ping, content_block_stop and event types added later: nothing to decode.
    util::apply_annotation(o, out, first);
    return {};
  }

  void message_start(const json::object& o, std::vector<StreamEvent>& out) {
    StreamEvent e = StreamEvent::role_started();
    if (auto msg = json::get_object(o, "message"))
      if (auto u = json::get_object(*msg, "usage")) {
        merge_usage(*u, usage_);
        e.usage = usage_;
      }
    out.push_back(std::move(e));
  }

  void block_start(const json::object& o, std::vector<StreamEvent>& out) {
    auto index = json::get_int(o, "index").value_or(0);
    auto block = json::get_object(o, "content_block");
    if (!block) return;
    auto type = json::get_string(*block, "type").value_or("");
    if (type == "text") {
      if (auto t = json::get_string(*block, "text"); t && !t->empty()) out.push_back(StreamEvent::content(std::string(*t)));
    } else if (type == "thinking") {
      if (auto t = json::get_string(*block, "thinking"); t && !t->empty())
        out.push_back(StreamEvent::reasoning(std::string(*t)));
    } else if (type == "tool_use") {
      int tool = static_cast<int>(tools_.size());
      tools_[index] = tool;
      auto input = util::member_json(*block, "input").value_or("{}");
      if (input == "{}") input.clear();  // streamed after; otherwise a whole input given up front
      auto id = json::get_text(*block, "id"), name = json::get_text(*block, "name");
      out.push_back(StreamEvent::tool_call(tool, std::move(id), std::move(name), std::move(input)));
    }
  }

  void block_delta(const json::object& o, std::vector<StreamEvent>& out) {
    auto index = json::get_int(o, "index").value_or(0);
    auto delta = json::get_object(o, "delta");
    if (!delta) return;
    auto type = json::get_string(*delta, "type").value_or("");
    if (type == "text_delta") {  // (empty deltas carry no token: skipped, as in the OpenAI decoder)
      if (auto t = json::get_string(*delta, "text"); t && !t->empty()) out.push_back(StreamEvent::content(std::string(*t)));
    } else if (type == "thinking_delta") {
      if (auto t = json::get_string(*delta, "thinking"); t && !t->empty())
        out.push_back(StreamEvent::reasoning(std::string(*t)));
    } else if (type == "input_json_delta") {
      auto part = json::get_string(*delta, "partial_json").value_or("");
      auto it = tools_.find(index);
      if (part.empty() || it == tools_.end()) return;
      out.push_back(StreamEvent::tool_call(it->second, "", "", std::string(part)));
    } else if (type == "signature_delta") {
      StreamEvent e;
      e.kind = StreamEvent::Kind::reasoning_signature;
      e.text = json::get_text(*delta, "signature");
      out.push_back(std::move(e));
    }
    // citations_delta and newer delta types: ignored.
  }

  // stop_reason and cumulative usage, in that order (as OpenAI's finish then usage).
  void message_delta(const json::object& o, std::vector<StreamEvent>& out) {
    if (auto d = json::get_object(o, "delta")) {
      if (auto sr = json::get_string(*d, "stop_reason")) {
        saw_finish_ = true;
        StreamEvent f = StreamEvent::finished(parse_stop_reason(*sr));
        f.text = json::get_text(*d, "stop_sequence");
        out.push_back(std::move(f));
      }
    }
    if (auto u = json::get_object(o, "usage")) {
      merge_usage(*u, usage_);
      out.push_back(StreamEvent::usage_of(usage_));
    }
  }

  void error(const json::object& o, std::vector<StreamEvent>& out) {
    ApiError e;
    if (auto err = json::get_object(o, "error")) {
      e.type = json::get_text(*err, "type");
      e.message = json::get_text(*err, "message");
    }
    if (e.message.empty()) e.message = "error event in the stream";
    errored_ = true;
    out.push_back(StreamEvent::failure(std::move(e)));
  }

  std::map<std::int64_t, int> tools_;  // content block index -> tool-call ordinal
  Usage usage_;
  bool stopped_ = false;
  bool errored_ = false;
  bool saw_finish_ = false;
};

// Whether JSON text fed in pieces has closed its top-level value (a tool call's
// arguments are complete), braces and brackets inside strings aside.
class JsonValueEnd {
 public:
  void feed(std::string_view s) {
    for (char c : s) {
      if (in_string_) {
        if (escape_) escape_ = false;
        else if (c == '\\') escape_ = true;
        else if (c == '"') in_string_ = false;
      } else if (c == '"') {
        in_string_ = true;
      } else if (c == '{' || c == '[') {
        ++depth_;
        started_ = true;
      } else if (c == '}' || c == ']') {
        --depth_;
      }
    }
  }
  bool complete() const { return started_ && depth_ <= 0 && !in_string_; }

 private:
  int depth_ = 0;
  bool in_string_ = false, escape_ = false, started_ = false;
};

// Canonical events as Anthropic content blocks: one block open at a time, a new one
// whenever the kind of output (thinking, text, a tool call) changes. Anthropic's blocks
// run start, deltas, stop, one after another, while OpenAI-style upstreams may
// interleave the fragments of parallel tool calls: a call that starts while another's
// block is open waits, its fragments gathered, until that call's arguments are a
// complete JSON value (or the answer ends), and then goes out in its own block.
class Encoder final : public StreamEncoder {
 public:
  Encoder(ResponseMeta meta, bool annotate) : meta_(std::move(meta)), annotate_(annotate) {}

  void encode(const StreamEvent& e, std::string& out) override {
    using K = StreamEvent::Kind;
    if (errored_) return;
    if (e.kind != K::error) start(e, out);
    switch (e.kind) {
      case K::role_start: break;
      case K::content_delta: text_delta(out, Block::text, "text_delta", "text", e); break;
      case K::reasoning_delta: text_delta(out, Block::thinking, "thinking_delta", "thinking", e); break;
      case K::reasoning_signature: text_delta(out, Block::thinking, "signature_delta", "signature", e); break;
      case K::tool_call_delta: tool_delta(out, e); break;
      case K::finish:
        close_tools(out);
        finish_ = e.finish;
        stop_sequence_ = e.text;
        finish_pending_ = true;
        break;
      case K::usage:
        usage_ = e.usage;
        if (finish_pending_) message_delta(out);
        break;
      case K::error: error(out, e.error); break;
    }
  }

  void finish(std::string& out) override {
    if (errored_) return;
    start(StreamEvent{}, out);
    close_tools(out);
    if (!delta_sent_) message_delta(out);
    net::append_sse_event(out, R"({"type":"message_stop"})", "message_stop");
  }

  std::string_view content_type() const override { return "text/event-stream"; }

 private:
  enum class Block { none, text, thinking, tool };

  // An upstream of another API counts the prompt at the end, if at all: until then, and
  // without it, the estimate (an SDK takes message_delta's input_tokens over the start's).
  Usage with_estimate(Usage u) const {
    if (u.prompt_tokens == 0) u.prompt_tokens = meta_.prompt_estimate;
    return u;
  }

  // message_start, once, before anything else.
  void start(const StreamEvent& e, std::string& out) {
    if (started_) return;
    started_ = true;
    if (e.kind == StreamEvent::Kind::role_start) usage_ = e.usage;
    scratch_.clear();
    JsonWriter w(scratch_);
    w.begin_object().field("type", "message_start").key("message").begin_object();
    w.field("id", meta_.id).field("type", "message").field("role", "assistant").field("model", meta_.model);
    w.key("content").begin_array().end_array().key("stop_reason").null().key("stop_sequence").null();
    Usage u = with_estimate(usage_);
    u.completion_tokens = 0;
    write_usage(w, u);
    w.end_object().end_object();
    net::append_sse_event(out, scratch_, "message_start");
  }

  void open_block(std::string& out, Block kind, const StreamEvent& e) {
    close_block(out);
    open_ = kind;
    open_index_ = next_index_++;
    scratch_.clear();
    JsonWriter w(scratch_);
    w.begin_object().field("type", "content_block_start").field("index", open_index_).key("content_block");
    w.begin_object();
    if (kind == Block::text) w.field("type", "text").field("text", "");
    else if (kind == Block::thinking) w.field("type", "thinking").field("thinking", "");
    else w.field("type", "tool_use").field("id", e.id).field("name", e.name).raw_field("input", "{}");
    w.end_object().end_object();
    net::append_sse_event(out, scratch_, "content_block_start");
  }

  void close_block(std::string& out) {
    if (open_ == Block::none) return;
    net::append_sse_event(out, R"({"type":"content_block_stop","index":)" + std::to_string(open_index_) + "}",
                          "content_block_stop");
    open_ = Block::none;
  }

  void delta(std::string& out, int index, std::string_view type, std::string_view field, const StreamEvent& e) {
    scratch_.clear();
    JsonWriter w(scratch_);
    w.begin_object().field("type", "content_block_delta").field("index", index).key("delta").begin_object();
    w.field("type", type).field(field, e.text).end_object();
    if (annotate_) util::write_annotation(w, e);
    w.end_object();
    net::append_sse_event(out, scratch_, "content_block_delta");
  }

  void text_delta(std::string& out, Block kind, std::string_view type, std::string_view field, const StreamEvent& e) {
    if (open_ != kind) open_block(out, kind, e);
    delta(out, open_index_, type, field, e);
  }

  struct WaitingCall {
    int index;
    StreamEvent start;   // id and name
    std::string args;    // fragments gathered while another call's block was open
  };

  // A tool call's fragments: to its open block, to its place in the queue, or a new call.
  void tool_delta(std::string& out, const StreamEvent& e) {
    if (open_ == Block::tool && open_tool_ == e.index) {
      if (!e.text.empty()) tool_fragment(out, e);
      return;
    }
    for (auto& w : waiting_)
      if (w.index == e.index) {
        w.args += e.text;
        return;
      }
    if (auto it = tool_blocks_.find(e.index); it != tool_blocks_.end()) {
      // Its block closed before it was complete (text came between its fragments): the
      // SDKs gather input by block index, so the fragment goes there.
      if (e.text.empty()) return;
      close_block(out);
      delta(out, it->second, "input_json_delta", "partial_json", e);
      return;
    }
    if (open_ == Block::tool && args_end_.complete() && waiting_.empty()) close_block(out);  // it is done: next
    if (open_ == Block::tool) {  // another call's block is open: this one waits its turn
      waiting_.push_back(WaitingCall{e.index, e, e.text});
      return;
    }
    open_tool(out, e.index, e, e.text);
  }

  void open_tool(std::string& out, int index, const StreamEvent& start, const std::string& args) {
    open_block(out, Block::tool, start);
    open_tool_ = index;
    tool_blocks_[index] = open_index_;
    args_end_ = JsonValueEnd{};
    if (args.empty()) return;
    StreamEvent e = start;
    e.text = args;
    tool_fragment(out, e);
  }

  // Into the open tool block; a call whose arguments are complete gives way to the next waiting one.
  void tool_fragment(std::string& out, const StreamEvent& e) {
    delta(out, open_index_, "input_json_delta", "partial_json", e);
    args_end_.feed(e.text);
    if (!args_end_.complete() || waiting_.empty()) return;
    close_block(out);
    open_next_waiting(out);
  }

  // The first call that waited gets its block, with what it gathered.
  void open_next_waiting(std::string& out) {
    WaitingCall next = std::move(waiting_.front());
    waiting_.erase(waiting_.begin());
    open_tool(out, next.index, next.start, next.args);
  }

  // The answer is over: the open block closes and every waiting call goes out whole.
  void close_tools(std::string& out) {
    close_block(out);
    while (!waiting_.empty()) {
      open_next_waiting(out);
      close_block(out);
    }
  }

  void message_delta(std::string& out) {
    delta_sent_ = true;
    finish_pending_ = false;
    scratch_.clear();
    JsonWriter w(scratch_);
    w.begin_object().field("type", "message_delta").key("delta").begin_object();
    w.field("stop_reason", stop_reason_text(finish_, !stop_sequence_.empty()));
    if (stop_sequence_.empty()) w.key("stop_sequence").null();
    else w.field("stop_sequence", stop_sequence_);
    w.end_object();
    write_usage(w, with_estimate(usage_));  // (an upstream's count replaces the estimate here)
    w.end_object();
    net::append_sse_event(out, scratch_, "message_delta");
  }

  void error(std::string& out, const ApiError& e) {
    errored_ = true;
    net::append_sse_event(out, encode_error_body(e), "error");
  }

  ResponseMeta meta_;
  bool annotate_;
  bool started_ = false;
  bool errored_ = false;
  bool finish_pending_ = false;
  bool delta_sent_ = false;
  Block open_ = Block::none;
  int open_index_ = 0;
  int next_index_ = 0;
  int open_tool_ = -1;
  std::map<int, int> tool_blocks_;  // tool-call index -> content block index
  std::vector<WaitingCall> waiting_;  // calls begun while another's block was open, in order
  JsonValueEnd args_end_;             // of the open tool block's arguments
  FinishReason finish_ = FinishReason::stop;
  std::string stop_sequence_;
  Usage usage_;
  std::string scratch_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder() { return std::make_unique<Decoder>(); }

std::unique_ptr<StreamEncoder> make_stream_encoder(ResponseMeta meta, bool annotate) {
  return std::make_unique<Encoder>(std::move(meta), annotate);
}

}  // namespace llmux::api::anthropic
