// Ollama streaming: NDJSON, one object per line, the last with "done": true.
#include "api/codec_util.hpp"
#include "api/framed_decoder.hpp"
#include "api/ollama_codec.hpp"
#include "api/ollama_detail.hpp"
#include "api/whole_call_encoder.hpp"

namespace llmux::api::ollama {

namespace {

class Decoder final : public util::NdjsonDecoder {
 public:
  explicit Decoder(EndpointKind endpoint) : chat_(endpoint == EndpointKind::chat) {}

 private:
  Result<void> on_end(std::vector<StreamEvent>&) override {
    if (done_ || errored_) return {};
    return fail(ErrorCode::stream_cut, "stream ended without a line with \"done\": true");
  }

  Result<void> on_frame(std::string_view line, std::vector<StreamEvent>& out) override {
    if (done_ || errored_) return {};
    auto parsed = json::parse_object(line, "stream line");
    if (!parsed) return tl::unexpected(parsed.error());
    const json::object& o = *parsed;
    json::element err;
    if (o.at_key("error").get(err) == simdjson::SUCCESS && !err.is_null()) {
      ApiError e;
      json::object eo;
      if (err.get(eo) == simdjson::SUCCESS) e.message = json::get_text(eo, "message");
      else e.message = json::text_or_json(err);
      errored_ = true;
      out.push_back(StreamEvent::failure(std::move(e)));
      return {};
    }
    std::size_t first = out.size();
    if (!role_sent_) {
      role_sent_ = true;
      out.push_back(StreamEvent::role_started());
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
    util::append_tool_calls(std::move(decoded), before, out);  // each call arrives whole
  }

  bool chat_;
  int tools_ = 0;
  bool role_sent_ = false;
  bool done_ = false;
  bool errored_ = false;
};

// Canonical events as NDJSON lines. Gathered tool calls go out whole (as Ollama sends
// them); the done line carries the reason, counts and durations.
class Encoder final : public util::WholeCallEncoder {
 public:
  Encoder(EndpointKind endpoint, ResponseMeta meta, bool annotate)
      : chat_(endpoint == EndpointKind::chat), annotate_(annotate) {
    JsonWriter w(head_);
    w.begin_object().field("model", meta.model).field("created_at", created_at(meta.created));
    head_ += ',';  // the line's other members follow
  }

  std::string_view content_type() const override { return "application/x-ndjson"; }

 private:
  void write_output(const StreamEvent& e, std::string& out) override {
    if (e.kind == StreamEvent::Kind::role_start || e.kind == StreamEvent::Kind::reasoning_signature) return;
    flush_tools(out);
    if (e.kind == StreamEvent::Kind::content_delta) line(out, e.text, {}, nullptr, &e);
    else line(out, {}, e.text, nullptr, &e);
  }

  void write_error(const ApiError& e, std::string& out) override {
    out += encode_error_body(e);
    out += '\n';
  }

  void flush_tools(std::string& out) {
    if (!has_tools()) return;
    StreamEvent note;
    std::vector<ToolCall> calls = take_tools(note);
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

  void write_last(std::string& out) override {
    flush_tools(out);
    out += head_;
    scratch_.clear();
    JsonWriter w(scratch_);
    if (chat_) w.key("message").begin_object().field("role", "assistant").field("content", "").end_object();
    else w.field("response", "");
    w.field("done", true).field("done_reason", done_reason_text(finish_reason()));
    write_usage(w, usage());
    out += scratch_;
    out += "}\n";
  }

  bool chat_;
  bool annotate_;
  std::string head_;  // {"model":..,"created_at":..,
  std::string scratch_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder(EndpointKind endpoint) { return std::make_unique<Decoder>(endpoint); }

std::unique_ptr<StreamEncoder> make_stream_encoder(EndpointKind endpoint, ResponseMeta meta, bool annotate) {
  return std::make_unique<Encoder>(endpoint, std::move(meta), annotate);
}

}  // namespace llmux::api::ollama
