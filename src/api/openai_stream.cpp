// OpenAI streaming: SSE "data:" chunks ending in "data: [DONE]".
#include "api/codec_util.hpp"
#include "api/framed_decoder.hpp"
#include "api/openai_codec.hpp"
#include "api/openai_detail.hpp"

namespace llmux::api::openai {

namespace {

class Decoder final : public util::SseDecoder {
 public:
  explicit Decoder(EndpointKind endpoint) : endpoint_(endpoint) {}

 private:
  Result<void> on_end(std::vector<StreamEvent>&) override {
    if (done_ || errored_) return {};
    return fail(ErrorCode::stream_cut,
                std::string("stream ended without data: [DONE]") +
                    (saw_finish_ ? " (after a finish_reason)" : " and without a finish_reason"));
  }

  Result<void> on_frame(const net::SseEvent& ev, std::vector<StreamEvent>& out) override {
    if (done_) return {};  // anything after [DONE] is ignored
    std::string_view data = ev.data;
    if (data == "[DONE]") {
      done_ = true;
      if (timings_ && !usage_sent_) out.push_back(StreamEvent::usage_of(*timings_));  // llama.cpp without usage
      return {};
    }
    auto parsed = json::parse_object(data, "stream chunk");
    if (!parsed) return tl::unexpected(parsed.error());
    const json::object& root = *parsed;
    std::size_t first = out.size();
    auto [choices_m, timings_m, usage_m, note_m, error_m] =
        json::members<5>(root, {"choices", "timings", "usage", "llmux", "error"});
    if (error_m && !error_m->is_null()) {  // a chunk {"error": {...}}: an error event
      errored_ = true;
      out.push_back(StreamEvent::failure(decode_error_body(0, data)));
      return {};
    }
    if (auto choices = json::as_array(choices_m)) {
      for (auto c : *choices) {
        json::object choice;
        if (c.get(choice) != simdjson::SUCCESS) return fail(ErrorCode::malformed, "choices[0] is not an object");
        decode_choice(choice, out);
        break;
      }
    }
    if (auto t = json::as_object(timings_m)) {
      timings_ = last_usage_;
      apply_timings(*t, *timings_);
      if (usage_sent_) out.push_back(StreamEvent::usage_of(*timings_));  // the usage again, with the durations
    }
    if (auto u = json::as_object(usage_m)) usage(decode_usage(*u), out, first);
    util::apply_annotation_note(json::as_object(note_m), out, first);
    return {};
  }

  // A usage object. With vLLM's continuous_usage_stats every chunk has one: the growth
  // of completion_tokens says how many tokens the chunk's one delta carried.
  void usage(Usage u, std::vector<StreamEvent>& out, std::size_t first) {
    if (timings_) u.timing = timings_->timing;
    std::size_t token_events = 0, at = 0;
    for (std::size_t i = first; i < out.size(); ++i)
      if (out[i].is_token()) ++token_events, at = i;
    if (token_events == 1 && usage_sent_ && u.completion_tokens > last_usage_.completion_tokens)
      out[at].tokens = static_cast<int>(u.completion_tokens - last_usage_.completion_tokens);
    usage_sent_ = true;
    last_usage_ = u;
    out.push_back(StreamEvent::usage_of(u));
  }

  void decode_choice(const json::object& choice, std::vector<StreamEvent>& out) {
    auto [text_m, delta_m, finish_m] = json::members<3>(choice, {"text", "delta", "finish_reason"});
    if (endpoint_ == EndpointKind::completion) {
      if (auto text = json::as_string(text_m); text && !text->empty())
        out.push_back(StreamEvent::content(std::string(*text)));
    } else if (auto delta = json::as_object(delta_m)) {
      decode_delta(*delta, out);
    }
    if (auto fr = json::as_string(finish_m)) {
      saw_finish_ = true;
      out.push_back(StreamEvent::finished(parse_finish_reason(*fr)));
    }
  }

  void decode_delta(const json::object& delta, std::vector<StreamEvent>& out) {
    auto [role_m, reasoning_content_m, reasoning_m, content_m, calls_m] =
        json::members<5>(delta, {"role", "reasoning_content", "reasoning", "content", "tool_calls"});
    if (json::as_string(role_m) && !role_seen_) {
      role_seen_ = true;
      out.push_back(StreamEvent::role_started());
    }
    auto reasoning = json::as_string(reasoning_content_m);
    if (!reasoning) reasoning = json::as_string(reasoning_m);
    if (reasoning && !reasoning->empty()) out.push_back(StreamEvent::reasoning(std::string(*reasoning)));
    if (auto content = json::as_string(content_m); content && !content->empty())
      out.push_back(StreamEvent::content(std::string(*content)));
    if (auto calls = json::as_array(calls_m)) {
      for (auto c : *calls) {
        json::object o;
        if (c.get(o) != simdjson::SUCCESS) continue;
        std::string_view name, arguments;
        if (auto fn = json::get_object(o, "function")) {
          name = json::get_string(*fn, "name").value_or("");
          arguments = json::get_string(*fn, "arguments").value_or("");
        }
        auto index = static_cast<int>(json::get_int(o, "index").value_or(0));
        auto id = json::get_string(o, "id").value_or("");
        out.push_back(StreamEvent::tool_call(index, std::string(id), std::string(name), std::string(arguments)));
      }
    }
  }

