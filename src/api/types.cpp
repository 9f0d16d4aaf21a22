#include "api/types.hpp"

namespace llmux::api {

std::string_view to_string(Role r) {
  switch (r) {
    case Role::system: return "system";
    case Role::developer: return "developer";
    case Role::user: return "user";
    case Role::assistant: return "assistant";
    case Role::tool: return "tool";
  }
  return "user";
}

std::optional<Role> parse_role(std::string_view s) {
  if (s == "system") return Role::system;
  if (s == "developer") return Role::developer;
  if (s == "user") return Role::user;
  if (s == "assistant") return Role::assistant;
  if (s == "tool" || s == "function") return Role::tool;
  return std::nullopt;
}

std::string_view to_string(FinishReason f) {
  switch (f) {
    case FinishReason::none: return "none";
    case FinishReason::stop: return "stop";
    case FinishReason::length: return "length";
    case FinishReason::tool_calls: return "tool_calls";
    case FinishReason::content_filter: return "content_filter";
    case FinishReason::error: return "error";
  }
  return "none";
}

std::size_t Message::text_size() const {
  std::size_t n = reasoning.size();
  for (const auto& p : content) n += p.text.size();
  for (const auto& t : tool_calls) n += t.arguments.size() + t.name.size();
  return n;
}

std::string Message::text() const {
  std::string out;
  for (const auto& p : content)
    if (p.kind == ContentPart::Kind::text) out += p.text;
  return out;
}

Message Message::of_text(Role role, std::string text) {
  Message m;
  m.role = role;
  m.content.push_back(ContentPart{ContentPart::Kind::text, std::move(text), {}});
  return m;
}

std::int64_t ChatRequest::estimate_prompt_tokens() const {
  constexpr std::int64_t kImageTokens = 1600;  // Anthropic's count for an image of ~1.15 megapixels
  std::size_t bytes = all_text().size();
  std::int64_t images = 0;
  for (const auto& m : messages)
    for (const auto& p : m.content) {
      if (p.kind == ContentPart::Kind::image_url) ++images;
      else if (p.kind == ContentPart::Kind::raw) bytes += p.text.size();  // a document: its JSON, base64 and all
    }
  for (const auto& t : tools) bytes += t.name.size() + t.description.size() + t.parameters_json.size();
  return static_cast<std::int64_t>((bytes + 3) / 4) + images * kImageTokens + 4 * static_cast<std::int64_t>(messages.size()) + 3;
}

std::string ChatRequest::all_text() const {
  std::string out = prompt;
  for (const auto& m : messages) {
    if (!out.empty()) out += '\n';
    out += m.text();
    for (const auto& tc : m.tool_calls) {
      out += '\n';
      out += tc.arguments;
    }
    if (!m.reasoning.empty()) {
      out += '\n';
      out += m.reasoning;
    }
  }
  return out;
}

StreamEvent StreamEvent::role_started(Usage prompt) {
  StreamEvent e;
  e.kind = Kind::role_start;
  e.usage = prompt;
  return e;
}

StreamEvent StreamEvent::content(std::string text, int tokens) {
  StreamEvent e;
  e.kind = Kind::content_delta;
  e.text = std::move(text);
  e.tokens = tokens;
  return e;
}

StreamEvent StreamEvent::reasoning(std::string text, int tokens) {
  StreamEvent e;
  e.kind = Kind::reasoning_delta;
  e.text = std::move(text);
  e.tokens = tokens;
  return e;
}

StreamEvent StreamEvent::tool_call(int index, std::string id, std::string name, std::string arguments) {
  StreamEvent e;
  e.kind = Kind::tool_call_delta;
  e.index = index;
  e.id = std::move(id);
  e.name = std::move(name);
  e.text = std::move(arguments);
  return e;
}

StreamEvent StreamEvent::finished(FinishReason f) {
  StreamEvent e;
  e.kind = Kind::finish;
  e.finish = f;
  return e;
}

StreamEvent StreamEvent::usage_of(Usage u) {
  StreamEvent e;
  e.kind = Kind::usage;
  e.usage = u;
  return e;
}

StreamEvent StreamEvent::failure(ApiError err) {
  StreamEvent e;
  e.kind = Kind::error;
  e.error = std::move(err);
  return e;
}

}  // namespace llmux::api
