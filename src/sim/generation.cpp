#include "sim/generation.hpp"

#include <algorithm>
#include <cmath>

namespace llmux::sim {

api::Usage Generation::usage() const {
  api::Usage u;
  u.prompt_tokens = prompt_tokens;
  u.completion_tokens = output_tokens;
  u.reasoning_tokens = reasoning_tokens;
  u.source = api::Usage::Source::server;
  return u;
}

namespace {

// The tool the model "decides" to call: the named one, or the first offered.
std::string pick_tool(const api::ChatRequest& req) {
  if (req.tools.empty() || req.tool_choice_json == "\"none\"") return {};
  for (const auto& t : req.tools)
    if (req.tool_choice_json.find("\"" + t.name + "\"") != std::string::npos) return t.name;
  return req.tools.front().name;
}

// Natural answer length when the model may stop on its own: geometric-like around the mean.
std::int64_t natural_length(TextGenerator& rng, std::int64_t mean) {
  double u = std::max(1e-9, rng.next_unit());
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(-std::log(u) * static_cast<double>(mean))));
}

// Stop sequences, as servers honour them: the answer's text (after any reasoning) ends
// just before the first place one of them appears, which is not sent, and the finish
// is `stop`. Found by producing the text once ahead (the generator is deterministic).
void find_stop_sequence(Generation& g, const std::vector<std::string>& stops) {
  if (std::none_of(stops.begin(), stops.end(), [](const std::string& s) { return !s.empty(); })) return;
  const Generation dry = g;  // the request is not in it yet: a copy of the plan alone
  TokenSource source(dry);
  api::StreamEvent e;
  std::string text;
  std::vector<std::size_t> token_end;  // text offset after each content token
  std::int64_t reasoning = 0;
  while (!source.done()) {
    int n = source.next(1, e);
    if (e.kind != api::StreamEvent::Kind::content_delta) {
      reasoning += n;
      continue;
    }
    text += e.text;
    token_end.push_back(text.size());
  }
  std::size_t at = std::string::npos;
  for (const auto& s : stops)
    if (!s.empty()) {
      auto p = text.find(s);
      if (p < at) {
        at = p;
        g.stop_sequence = s;
      }
    }
  if (at == std::string::npos) return;
  // Tokens wholly before the sequence, and the part of the one it starts in.
  auto whole = static_cast<std::size_t>(std::upper_bound(token_end.begin(), token_end.end(), at) - token_end.begin());
  std::size_t before = whole == 0 ? 0 : token_end[whole - 1];
  g.output_tokens = reasoning + static_cast<std::int64_t>(whole);
  // The token the sequence starts in was generated (and is counted), its text cut; one
  // at the very start leaves an empty answer of that one token.
  if (at > before || whole == 0) {
    ++g.output_tokens;
    g.last_token_bytes = static_cast<int>(at - before);
  }
  g.finish = api::FinishReason::stop;
}

}  // namespace

