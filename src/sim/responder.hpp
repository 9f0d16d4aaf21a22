#pragma once
// Private to sim/: the server's state and request handlers.
#include <atomic>
#include <mutex>
#include <memory>

#include "api/codec.hpp"
#include "core/histogram.hpp"
#include "net/http_server.hpp"
#include "sim/batch_engine.hpp"
#include "sim/generation.hpp"
#include "sim/pacer.hpp"
#include "sim/server.hpp"

namespace llmux::sim {

struct SimServer::Impl {
  explicit Impl(SimOptions o);

  SimOptions opts;
  std::unique_ptr<api::ServerCodec> codec;         // the dialect the sim serves
  std::unique_ptr<api::ServerCodec> openai_codec;  // /v1 paths of an Ollama sim, /tokenize
  std::unique_ptr<BatchEngine> engine;       // batch profile only; created on the loop thread
  std::mutex pacers_mu;
  std::vector<std::unique_ptr<Pacer>> pacers;  // one per loop thread, created there on first use
  std::unique_ptr<net::HttpServer> http;     // declared last: stopped and destroyed first
  Histogram lateness;
  std::atomic<std::uint64_t> requests{0}, completed{0}, faults{0}, rejected{0}, client_gone{0}, tokens{0};
  std::atomic<std::uint64_t> counter{0};
  std::atomic<std::int64_t> active{0}, peak{0};
  std::mutex received_mu;
  std::vector<std::string> received;  // request bodies, with opts.record (bounded)

  asio::awaitable<void> handle(net::ServerRequest& req, net::ResponseWriter& w);
  SimStats snapshot() const;
  // The pacer of the loop `ex` belongs to.
  Pacer& pacer_for(const asio::any_io_executor& ex);

 private:
  // Each request is answered by one codec: the sim's dialect, or OpenAI for an Ollama sim's /v1.
  asio::awaitable<void> generate(net::ServerRequest& req, net::ResponseWriter& w, const api::ServerCodec& c);
  asio::awaitable<void> send_error(net::ResponseWriter& w, int status, std::string type, std::string message,
                                   const net::Headers* extra = nullptr, const api::ServerCodec* c = nullptr);
  asio::awaitable<void> stream_fixed(Generation& g, const api::ServerCodec& c, net::ResponseWriter& w, Nanos start);
  asio::awaitable<void> stream_batch(Generation& g, const api::ServerCodec& c, net::ResponseWriter& w,
                                     std::shared_ptr<Sequence> seq, Nanos start);
  asio::awaitable<void> answer_whole(Generation& g, const api::ServerCodec& c, net::ResponseWriter& w, Nanos start,
                                     std::shared_ptr<Sequence> seq);
  asio::awaitable<void> tokenize(net::ServerRequest& req, net::ResponseWriter& w);
  // An Anthropic sim's POST /v1/messages/count_tokens: the prompt tokens a /v1/messages
  // request with this body would report.
  asio::awaitable<void> count_message_tokens(net::ServerRequest& req, net::ResponseWriter& w);
  void record(const std::string& body);  // with --record: kept for GET /sim/received
  asio::awaitable<void> show(net::ServerRequest& req, net::ResponseWriter& w);  // Ollama's /api/show
  asio::awaitable<void> embeddings(net::ServerRequest& req, net::ResponseWriter& w);
  Nanos gap(int tokens, TextGenerator& rng) const;
  void stream_started();
  void stream_ended();
};

}  // namespace llmux::sim