  EndpointKind endpoint_;
  bool done_ = false;
  bool errored_ = false;
  bool role_seen_ = false;
  bool saw_finish_ = false;
  bool usage_sent_ = false;
  Usage last_usage_;
  std::optional<Usage> timings_;  // llama.cpp timings (with the last usage, if any)
};

class Encoder final : public StreamEncoder {
 public:
  Encoder(const ChatRequest& req, ResponseMeta meta, bool annotate)
      : chat_(req.endpoint == EndpointKind::chat), include_usage_(req.include_usage), annotate_(annotate) {
    JsonWriter w(head_);
    w.begin_object().field("id", meta.id).field("object", chat_ ? "chat.completion.chunk" : "text_completion");
    w.field("created", meta.created).field("model", meta.model);
    head_ += ",\"choices\":";
  }

  void encode(const StreamEvent& e, std::string& out) override {
    using K = StreamEvent::Kind;
    switch (e.kind) {
      case K::role_start:
        if (chat_) chunk(out, R"({"role":"assistant","content":""})", {}, e);
        break;
      case K::content_delta: text_chunk(out, "content", e); break;
      case K::reasoning_delta: text_chunk(out, "reasoning_content", e); break;
      case K::tool_call_delta: tool_chunk(out, e); break;
      case K::reasoning_signature: break;  // OpenAI has no field for it
      case K::finish: chunk(out, "{}", finish_reason_text(e.finish), e); break;
      case K::usage: usage_chunk(out, e.usage); break;
      case K::error: {
        std::string body = encode_error_body(e.error);
        net::append_sse_event(out, body);
        break;
      }
    }
  }

  void finish(std::string& out) override { out += "data: [DONE]\n\n"; }
  std::string_view content_type() const override { return "text/event-stream"; }

 private:
  void text_chunk(std::string& out, std::string_view field, const StreamEvent& e) {
    scratch_.clear();
    if (chat_) {
      scratch_ += "{\"";
      scratch_ += field;
      scratch_ += "\":";
      append_json_string(scratch_, e.text);
      scratch_ += '}';
    } else {
      append_json_string(scratch_, e.text);
    }
    chunk(out, scratch_, {}, e);
  }

  void tool_chunk(std::string& out, const StreamEvent& e) {
    scratch_.clear();
    JsonWriter w(scratch_);
    w.begin_object().key("tool_calls").begin_array().begin_object().field("index", e.index);
    if (!e.id.empty()) w.field("id", e.id).field("type", "function");
    w.key("function").begin_object();
    if (!e.name.empty()) w.field("name", e.name);
    w.field("arguments", e.text).end_object().end_object().end_array().end_object();
    chunk(out, scratch_, {}, e);
  }

  // One chunk: the fixed head, the choice (delta or text), finish reason, annotation.
  void chunk(std::string& out, std::string_view delta, std::string_view finish, const StreamEvent& e) {
    out += "data: ";
    out += head_;
    out += chat_ ? "[{\"index\":0,\"delta\":" : "[{\"index\":0,\"text\":";
    out += chat_ ? delta : (delta == "{}" ? std::string_view("\"\"") : delta);
    if (!chat_) out += ",\"logprobs\":null";
    out += ",\"finish_reason\":";
    if (finish.empty()) {
      out += "null";
    } else {
      out += '"';
      out += finish;
      out += '"';
    }
    out += "}]";
    if (annotate_) {
      out += ',';
      JsonWriter w(out);
      util::write_annotation(w, e);
    }
    out += "}\n\n";
  }

  void usage_chunk(std::string& out, const Usage& u) {
    if (!include_usage_) return;
    out += "data: ";
    out += head_;
    out += "[],";
    JsonWriter w(out);
    write_usage(w, u);
    out += "}\n\n";
  }

  bool chat_;
  bool include_usage_;
  bool annotate_;
  std::string head_;     // {"id":..,"object":..,"created":..,"model":..,"choices":
  std::string scratch_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_stream_decoder(EndpointKind endpoint) {
  return std::make_unique<Decoder>(endpoint);
}

std::unique_ptr<StreamEncoder> make_stream_encoder(const ChatRequest& req, ResponseMeta meta, bool annotate) {
  return std::make_unique<Encoder>(req, std::move(meta), annotate);
}

}  // namespace llmux::api::openai
