// Gemini streaming (alt=sse): "data:" chunks, each a GenerateContentResponse; the
// chunk with a finishReason ends the answer (there is no [DONE]).
#include "api/codec_util.hpp"
#include "api/gemini_codec.hpp"
#include "api/gemini_detail.hpp"

namespace llmux::api::gemini {

namespace {

class Decoder final : public StreamDecoder {
 public:
  Result<void> feed(std::string_view bytes, std::vector<StreamEvent>& out) override {
    return util::feed_sse(sse_, bytes, [&](const net::SseEvent& ev) { return on_event(ev, out); });
  }

  Result<void> finish(std::vector<StreamEvent>& out) override {
    auto r = util::finish_sse(sse_, [&](const net::SseEvent& ev) { return on_event(ev, out); });
    if (!r) return r;
    if (errored_) return {};
    if (!finished_) return fail(ErrorCode::stream_cut, "stream ended without a chunk carrying finishReason");
    if (usage_ && !usage_sent_) out.push_back(StreamEvent::usage_of(*usage_));
    return {};
  }

 private:
  Result<void> on_event(const net::SseEvent& ev, std::vector<StreamEvent>& out) {
    if (errored_ || ev.data.empty()) return {};
    auto doc = json::parse(ev.data, "stream chunk");
    if (!doc) return tl::unexpected(doc.error());
    json::object o;
    if (doc->get(o) != simdjson::SUCCESS) return fail(ErrorCode::malformed, "stream chunk is not a JSON object");
    if (auto err = json::get_object(o, "error")) return error(*err, out);
    std::size_t first = out.size();
    if (!role_sent_) {
      role_sent_ = true;
      StreamEvent role;
      role.kind = StreamEvent::Kind::role_start;
      out.push_back(std::move(role));
    }
    if (auto u = json::get_object(o, "usageMetadata")) usage_ = decode_usage(*u);
    std::optional<std::string_view> reason;
    if (auto candidates = json::get_array(o, "candidates")) {
      for (auto c : *candidates) {
        json::object cand;
        if (c.get(cand) != simdjson::SUCCESS) return fail(ErrorCode::malformed, "candidates[0] is not an object");
        parts(cand, out);
        reason = json::get_string(cand, "finishReason");
        break;
      }
    } else if (auto fb = json::get_object(o, "promptFeedback"); fb && json::get_string(*fb, "blockReason")) {
      reason = "SAFETY";  // the prompt was blocked: no candidates at all
    }
    util::apply_annotation(o, out, first);
    if (reason && !finished_) {
      finished_ = true;
      out.push_back(StreamEvent::finished(parse_finish_reason(*reason, tools_ > 0)));
      if (usage_) {
        usage_sent_ = true;
        out.push_back(StreamEvent::usage_of(*usage_));
      }
    }
    return {};
  }

  void parts(const json::object& cand, std::vector<StreamEvent>& out) {
    auto content = json::get_object(cand, "content");
    if (!content) return;
    auto parts = json::get_array(*content, "parts");
    if (!parts) return;
    for (auto p : *parts) {
      json::object part;
      if (p.get(part) != simdjson::SUCCESS) continue;
      if (auto sig = json::get_string(part, "thoughtSignature")) {  // belongs with this part's output
        StreamEvent e;
        e.kind = StreamEvent::Kind::reasoning_signature;
        e.text = std::string(*sig);
        out.push_back(std::move(e));
      }
      Message m;
      int before = tools_;
      decode_part(part, m, tools_);
      if (!m.reasoning.empty()) out.push_back(StreamEvent::reasoning(std::move(m.reasoning)));
      if (auto text = m.text(); !text.empty()) out.push_back(StreamEvent::content(std::move(text)));
      for (std::size_t i = 0; i < m.tool_calls.size(); ++i) {
        StreamEvent e;
        e.kind = StreamEvent::Kind::tool_call_delta;
        e.index = before + static_cast<int>(i);
        e.id = m.tool_calls[i].id;
        e.name = m.tool_calls[i].name;
        e.text = m.tool_calls[i].arguments;  // Gemini sends each call whole
        out.push_back(std::move(e));
      }
    }
  }

  Result<void> error(const json::object& err, std::vector<StreamEvent>& out) {
    ApiError e;
    e.message = std::string(json::get_string(err, "message").value_or("error chunk in the stream"));
    e.type = std::string(json::get_string(err, "status").value_or(""));
    if (auto code = json::get_int(err, "code")) {
      e.code = std::to_string(*code);
      e.http_status = static_cast<int>(*code);
    }
    errored_ = true;
    out.push_back(StreamEvent::failure(std::move(e)));
    return {};
  }

