#include "sim/server.hpp"

#include <atomic>
#include <cstdio>

#include "core/json_writer.hpp"
#include "net/http_server.hpp"
#include "sim/batch_engine.hpp"
#include "sim/responder.hpp"
#include "sim/routes.hpp"
#include "sim/tokenizer.hpp"

namespace llmux::sim {

std::string SimStats::lateness_warning(std::int64_t limit_ns) const {
  if (lateness_count < 100 || lateness_p99 <= limit_ns) return {};
  char text[320];
  std::snprintf(text, sizeof text,
                "token writes ran %.1f ms late at p99 (max %.1f ms, over %llu writes), more than %.1f ms: "
                "the sim was past its capacity, so timings measured against it include that lateness "
                "(fewer streams or tokens/s per sim, or one sim per core; docs/sim.md, Capacity)",
                static_cast<double>(lateness_p99) / 1e6, static_cast<double>(lateness_max) / 1e6,
                static_cast<unsigned long long>(lateness_count), static_cast<double>(limit_ns) / 1e6);
  return text;
}

std::string SimStats::to_json() const {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .field("requests", static_cast<std::int64_t>(requests))
      .field("completed", static_cast<std::int64_t>(completed))
      .field("faults_injected", static_cast<std::int64_t>(faults_injected))
      .field("rejected", static_cast<std::int64_t>(rejected))
      .field("client_gone", static_cast<std::int64_t>(client_gone))
      .field("active_streams", active_streams)
      .field("peak_streams", peak_streams)
      .field("tokens", static_cast<std::int64_t>(tokens))
      .field("dialect", dialect);
  w.key("timing_error_us").begin_object()
      .field("count", static_cast<std::int64_t>(lateness_count))
      .field("mean", lateness_mean / 1e3)
      .field("p50", static_cast<double>(lateness_p50) / 1e3)
      .field("p99", static_cast<double>(lateness_p99) / 1e3)
      .field("p999", static_cast<double>(lateness_p999) / 1e3)
      .field("max", static_cast<double>(lateness_max) / 1e3)
      .end_object();
  w.end_object();
  return out;
}

SimServer::SimServer(SimOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

SimServer::~SimServer() { stop(0); }

Result<void> SimServer::start() {
  if (auto v = validate(impl_->opts); !v) return v;
  net::ServerOptions so;
  so.host = impl_->opts.host;
  so.port = impl_->opts.port;
  so.threads = impl_->opts.threads;
  so.max_connections = 100000;
  so.server = std::string(api::kSimServerName) + (impl_->opts.profile == ProfileKind::batch ? " (batch profile)" : " (fixed profile)");
  impl_->http = std::make_unique<net::HttpServer>(
      so, [im = impl_.get()](net::ServerRequest& req, net::ResponseWriter& w) { return im->handle(req, w); });
  return impl_->http->start();
}

std::uint16_t SimServer::port() const { return impl_->http ? impl_->http->port() : 0; }

std::string SimServer::base_url() const {
  std::string host = impl_->opts.host == "0.0.0.0" ? "127.0.0.1" : impl_->opts.host;
  return "http://" + host + ":" + std::to_string(port()) + std::string(base_path(impl_->opts.dialect));
}

void SimServer::stop(Nanos grace) {
  if (!impl_->http) return;
  impl_->http->stop(grace);  // threads joined: nothing runs on the loop any more
  impl_->engine.reset();     // its timers go before the loop they belong to
  impl_->pacers.clear();     // and so do the pacers, with the streams still waiting in them
  impl_->http.reset();
}

SimStats SimServer::stats() const { return impl_->snapshot(); }

std::vector<std::string> SimServer::received() const {
  std::lock_guard lock(impl_->received_mu);
  return impl_->received;
}

void SimServer::reset_stats() { impl_->lateness.reset(); }

}  // namespace llmux::sim
