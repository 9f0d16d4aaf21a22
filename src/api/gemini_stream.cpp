// Gemini streaming (alt=sse): "data:" chunks, each a GenerateContentResponse; the
// chunk with a finishReason ends the answer (there is no [DONE]).
#include "api/codec_util.hpp"
#include "api/framed_decoder.hpp"
#include "api/gemini_codec.hpp"
#include "api/gemini_detail.hpp"
#include "api/whole_call_encoder.hpp"

namespace llmux::api::gemini {

namespace {

class Decoder final : public util::SseDecoder {
 private:
  Result<void> on_end(std::vector<StreamEvent>& out) override {
    if (errored_) return {};
    if (!finished_) return fail(ErrorCode::stream_cut, "stream ended without a chunk carrying finishReason");
    if (usage_ && !usage_sent_) out.push_back(StreamEvent::usage_of(*usage_));
    return {};
  }

  Result<void> on_frame(const net::SseEvent& ev, std::vector<StreamEvent>& out) override {
    if (errored_ || ev.data.empty()) return {};
    auto parsed = json::parse_object(ev.data, "stream chunk");
    if (!parsed) return tl::unexpected(parsed.error());
    const json::object& o = *parsed;
    if (auto err = json::get_object(o, "error")) return error(*err, out);
    std::size_t first = out.size();
    if (!role_sent_) {
      role_sent_ = true;
      out.push_back(StreamEvent::role_started());
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
      util::append_tool_calls(std::move(m.tool_calls), before, out);  // Gemini sends each call whole
    }
  }

  Result<void> error(const json::object& err, std::vector<StreamEvent>& out) {
    ApiError e;
    e.message = std::string(json::get_string(err, "message").value_or("error chunk in the stream"));
    e.type = json::get_text(err, "status");
    if (auto code = json::get_int(err, "code")) {
      e.code = std::to_string(*code);
      e.http_status = static_cast<int>(*code);
    }
    errored_ = true;
    out.push_back(StreamEvent::failure(std::move(e)));
    return {};
  }

  std::optional<Usage> usage_;
  int tools_ = 0;
  bool role_sent_ = false;
  bool finished_ = false;
  bool usage_sent_ = false;
  bool errored_ = false;
};

// Canonical events as Gemini chunks. Gathered tool calls go out with the next other
// output or in the last chunk, where the finishReason and usageMetadata travel together.
class Encoder final : public util::WholeCallEncoder {
 public:
  Encoder(ResponseMeta meta, bool annotate) : meta_(std::move(meta)), annotate_(annotate) {}

  std::string_view content_type() const override { return "text/event-stream"; }

 private:
  void write_output(const StreamEvent& e, std::string& out) override {
    if (e.kind == StreamEvent::Kind::role_start) return;
    if (e.kind == StreamEvent::Kind::reasoning_signature) {
      signature_ = e.text;  // goes on the next part
      return;
    }
    flush_tools(out);
    std::string part;
    JsonWriter w(part);
    w.begin_object().field("text", e.text);
    if (e.kind == StreamEvent::Kind::reasoning_delta) w.field("thought", true);
    write_signature(w);
    w.end_object();
    chunk(out, part, &e, false);
  }

  void write_error(const ApiError& e, std::string& out) override {
    net::append_sse_event(out, encode_error_body(e));
  }

  // Gathered calls as functionCall parts (into `parts`, or as a chunk of their own).
  void write_tools(JsonWriter& w, const std::vector<ToolCall>& calls) {
    for (const auto& t : calls) {
      if (t.name.empty() && t.arguments.empty()) continue;
      w.begin_object();
      write_function_call(w, t);
      write_signature(w);
      w.end_object();
    }
  }

  void write_signature(JsonWriter& w) {
    if (signature_.empty()) return;
    w.field("thoughtSignature", signature_);
    signature_.clear();
  }

  void flush_tools(std::string& out) {
    if (!has_tools()) return;
    StreamEvent note;
    auto calls = take_tools(note);
    std::string parts;
    JsonWriter w(parts);
    write_tools(w, calls);
    chunk(out, parts, &note, false);
  }

  void write_last(std::string& out) override {
    StreamEvent note;
    auto calls = take_tools(note);
    std::string parts;
    JsonWriter w(parts);
    write_tools(w, calls);
    if (parts.empty()) w.begin_object().field("text", "").end_object();
    chunk(out, parts, note.tokens ? &note : nullptr, true);
  }

  // data: {"candidates":[{"content":{"parts":[...],"role":"model"}[,"finishReason"],"index":0}]...}
  void chunk(std::string& out, std::string_view parts, const StreamEvent* e, bool last) {
    scratch_.clear();
    JsonWriter w(scratch_);
    w.begin_object().key("candidates").begin_array().begin_object().key("content").begin_object();
    w.key("parts").begin_array().raw(parts).end_array().field("role", "model").end_object();
    if (last) w.field("finishReason", finish_reason_text(finish_reason()));
    w.field("index", 0).end_object().end_array();
    if (last) write_usage(w, usage());
    w.field("modelVersion", meta_.model).field("responseId", meta_.id);
    if (annotate_ && e) util::write_annotation(w, *e);
    w.end_object();
    net::append_sse_event(out, scratch_);
  }

  ResponseMeta meta_;
  bool annotate_;
  std::string signature_;  // thoughtSignature for the next part
  std::string scratch_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder() { return std::make_unique<Decoder>(); }

std::unique_ptr<StreamEncoder> make_stream_encoder(ResponseMeta meta, bool annotate) {
  return std::make_unique<Encoder>(std::move(meta), annotate);
}

}  // namespace llmux::api::gemini
