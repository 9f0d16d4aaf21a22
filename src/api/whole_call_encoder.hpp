#pragma once
// Private to api/: what the Gemini and Ollama stream encoders share. Both send each
// tool call whole, so tool-call fragments are gathered until the next other output or
// the end; both end with one message that carries the finish reason and the usage, so
// the finish waits for the usage that follows it (or for the end of the stream); and
// nothing is written after that message or an error.
#include <string>
#include <vector>

#include "api/codec.hpp"

namespace llmux::api::util {

class WholeCallEncoder : public StreamEncoder {
 public:
  void encode(const StreamEvent& e, std::string& out) final;
  void finish(std::string& out) final;

 protected:
  // role_start, content, reasoning and reasoning_signature events.
  virtual void write_output(const StreamEvent& e, std::string& out) = 0;
  // The last message: finish_reason(), usage(), and the calls still gathered.
  virtual void write_last(std::string& out) = 0;
  virtual void write_error(const ApiError& e, std::string& out) = 0;

  bool has_tools() const { return !tools_.empty(); }
  // The calls gathered so far, by index (an index never seen is an empty call), and a
  // note of the tokens they carried and when the last was written, for the sim's
  // annotation. Starts a new gathering.
  std::vector<ToolCall> take_tools(StreamEvent& note);
  FinishReason finish_reason() const { return finish_; }
  const Usage& usage() const { return usage_; }

 private:
  void add_tool(const StreamEvent& e);
  void end(std::string& out);

  std::vector<ToolCall> tools_;
  StreamEvent tool_note_;
  FinishReason finish_ = FinishReason::stop;
  bool finish_pending_ = false;
  bool done_ = false;
  Usage usage_;
};

}  // namespace llmux::api::util