  net::SseParser sse_;
  std::optional<Usage> usage_;
  int tools_ = 0;
  bool role_sent_ = false;
  bool finished_ = false;
  bool usage_sent_ = false;
  bool errored_ = false;
};

// Canonical events as Gemini chunks. Gemini sends each function call whole, so
// tool-call fragments are gathered and sent with the next other output or the end;
// the finishReason and usageMetadata travel together in the last chunk.
class Encoder final : public StreamEncoder {
 public:
  Encoder(ResponseMeta meta, bool annotate) : meta_(std::move(meta)), annotate_(annotate) {}

  void encode(const StreamEvent& e, std::string& out) override {
    using K = StreamEvent::Kind;
    if (done_) return;
    switch (e.kind) {
      case K::role_start: break;
      case K::reasoning_signature: signature_ = e.text; break;  // goes on the next part
      case K::content_delta:
      case K::reasoning_delta: {
        flush_tools(out);
        std::string part;
        JsonWriter w(part);
        w.begin_object().field("text", e.text);
        if (e.kind == K::reasoning_delta) w.field("thought", true);
        write_signature(w);
        w.end_object();
        chunk(out, part, &e, false);
        break;
      }
      case K::tool_call_delta: add_tool(e); break;
      case K::finish:
        finish_ = e.finish;
        finish_pending_ = true;
        break;
      case K::usage:
        usage_ = e.usage;
        if (finish_pending_) final_chunk(out);
        break;
      case K::error:
        done_ = true;
        net::append_sse_event(out, encode_error_body(e.error));
        break;
    }
  }

  void finish(std::string& out) override {
    if (!done_) final_chunk(out);
  }

  std::string_view content_type() const override { return "text/event-stream"; }

 private:
  struct PendingTool {
    std::string id, name, args;
    int tokens = 0;
  };

  void add_tool(const StreamEvent& e) {
    if (e.index >= static_cast<int>(tools_.size())) tools_.resize(static_cast<std::size_t>(e.index) + 1);
    auto& t = tools_[static_cast<std::size_t>(e.index)];
    if (!e.id.empty()) t.id = e.id;
    if (!e.name.empty()) t.name = e.name;
    t.args += e.text;
    t.tokens += e.tokens;
    last_tool_time_ = e.server_time_ns;
  }

  // Writes gathered calls as functionCall parts (into `parts`, or as a chunk of their own).
  void write_tools(JsonWriter& w, int& tokens) {
    for (const auto& t : tools_) {
      if (t.name.empty() && t.args.empty()) continue;
      w.begin_object().key("functionCall").begin_object();
      if (!t.id.empty() && !t.id.starts_with("call_")) w.field("id", t.id);
      w.field("name", t.name).raw_field("args", util::arguments_object(t.args).value_or("{}")).end_object();
      write_signature(w);
      w.end_object();
      tokens += t.tokens;
    }
    tools_.clear();
  }

  void write_signature(JsonWriter& w) {
    if (signature_.empty()) return;
    w.field("thoughtSignature", signature_);
    signature_.clear();
  }

  void flush_tools(std::string& out) {
    if (tools_.empty()) return;
    std::string parts;
    JsonWriter w(parts);
    StreamEvent note;
    write_tools(w, note.tokens);
    note.server_time_ns = last_tool_time_;
    chunk(out, parts, &note, false);
  }

  void final_chunk(std::string& out) {
    done_ = true;
    std::string parts;
    JsonWriter w(parts);
    StreamEvent note;
    write_tools(w, note.tokens);
    note.server_time_ns = last_tool_time_;
    if (parts.empty()) w.begin_object().field("text", "").end_object();
    chunk(out, parts, note.tokens ? &note : nullptr, true);
  }

  // data: {"candidates":[{"content":{"parts":[...],"role":"model"}[,"finishReason"],"index":0}]...}
  void chunk(std::string& out, std::string_view parts, const StreamEvent* e, bool last) {
    scratch_.clear();
    JsonWriter w(scratch_);
    w.begin_object().key("candidates").begin_array().begin_object().key("content").begin_object();
    w.key("parts").begin_array().raw(parts).end_array().field("role", "model").end_object();
    if (last) w.field("finishReason", finish_reason_text(finish_));
    w.field("index", 0).end_object().end_array();
    if (last) write_usage(w, usage_);
    w.field("modelVersion", meta_.model).field("responseId", meta_.id);
    if (annotate_ && e) util::write_annotation(w, *e);
    w.end_object();
    net::append_sse_event(out, scratch_);
  }

  ResponseMeta meta_;
  bool annotate_;
  std::vector<PendingTool> tools_;
  std::string signature_;  // thoughtSignature for the next part
  std::int64_t last_tool_time_ = 0;
  FinishReason finish_ = FinishReason::stop;
  bool finish_pending_ = false;
  bool done_ = false;
  Usage usage_;
  std::string scratch_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder() { return std::make_unique<Decoder>(); }

std::unique_ptr<StreamEncoder> make_stream_encoder(ResponseMeta meta, bool annotate) {
  return std::make_unique<Encoder>(std::move(meta), annotate);
}

}  // namespace llmux::api::gemini
