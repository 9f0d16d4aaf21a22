#pragma once
// Sends canonical chat requests to an Endpoint and delivers canonical events as
// they arrive, timestamped. Shared by bench (which measures) and gateway (which
// relays). One ChatClient per io_context thread.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "api/types.hpp"
#include "net/http_client.hpp"
#include "providers/endpoint.hpp"

namespace llmux::providers {

class ChatObserver {
 public:
  virtual ~ChatObserver() = default;
  virtual void on_sent(Nanos /*t*/) {}
  virtual void on_head(int /*status*/, const net::Headers& /*headers*/, Nanos /*t*/) {}
  // A non-2xx answer, decoded from the upstream's error body (before send returns the error).
  virtual void on_error_body(const api::ApiError& /*error*/) {}
  // Decoded events that arrived together at time t. The observer may move from them.
  virtual void on_events(std::vector<api::StreamEvent>& events, Nanos t) = 0;
  // Return false to stop reading (the request is abandoned, the connection closed).
  virtual bool keep_reading() { return true; }
  // After each batch of events but the last (the caller finishes that one when the call
  // returns): asynchronous work such as relaying them to a client.
  virtual asio::awaitable<bool> flush() { co_return true; }
};

class ChatClient;

// One request outside any running loop (a model lookup, /api/show, /tokenize): run to
// completion on a private loop with a client made from `options`; a raised `stop`
// (Ctrl-C) cancels it (ErrorCode::cancelled).
using SideRequest = std::function<asio::awaitable<Result<net::HttpResponse>>(ChatClient&, net::CancelSignal*)>;
Result<net::HttpResponse> run_side_request(const SideRequest& request, const net::ClientOptions& options,
                                           const std::atomic<bool>* stop = nullptr);

class ChatClient {
 public:
  ChatClient(asio::any_io_executor executor, net::ClientOptions options = {});
  ~ChatClient();

  // Streams (or, with request.stream == false, fetches) one chat request. Transport
  // failures, non-2xx statuses (Error::http_status set, message from the body),
  // malformed bytes and truncated streams are errors; error events inside a stream
  // reach the observer.
  asio::awaitable<Result<void>> send(const Endpoint& ep, const api::ChatRequest& request, ChatObserver& observer,
                                     net::CancelSignal* cancel = nullptr);
  // Plain GET/POST helpers for side endpoints (/models, /tokenize, /health).
  asio::awaitable<Result<net::HttpResponse>> get(const Endpoint& ep, std::string_view path,
                                                 net::CancelSignal* cancel = nullptr);
  asio::awaitable<Result<net::HttpResponse>> post_json(const Endpoint& ep, std::string_view path,
                                                       std::string body, net::CancelSignal* cancel = nullptr);
  net::HttpClient& http() { return *http_; }

 private:
  std::unique_ptr<net::HttpClient> http_;
};

}  // namespace llmux::providers
