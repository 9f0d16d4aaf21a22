#include "api/whole_call_encoder.hpp"

namespace llmux::api::util {

void WholeCallEncoder::encode(const StreamEvent& e, std::string& out) {
  using K = StreamEvent::Kind;
  if (done_) return;
  switch (e.kind) {
    case K::role_start:
    case K::reasoning_signature:
    case K::content_delta:
    case K::reasoning_delta:
      write_output(e, out);
      break;
    case K::tool_call_delta:
      add_tool(e);
      break;
    case K::finish:
      finish_ = e.finish;
      finish_pending_ = true;
      break;
    case K::usage:
      usage_ = e.usage;
      if (finish_pending_) end(out);
      break;
    case K::error:
      done_ = true;
      write_error(e.error, out);
      break;
  }
}

void WholeCallEncoder::finish(std::string& out) {
  if (!done_) end(out);
}

std::vector<ToolCall> WholeCallEncoder::take_tools(StreamEvent& note) {
  std::vector<ToolCall> calls = std::move(tools_);
  tools_.clear();
  note = tool_note_;
  tool_note_ = StreamEvent{};
  return calls;
}

void WholeCallEncoder::add_tool(const StreamEvent& e) {
  if (e.index >= static_cast<int>(tools_.size())) tools_.resize(static_cast<std::size_t>(e.index) + 1);
  auto& t = tools_[static_cast<std::size_t>(e.index)];
  if (!e.id.empty()) t.id = e.id;
  if (!e.name.empty()) t.name = e.name;
  t.arguments += e.text;
  tool_note_.tokens += e.tokens;
  tool_note_.server_time_ns = e.server_time_ns;
}

void WholeCallEncoder::end(std::string& out) {
  done_ = true;
  write_last(out);
}

}  // namespace llmux::api::util
