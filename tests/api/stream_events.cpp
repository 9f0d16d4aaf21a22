#include "api/stream_events.hpp"

#include "api/openai_codec.hpp"

namespace llmux::api::test {

namespace {

std::string kind_name(StreamEvent::Kind k) {
  switch (k) {
    case StreamEvent::Kind::role_start:
      return "role_start";
    case StreamEvent::Kind::content_delta:
      return "content";
    case StreamEvent::Kind::reasoning_delta:
      return "reasoning";
    case StreamEvent::Kind::tool_call_delta:
      return "tool_call";
    case StreamEvent::Kind::usage:
      return "usage";
    case StreamEvent::Kind::finish:
      return "finish";
    case StreamEvent::Kind::error:
      return "error";
    case StreamEvent::Kind::reasoning_signature:
      return "signature";
  }
  return "?";
}

std::string show(const Usage& u) {
  const char* src = u.source == Usage::Source::server      ? "server"
                    : u.source == Usage::Source::estimated ? "estimated"
                                                           : "none";
  return "prompt=" + std::to_string(u.prompt_tokens) + " completion=" + std::to_string(u.completion_tokens) +
         " reasoning=" + std::to_string(u.reasoning_tokens) +
         " cached=" + std::to_string(u.cached_prompt_tokens) + " source=" + src +
         (u.cache_write_tokens ? " cache_write=" + std::to_string(u.cache_write_tokens) : "") +
         (u.timing.present() ? " timing=" + std::to_string(u.timing.load_ns) + "/" +
                                   std::to_string(u.timing.prompt_eval_ns) + "/" + std::to_string(u.timing.eval_ns) +
                                   "/" + std::to_string(u.timing.total_ns)
                             : "");
}

std::string show(const Message& m) {
  std::string s = "  message role=" + std::string(to_string(m.role)) +
                  " as_parts=" + (m.content_as_parts ? "1" : "0") + " name=" + m.name +
                  " tool_call_id=" + m.tool_call_id + " reasoning=" + m.reasoning +
                  (m.reasoning_signature.empty() ? "" : " signature=" + m.reasoning_signature) +
                  (m.is_error ? " is_error" : "") + "\n";
  for (const auto& p : m.content) {
    const char* k = p.kind == ContentPart::Kind::text        ? "text"
                    : p.kind == ContentPart::Kind::image_url ? "image_url"
                                                             : "raw";
    s += "    part " + std::string(k) + " [" + p.text + "] detail=" + p.detail + "\n";
    for (const auto& f : p.extra) s += "      part extra " + f.key + "=" + f.json + "\n";
  }
  for (const auto& tc : m.tool_calls)
    s += "    tool_call id=" + tc.id + " name=" + tc.name + " args=" + tc.arguments + "\n";
  for (const auto& f : m.extra) s += "    extra " + f.key + "=" + f.json + "\n";
  return s;
}

template <class T>
std::string opt(const std::optional<T>& v) {
  if (!v) return "-";
  if constexpr (std::is_same_v<T, bool>)
    return *v ? "true" : "false";
  else
    return std::to_string(*v);
}

}  // namespace

std::string show(const StreamEvent& e) {
  std::string s = kind_name(e.kind);
  switch (e.kind) {
    case StreamEvent::Kind::content_delta:
    case StreamEvent::Kind::reasoning_delta:
    case StreamEvent::Kind::reasoning_signature:
      s += " [" + e.text + "]";
      break;
    case StreamEvent::Kind::tool_call_delta:
      s += " #" + std::to_string(e.index) + " id=" + e.id + " name=" + e.name + " args=[" + e.text + "]";
      break;
    case StreamEvent::Kind::usage:
      s += " " + show(e.usage);
      break;
    case StreamEvent::Kind::finish:
      s += " " + std::string(to_string(e.finish));
      if (!e.text.empty()) s += " stop_sequence=[" + e.text + "]";
      break;
    case StreamEvent::Kind::error:
      s += " status=" + std::to_string(e.error.http_status) + " type=" + e.error.type +
           " code=" + e.error.code + " message=" + e.error.message;
      break;
    case StreamEvent::Kind::role_start:
      if (e.usage.present()) s += " " + show(e.usage);
      break;
  }
  if (e.tokens) s += " tokens=" + std::to_string(e.tokens);
  if (e.server_time_ns) s += " t=" + std::to_string(e.server_time_ns);
  return s;
}

std::vector<std::string> show(const std::vector<StreamEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(show(e));
  return out;
}

std::string show(const ChatRequest& r) {
  std::string s = "endpoint=" + std::string(r.endpoint == EndpointKind::chat ? "chat" : "completion") + "\n";
  s += "model=" + r.model + "\nprompt=" + r.prompt + "\n";
  for (const auto& m : r.messages) s += show(m);
  for (const auto& t : r.tools) {
    s += "tool name=" + t.name + " description=" + t.description + " parameters=" + t.parameters_json + "\n";
    for (const auto& f : t.extra) s += "  tool extra " + f.key + "=" + f.json + "\n";
  }
  s += "tool_choice=" + r.tool_choice_json + "\n";
  const Sampling& p = r.sampling;
  s += "temperature=" + opt(p.temperature) + " top_p=" + opt(p.top_p) + " max_tokens=" + opt(p.max_tokens) +
       (p.max_tokens_is_completion_field ? " (max_completion_tokens)" : "") + " seed=" + opt(p.seed) + "\n";
  for (const auto& x : p.stop) s += "stop [" + x + "]\n";
  s += "stream=" + std::string(r.stream ? "1" : "0") + " include_usage=" + (r.include_usage ? "1" : "0") +
       " ignore_eos=" + opt(r.ignore_eos) + "\n";
  if (r.parallel_tool_calls) s += "parallel_tool_calls=" + opt(r.parallel_tool_calls) + "\n";
  for (const auto& f : r.extra) s += "extra " + f.key + "=" + f.json + "\n";
  return s;
}

std::string show(const ChatResponse& r) {
  return "id=" + r.id + " model=" + r.model + " created=" + std::to_string(r.created) +
         " finish=" + std::string(to_string(r.finish)) +
         (r.stop_sequence.empty() ? "" : " stop_sequence=" + r.stop_sequence) + " usage: " + show(r.usage) + "\n" +
         show(r.message);
}

Result<std::vector<StreamEvent>> decode_pieces(EndpointKind endpoint,
                                               const std::vector<std::string_view>& pieces) {
  auto dec = openai::make_stream_decoder(endpoint);
  std::vector<StreamEvent> out;
  for (auto p : pieces)
    if (auto r = dec->feed(p, out); !r) return tl::unexpected(r.error());
  if (auto r = dec->finish(out); !r) return tl::unexpected(r.error());
  return out;
}

Result<std::vector<StreamEvent>> decode_all(EndpointKind endpoint, std::string_view bytes) {
  return decode_pieces(endpoint, {bytes});
}

}  // namespace llmux::api::test
