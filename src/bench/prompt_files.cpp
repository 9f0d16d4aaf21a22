#include "bench/prompt_files.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/text.hpp"

namespace llmux::bench {

namespace {

using nlohmann::json;

Result<std::string> read_whole(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::io, "cannot read prompt file: " + ec.message(), path);
  if (size > kMaxPromptFileBytes) return fail(ErrorCode::limit, "prompt file is larger than 2 GiB", path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::int64_t approx_tokens(std::size_t chars) { return static_cast<std::int64_t>((chars + 3) / 4); }

Result<LoadedPrompt> prompt_from_object(const json& o, const std::string& where) {
  if (!o.is_object()) return fail(ErrorCode::parse, "line is not a JSON object", where);
  LoadedPrompt p;
  std::size_t chars = 0;
  if (auto it = o.find("messages"); it != o.end()) {
    if (!it->is_array() || it->empty()) return fail(ErrorCode::parse, "\"messages\" must be a non-empty array", where);
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& m = (*it)[i];
      std::string at = where + " messages[" + std::to_string(i) + "]";
      if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
        return fail(ErrorCode::parse, "each message needs a string \"role\"", at);
      auto role = api::parse_role(m["role"].get<std::string>());
      if (!role) return fail(ErrorCode::parse, "unknown role '" + m["role"].get<std::string>() + "'", at);
      if (!m.contains("content") || !m["content"].is_string())
        return fail(ErrorCode::parse, "each message needs a string \"content\"", at);
      auto text = m["content"].get<std::string>();
      chars += text.size();
      p.messages.push_back(api::Message::of_text(*role, std::move(text)));
    }
  } else if (auto pit = o.find("prompt"); pit != o.end() && pit->is_string()) {
    p.prompt = pit->get<std::string>();
    chars = p.prompt.size();
    p.messages.push_back(api::Message::of_text(api::Role::user, p.prompt));
  } else {
    return fail(ErrorCode::parse, "needs \"messages\" (array) or \"prompt\" (string)", where);
  }
  for (const char* key : {"output_tokens", "max_tokens"}) {
    if (auto it = o.find(key); it != o.end()) {
      if (!it->is_number_integer() || it->get<std::int64_t>() < 1)
        return fail(ErrorCode::parse, std::string("\"") + key + "\" must be a positive integer", where);
      p.output_tokens = it->get<std::int64_t>();
    }
  }
  p.approx_input_tokens = approx_tokens(chars);
  return p;
}

}  // namespace

Result<std::vector<LoadedPrompt>> parse_prompts_jsonl(std::string_view text, const std::string& name) {
  std::vector<LoadedPrompt> out;
  std::size_t line_no = 0;
  for (auto line : split(text, '\n')) {
    ++line_no;
    line = trim(line);
    if (line.empty()) continue;
    std::string where = name + ":" + std::to_string(line_no);
    json o = json::parse(line.begin(), line.end(), nullptr, false);
    if (o.is_discarded()) return fail(ErrorCode::parse, "not valid JSON", where);
    auto p = prompt_from_object(o, where);
    if (!p) return tl::unexpected(p.error());
    out.push_back(std::move(*p));
  }
  if (out.empty()) return fail(ErrorCode::parse, "prompt file has no prompts", name);
  return out;
}

Result<std::vector<LoadedPrompt>> parse_sharegpt(std::string_view text, const std::string& name) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) return fail(ErrorCode::parse, "ShareGPT file is not valid JSON", name);
  if (!doc.is_array()) return fail(ErrorCode::parse, "ShareGPT file must be a JSON array of conversations", name);
  std::vector<LoadedPrompt> out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const json& conv = doc[i].is_object() ? doc[i].value("conversations", json()) : json();
    if (!conv.is_array() || conv.size() < 2) continue;  // as vLLM: skip conversations without an answer
    const json& q = conv[0];
    const json& a = conv[1];
    if (!q.is_object() || !a.is_object() || !q.contains("value") || !a.contains("value") || !q["value"].is_string() ||
        !a["value"].is_string())
      continue;
    LoadedPrompt p;
    p.prompt = q["value"].get<std::string>();
    p.messages.push_back(api::Message::of_text(api::Role::user, p.prompt));
    p.approx_input_tokens = approx_tokens(p.prompt.size());
    p.output_tokens = std::max<std::int64_t>(1, approx_tokens(a["value"].get<std::string>().size()));
    out.push_back(std::move(p));
  }
  if (out.empty()) return fail(ErrorCode::parse, "ShareGPT file has no conversation with a question and an answer", name);
  return out;
}

Result<std::vector<LoadedPrompt>> load_prompts_jsonl(const std::string& path) {
  auto text = read_whole(path);
  if (!text) return tl::unexpected(text.error());
  return parse_prompts_jsonl(*text, path);
}

Result<std::vector<LoadedPrompt>> load_sharegpt(const std::string& path) {
  auto text = read_whole(path);
  if (!text) return tl::unexpected(text.error());
  return parse_sharegpt(*text, path);
}

}  // namespace llmux::bench
