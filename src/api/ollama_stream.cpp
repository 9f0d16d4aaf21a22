// Ollama streaming: NDJSON, one object per line, the last with "done": true.
#include "api/codec_util.hpp"
#include "api/ollama_codec.hpp"
#include "api/ollama_detail.hpp"

namespace llmux::api::ollama {

namespace {

class Decoder final : public StreamDecoder {
 public:
  explicit Decoder(EndpointKind endpoint) : chat_(endpoint == EndpointKind::chat) {}

  Result<void> feed(std::string_view bytes, std::vector<StreamEvent>& out) override {
    return util::feed_lines(lines_, bytes, [&](std::string_view line) { return on_line(line, out); });
  }

  Result<void> finish(std::vector<StreamEvent>& out) override {
    auto r = util::finish_lines(lines_, [&](std::string_view line) { return on_line(line, out); });
    if (!r) return r;
    if (done_ || errored_) return {};
    return fail(ErrorCode::stream_cut, "stream ended without a line with \"done\": true");
  }

 private:
  Result<void> on_line(std::string_view line, std::vector<StreamEvent>& out) {
    if (done_ || errored_) return {};
    auto doc = json::parse(line, "stream line");
    if (!doc) return tl::unexpected(doc.error());
    json::object o;
    if (doc->get(o) != simdjson::SUCCESS) return fail(ErrorCode::malformed, "stream line is not a JSON object");
    json::element err;
    if (o.at_key("error").get(err) == simdjson::SUCCESS && !err.is_null()) {
      ApiError e;
      json::object eo;
      if (err.get(eo) == simdjson::SUCCESS) e.message = std::string(json::get_string(eo, "message").value_or(""));
      else e.message = json::text_or_json(err);
      errored_ = true;
      out.push_back(StreamEvent::failure(std::move(e)));
      return {};
    }
    std::size_t first = out.size();
    if (!role_sent_) {
      role_sent_ = true;
      StreamEvent role;
      role.kind = StreamEvent::Kind::role_start;
      out.push_back(std::move(role));
    }
    if (chat_) {
      if (auto msg = json::get_object(o, "message")) output(*msg, "content", out);
    } else {
      output(o, "response", out);
    }
    util::apply_annotation(o, out, first);
    if (json::get_bool(o, "done").value_or(false)) {
      done_ = true;
      out.push_back(StreamEvent::finished(parse_done_reason(json::get_string(o, "done_reason").value_or("stop"), tools_ > 0)));
      out.push_back(StreamEvent::usage_of(decode_usage(o)));
    }
    return {};
  }

  void output(const json::object& o, std::string_view text_key, std::vector<StreamEvent>& out) {
    if (auto t = json::get_string(o, "thinking"); t && !t->empty()) out.push_back(StreamEvent::reasoning(std::string(*t)));
    if (auto t = json::get_string(o, text_key); t && !t->empty()) out.push_back(StreamEvent::content(std::string(*t)));
    auto calls = json::get_array(o, "tool_calls");
    if (!calls) return;
    std::vector<ToolCall> decoded;
    int before = tools_;
    decode_tool_calls(*calls, decoded, tools_);
    for (std::size_t i = 0; i < decoded.size(); ++i) {
      StreamEvent e;
      e.kind = StreamEvent::Kind::tool_call_delta;
      e.index = before + static_cast<int>(i);
      e.id = std::move(decoded[i].id);
      e.name = std::move(decoded[i].name);
      e.text = std::move(decoded[i].arguments);  // each call arrives whole
      out.push_back(std::move(e));
    }
  }

  bool chat_;
  net::LineSplitter lines_;
  int tools_ = 0;
  bool role_sent_ = false;
  bool done_ = false;
  bool errored_ = false;
};

// Canonical events as NDJSON lines. Tool-call fragments are gathered into whole
// calls (as Ollama sends them); the done line carries the reason, counts and durations.
class Encoder final : public StreamEncoder {
 public:
  Encoder(EndpointKind endpoint, ResponseMeta meta, bool annotate)
      : chat_(endpoint == EndpointKind::chat), annotate_(annotate) {
    JsonWriter w(head_);
    w.begin_object().field("model", meta.model).field("created_at", created_at(meta.created));
    head_ += ',';  // the line's other members follow
  }

