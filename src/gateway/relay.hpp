#pragma once
// Relays one upstream answer to the gateway's client in the client's dialect:
// streamed chunk by chunk (nothing is sent before the first upstream event, so a
// failure before it can still be retried elsewhere), or assembled into one
// response. Keeps what accounting needs: usage, finish, first-token time.
#include <optional>
#include <string>

#include <map>

#include "api/codec.hpp"
#include "net/http_server.hpp"
#include "privacy/restorer.hpp"
#include "providers/chat_client.hpp"

namespace llmux::gateway {

class Relay final : public providers::ChatObserver {
 public:
  Relay(net::ResponseWriter& writer, const api::ServerCodec& ingress, const api::ChatRequest& client_request,
        api::ResponseMeta meta);

  void on_head(int status, const net::Headers& headers, Nanos t) override;
  void on_error_body(const api::ApiError& error) override;
  void on_events(std::vector<api::StreamEvent>& events, Nanos t) override;
  asio::awaitable<bool> flush() override;

  // The upstream answer is complete: write the end of the stream, or the whole response.
  asio::awaitable<void> finish_ok();
  // The upstream failed after the client saw bytes: an error event, then a clean end.
  asio::awaitable<void> finish_with_error(const std::string& message, const std::string& type);

  bool started() const { return started_; }  // bytes went to the client
  bool saw_events() const { return saw_events_; }
  const api::Usage& usage() const { return usage_; }
  // What a stream delivered: the upstream's usage when it sent one, else the tokens
  // counted as they went by (one per content, reasoning or tool-call delta) and the
  // prompt's tokens as the stream's start gave them or estimated (Source::estimated).
  api::Usage streamed_usage() const;
  api::FinishReason finish() const { return finish_; }
  Nanos first_token() const { return first_token_; }
  std::optional<int> retry_after_s() const { return retry_after_; }
  const std::optional<api::ApiError>& stream_error() const { return stream_error_; }
  // The last attempt's error answer (a non-2xx status), as the upstream put it.
  const std::optional<api::ApiError>& upstream_error() const { return upstream_error_; }
  // Forget a failed attempt's partial state before the next one (nothing was sent).
  void reset_attempt();
  // Upstream secrets to take out of what upstreams say (error messages) before the client sees it.
  void scrub_with(const std::vector<std::string>* secrets) { secrets_ = secrets; }
  // For an attempt on redacted text: put the original values back into the answer,
  // placeholders split across chunks included. nullptr: no restoring.
  void restore_with(const privacy::RedactionMap* map);

 private:
  asio::awaitable<bool> start();  // begins the client's stream once
  asio::awaitable<void> end();

  net::ResponseWriter& w_;
  const api::ServerCodec& ingress_;
  const api::ChatRequest& req_;
  api::ResponseMeta meta_;
  std::unique_ptr<api::StreamEncoder> encoder_;
  bool encoder_fresh_ = false;  // nothing encoded yet: the next attempt can keep it
  std::string pending_;
  bool started_ = false;
  bool saw_events_ = false;
  // For non-streamed answers: assembled here.
  api::ChatResponse whole_;
  api::Usage usage_;
  api::Usage start_usage_;  // what the stream's start reported (Anthropic message_start: the prompt)
  api::FinishReason finish_ = api::FinishReason::none;
  Nanos first_token_ = 0;
  std::int64_t token_deltas_ = 0;
  std::optional<int> retry_after_;
  std::optional<api::ApiError> stream_error_;
  std::optional<api::ApiError> upstream_error_;
  const std::vector<std::string>* secrets_ = nullptr;
  const privacy::RedactionMap* restore_map_ = nullptr;
  std::map<std::pair<int, int>, privacy::Restorer> restorers_;  // (event kind, tool index) -> stream restorer

  // Restores one delta's text in place; false when nothing can be emitted yet.
  bool restore(api::StreamEvent& e);
  // Text still held back by the restorers, as deltas to emit before the finish.
  std::vector<api::StreamEvent> drain_restorers();
  void apply(api::StreamEvent& e, Nanos t);
};

}  // namespace llmux::gateway
