#include "bench/prompt_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
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

// The whole text as JSON; an error names the line where it stops being JSON.
Result<json> parse_json_at(std::string_view text, const std::string& name) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {  // nlohmann reports the position only this way
    auto at = std::min<std::size_t>(e.byte ? e.byte - 1 : 0, text.size());
    auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    return fail(ErrorCode::parse, "ShareGPT file is not valid JSON", name + ":" + std::to_string(line));
  }
}

// A turn's speaker ("from") when the turn is an object with string "from" and "value".
std::string turn_from(const json& turn) {
  if (!turn.is_object() || !turn.contains("value") || !turn["value"].is_string()) return {};
  auto it = turn.find("from");
  return it != turn.end() && it->is_string() ? to_lower(it->get<std::string>()) : std::string();
}

// The first human turn as the prompt (after a leading system turn, sent as a system
// message) and the answer that follows it for the output length; nullopt when the
// conversation has no human turn answered by the model (skipped, as vLLM does).
std::optional<LoadedPrompt> sharegpt_prompt(const json& conv) {
  if (!conv.is_array()) return std::nullopt;
  auto is = [](const std::string& from, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), from) != names.end();
  };
  LoadedPrompt p;
  for (std::size_t i = 0; i + 1 < conv.size(); ++i) {
    std::string from = turn_from(conv[i]);
    if (i == 0 && from == "system") {
      p.messages.push_back(api::Message::of_text(api::Role::system, conv[i]["value"].get<std::string>()));
      continue;
    }
    if (!is(from, {"human", "user"})) continue;
    if (!is(turn_from(conv[i + 1]), {"gpt", "assistant", "chatgpt", "bard", "bing", "model"})) return std::nullopt;
    p.prompt = conv[i]["value"].get<std::string>();
    p.messages.push_back(api::Message::of_text(api::Role::user, p.prompt));
    std::size_t chars = p.prompt.size() + (p.messages.size() > 1 ? p.messages.front().text().size() : 0);
    p.approx_input_tokens = approx_tokens(chars);
    p.output_tokens = std::max<std::int64_t>(1, approx_tokens(conv[i + 1]["value"].get<std::string>().size()));
    return p;
  }
  return std::nullopt;
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
  if (trim(text).empty()) return fail(ErrorCode::parse, "ShareGPT file is empty", name);
  auto doc = parse_json_at(text, name);
  if (!doc) return tl::unexpected(doc.error());
  if (!doc->is_array()) return fail(ErrorCode::parse, "ShareGPT file must be a JSON array of conversations", name);
  std::vector<LoadedPrompt> out;
  for (const json& item : *doc) {
    const json& conv = item.is_object() ? item.value("conversations", json()) : json();
    if (auto p = sharegpt_prompt(conv)) out.push_back(std::move(*p));
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