  void encode(const StreamEvent& e, std::string& out) override {
    using K = StreamEvent::Kind;
    if (done_) return;
    switch (e.kind) {
      case K::role_start:
      case K::reasoning_signature:
        break;
      case K::content_delta:
        flush_tools(out);
        line(out, e.text, {}, nullptr, &e);
        break;
      case K::reasoning_delta:
        flush_tools(out);
        line(out, {}, e.text, nullptr, &e);
        break;
      case K::tool_call_delta: add_tool(e); break;
      case K::finish:
        finish_ = e.finish;
        finish_pending_ = true;
        break;
      case K::usage:
        usage_ = e.usage;
        if (finish_pending_) done_line(out);
        break;
      case K::error: {
        done_ = true;
        std::string body = encode_error_body(e.error);
        out += body;
        out += '\n';
        break;
      }
    }
  }

  void finish(std::string& out) override {
    if (!done_) done_line(out);
  }

  std::string_view content_type() const override { return "application/x-ndjson"; }

 private:
  void add_tool(const StreamEvent& e) {
    if (e.index >= static_cast<int>(tools_.size())) tools_.resize(static_cast<std::size_t>(e.index) + 1);
    auto& t = tools_[static_cast<std::size_t>(e.index)];
    if (!e.id.empty()) t.id = e.id;
    if (!e.name.empty()) t.name = e.name;
    t.arguments += e.text;
    tool_note_.tokens += e.tokens;
    tool_note_.server_time_ns = e.server_time_ns;
  }

  void flush_tools(std::string& out) {
    if (tools_.empty()) return;
    std::vector<ToolCall> calls = std::move(tools_);
    tools_.clear();
    StreamEvent note = tool_note_;
    tool_note_ = StreamEvent{};
    line(out, {}, {}, &calls, &note);
  }

  // One line: {"model","created_at","message":{...}|"response":..,"done":false[,"llmux"]}
  void line(std::string& out, std::string_view text, std::string_view thinking, const std::vector<ToolCall>* calls,
            const StreamEvent* e) {
    out += head_;
    scratch_.clear();
    JsonWriter w(scratch_);
    if (chat_) {
      w.key("message").begin_object().field("role", "assistant").field("content", text);
      if (!thinking.empty()) w.field("thinking", thinking);
      if (calls) write_tool_calls(w, *calls);
      w.end_object();
    } else {
      w.field("response", text);
      if (!thinking.empty()) w.field("thinking", thinking);
    }
    w.field("done", false);
    if (annotate_ && e) util::write_annotation(w, *e);
    out += scratch_;
    out += "}\n";
  }

  void done_line(std::string& out) {
    flush_tools(out);
    done_ = true;
    out += head_;
    scratch_.clear();
    JsonWriter w(scratch_);
    if (chat_) w.key("message").begin_object().field("role", "assistant").field("content", "").end_object();
    else w.field("response", "");
    w.field("done", true).field("done_reason", done_reason_text(finish_));
    write_usage(w, usage_);
    out += scratch_;
    out += "}\n";
  }

  bool chat_;
  bool annotate_;
  std::string head_;  // {"model":..,"created_at":..,
  std::vector<ToolCall> tools_;
  StreamEvent tool_note_;
  FinishReason finish_ = FinishReason::stop;
  bool finish_pending_ = false;
  bool done_ = false;
  Usage usage_;
  std::string scratch_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder(EndpointKind endpoint) { return std::make_unique<Decoder>(endpoint); }

std::unique_ptr<StreamEncoder> make_stream_encoder(EndpointKind endpoint, ResponseMeta meta, bool annotate) {
  return std::make_unique<Encoder>(endpoint, std::move(meta), annotate);
}

}  // namespace llmux::api::ollama
