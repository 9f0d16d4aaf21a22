#include "gateway/relay.hpp"

#include "core/text.hpp"
#include "gateway/snapshot.hpp"

namespace llmux::gateway {

Relay::Relay(net::ResponseWriter& writer, const api::ServerCodec& ingress, const api::ChatRequest& client_request,
             api::ResponseMeta meta)
    : w_(writer), ingress_(ingress), req_(client_request), meta_(std::move(meta)) {
  if (req_.stream) {
    encoder_ = ingress_.stream_encoder(req_, meta_);
    encoder_fresh_ = true;
  }
  whole_.id = meta_.id;
  whole_.model = meta_.model;
  whole_.created = meta_.created;
  whole_.message.role = api::Role::assistant;
}

void Relay::restore_with(const privacy::RedactionMap* map) {
  restore_map_ = map && !map->empty() ? map : nullptr;
  restorers_.clear();
}

bool Relay::restore(api::StreamEvent& e) {
  if (!restore_map_ || !e.is_token()) return true;
  auto key = std::make_pair(static_cast<int>(e.kind), e.index);
  auto it = restorers_.try_emplace(key, *restore_map_).first;
  e.text = it->second.feed(e.text);
  return !e.text.empty() || !e.id.empty() || !e.name.empty();
}

std::vector<api::StreamEvent> Relay::drain_restorers() {
  std::vector<api::StreamEvent> out;
  for (auto& [key, r] : restorers_) {
    std::string rest = r.finish();
    if (rest.empty()) continue;
    api::StreamEvent e;
    e.kind = static_cast<api::StreamEvent::Kind>(key.first);
    e.index = key.second;
    e.text = std::move(rest);
    out.push_back(std::move(e));
  }
  restorers_.clear();
  return out;
}

void Relay::reset_attempt() {
  pending_.clear();
  saw_events_ = false;
  usage_ = {};
  start_usage_ = {};
  finish_ = api::FinishReason::none;
  first_token_ = 0;
  token_deltas_ = 0;
  retry_after_.reset();
  stream_error_.reset();
  upstream_error_.reset();
  whole_.message = api::Message{};
  whole_.message.role = api::Role::assistant;
  whole_.stop_sequence.clear();
  if (req_.stream && !encoder_fresh_) {  // an encoder that has written is replaced (it keeps state)
    encoder_ = ingress_.stream_encoder(req_, meta_);
    encoder_fresh_ = true;
  }
}

api::Usage Relay::streamed_usage() const {
  if (usage_.present()) return usage_;
  // The stream ended before the upstream's usage (a client that left, a cut): the
  // prompt's count from the stream's start where the API gives one (Anthropic), else an
  // estimate, so that leaving early does not make the prompt free.
  api::Usage counted;
  counted.completion_tokens = token_deltas_;
  counted.prompt_tokens = start_usage_.prompt_tokens > 0 ? start_usage_.prompt_tokens : req_.estimate_prompt_tokens();
  counted.cached_prompt_tokens = start_usage_.cached_prompt_tokens;
  counted.source = api::Usage::Source::estimated;
  return counted;
}

void Relay::on_head(int status, const net::Headers& headers, Nanos) {
  if (status == 429 || status == 503) {
    if (auto ra = headers.get("retry-after")) {
      if (auto v = parse_int(*ra); v && *v >= 0) retry_after_ = static_cast<int>(*v);
    }
  }
}

void Relay::on_events(std::vector<api::StreamEvent>& events, Nanos t) {
  for (auto& e : events) {
    if (e.is_token()) {
      if (!first_token_) first_token_ = t;
      ++token_deltas_;
    }
    if (e.kind == api::StreamEvent::Kind::finish)
      for (auto& held : drain_restorers()) apply(held, t);
    if (!restore(e)) continue;
    apply(e, t);
  }
}

void Relay::on_error_body(const api::ApiError& error) {
  upstream_error_ = error;
  if (secrets_) upstream_error_->message = scrub_secrets(error.message, *secrets_);
}

void Relay::apply(api::StreamEvent& e, Nanos) {
  using K = api::StreamEvent::Kind;
  if (e.kind == K::error && secrets_) e.error.message = scrub_secrets(e.error.message, *secrets_);
  if (e.kind == K::usage) usage_ = e.usage;
  if (e.kind == K::role_start && e.usage.prompt_tokens > 0) start_usage_ = e.usage;
  if (e.kind == K::finish) {
    finish_ = e.finish;
    whole_.stop_sequence = e.text;
  }
  if (e.kind == K::error) stream_error_ = e.error;
  // A role-only chunk is not an answer yet: the client sees nothing until the first
  // token (or the finish), so an upstream that dies before it can still be retried.
  if (e.is_token() || e.kind == K::finish) saw_events_ = true;
  if (encoder_) {
    encoder_fresh_ = false;
    if (e.kind != K::usage) encoder_->encode(e, pending_);  // usage goes once at the end, if asked
    return;
  }
  auto& msg = whole_.message;
  if (e.kind == K::content_delta) {
    if (msg.content.empty()) msg.content.push_back({api::ContentPart::Kind::text, {}, {}});
    msg.content[0].text += e.text;
  } else if (e.kind == K::reasoning_delta) {
    msg.reasoning += e.text;
  } else if (e.kind == K::tool_call_delta) {
    auto i = static_cast<std::size_t>(e.index);
    if (msg.tool_calls.size() <= i) msg.tool_calls.resize(i + 1);
    if (!e.id.empty()) msg.tool_calls[i].id = e.id;
    if (!e.name.empty()) msg.tool_calls[i].name = e.name;
    msg.tool_calls[i].arguments += e.text;
  }
}

asio::awaitable<bool> Relay::start() {
  if (started_) co_return !w_.client_gone();
  started_ = true;
  co_return co_await w_.begin_stream(200, encoder_->content_type());
}

asio::awaitable<bool> Relay::flush() {
  if (!encoder_ || pending_.empty() || !saw_events_) co_return !w_.client_gone();
  bool open = co_await start();
  if (!open) co_return false;
  bool ok = co_await w_.write(pending_);
  pending_.clear();
  co_return ok;
}

// What is still pending and the end of the stream, in one write.
asio::awaitable<void> Relay::end() {
  saw_events_ = true;
  bool open = co_await start();
  if (open) co_await w_.end_stream(pending_);
  pending_.clear();
}

asio::awaitable<void> Relay::finish_ok() {
  for (auto& held : drain_restorers()) apply(held, 0);  // a stream that ended without a finish event
  if (encoder_) {
    encoder_fresh_ = false;
    if (req_.include_usage && usage_.present()) encoder_->encode(api::StreamEvent::usage_of(usage_), pending_);
    encoder_->finish(pending_);
    co_await end();
    co_return;
  }
  whole_.finish = finish_;
  whole_.usage = usage_;
  started_ = true;
  co_await w_.send(200, "application/json", ingress_.encode_response(whole_, req_));
}

asio::awaitable<void> Relay::finish_with_error(const std::string& message, const std::string& type) {
  if (!encoder_) co_return;
  api::ApiError e;
  e.message = message;
  e.type = type;
  encoder_fresh_ = false;
  encoder_->encode(api::StreamEvent::failure(e), pending_);
  encoder_->finish(pending_);
  co_await end();
}

}  // namespace llmux::gateway