Result<Generation> plan_generation(api::ChatRequest request, const SimOptions& opts, std::uint64_t request_number,
                                   std::string_view fault_header) {
  Generation g;
  g.seed = opts.seed * 1000003ull + request_number;
  if (request.sampling.seed) g.seed = static_cast<std::uint64_t>(*request.sampling.seed) * 7919ull + request_number;
  TextGenerator rng(g.seed ^ 0xA5A5A5A5ull);
  g.prompt_tokens = static_cast<std::int64_t>(count_tokens(request.all_text()));
  if (g.prompt_tokens > opts.max_context)
    return fail(ErrorCode::limit, "This model's maximum context length is " + std::to_string(opts.max_context) +
                                      " tokens; the prompt has " + std::to_string(g.prompt_tokens));
  // As vLLM: a request must fit the context; without max_tokens the answer may use what is left.
  std::int64_t room = opts.max_context - g.prompt_tokens;
  std::int64_t max_tokens = std::min(opts.default_max_tokens, std::max<std::int64_t>(1, room));
  if (request.sampling.max_tokens) {
    max_tokens = *request.sampling.max_tokens;
    if (max_tokens < 1) return fail(ErrorCode::parse, "max_tokens must be at least 1, got " + std::to_string(max_tokens));
    if (max_tokens > room)
      return fail(ErrorCode::limit, "This model's maximum context length is " + std::to_string(opts.max_context) +
                                        " tokens; the request asks for " + std::to_string(g.prompt_tokens + max_tokens) + " (" +
                                        std::to_string(g.prompt_tokens) + " in the prompt, " + std::to_string(max_tokens) +
                                        " to generate)");
  }
  bool forced = request.ignore_eos.value_or(false);
  std::int64_t natural = natural_length(rng, opts.natural_mean_tokens);
  g.output_tokens = forced ? max_tokens : std::min(max_tokens, natural);
  g.finish = (forced || natural >= max_tokens) ? api::FinishReason::length : api::FinishReason::stop;
  g.tool_name = pick_tool(request);
  g.tool_call = !g.tool_name.empty() && request.endpoint == api::EndpointKind::chat;
  if (opts.echo) {  // the answer is the last user message, token for token
    for (const auto& m : request.messages)
      if (m.role == api::Role::user) g.echo = m.text();
    if (request.endpoint == api::EndpointKind::completion) g.echo = request.prompt;
    auto n = static_cast<std::int64_t>(count_tokens(g.echo));
    g.output_tokens = std::max<std::int64_t>(1, std::min(n, max_tokens));
    g.finish = n > max_tokens ? api::FinishReason::length : api::FinishReason::stop;
    g.tool_call = false;
  }
  g.reasoning_tokens = std::clamp<std::int64_t>(opts.reasoning_tokens, 0, g.output_tokens - 1);
  if (g.tool_call) {
    g.output_tokens = std::max<std::int64_t>(g.output_tokens, g.reasoning_tokens + 2);
    if (g.finish == api::FinishReason::stop) g.finish = api::FinishReason::tool_calls;
  }
  if (!g.tool_call) find_stop_sequence(g, request.sampling.stop);
  if (fault_header.empty()) {
    g.faults = draw_faults(opts.faults, rng, g.output_tokens);
  } else {
    auto f = parse_fault_header(fault_header);
    if (!f) return tl::unexpected(f.error());
    g.faults = *f;
  }
  g.meta.id = "chatcmpl-sim" + std::to_string(request_number);
  g.meta.model = request.model;
  g.request = std::move(request);
  return g;
}

TokenSource::Kind TokenSource::kind_at(std::int64_t i) const {
  if (i < g_.reasoning_tokens) return Kind::reasoning;
  return g_.tool_call ? Kind::tool : Kind::content;
}

std::string_view TokenSource::piece(std::int64_t i) {
  std::string_view p = raw_piece(i);
  if (g_.last_token_bytes >= 0 && i == g_.output_tokens - 1)
    p = p.substr(0, std::min(p.size(), static_cast<std::size_t>(g_.last_token_bytes)));
  return p;
}

std::string_view TokenSource::raw_piece(std::int64_t i) {
  if (!g_.echo.empty()) {
    if (echo_.empty()) echo_ = token_pieces(g_.echo);
    return static_cast<std::size_t>(i) < echo_.size() ? echo_[static_cast<std::size_t>(i)] : std::string_view(".");
  }
  if (kind_at(i) == Kind::tool) {
    if (i == g_.reasoning_tokens) return "{\"query\": \"";
    if (i == g_.output_tokens - 1) return "\"}";
  }
  return text_.next();
}

int TokenSource::next(int tokens_per_chunk, api::StreamEvent& out) {
  Kind kind = kind_at(emitted_);
  out = api::StreamEvent{};
  out.kind = kind == Kind::reasoning ? api::StreamEvent::Kind::reasoning_delta
             : kind == Kind::tool    ? api::StreamEvent::Kind::tool_call_delta
                                     : api::StreamEvent::Kind::content_delta;
  if (kind == Kind::tool && emitted_ == g_.reasoning_tokens) {
    out.id = "call_sim" + std::to_string(g_.seed % 100000);
    out.name = g_.tool_name;
  }
  int n = 0;
  while (n < tokens_per_chunk && !done() && kind_at(emitted_) == kind) {
    out.text += piece(emitted_);
    ++emitted_;
    ++n;
  }
  out.tokens = n;
  return n;
}

api::ChatResponse TokenSource::whole() {
  api::ChatResponse r;
  r.id = g_.meta.id;
  r.model = g_.meta.model;
  r.created = g_.meta.created;
  r.message.role = api::Role::assistant;
  std::string content, args;
  while (!done()) {
    Kind k = kind_at(emitted_);
    std::string_view p = piece(emitted_);
    ++emitted_;
    if (k == Kind::reasoning) r.message.reasoning += p;
    else if (k == Kind::tool) args += p;
    else content += p;
  }
  if (!content.empty()) r.message.content.push_back({api::ContentPart::Kind::text, std::move(content), {}});
  if (g_.tool_call)
    r.message.tool_calls.push_back({"call_sim" + std::to_string(g_.seed % 100000), g_.tool_name, std::move(args)});
  r.finish = g_.finish;
  r.stop_sequence = g_.stop_sequence;
  r.usage = g_.usage();
  return r;
}

}  // namespace llmux::sim
