#pragma once
// llmux serve: one OpenAI-compatible gateway in front of local runtimes and
// cloud APIs. ingress codec -> authenticate -> resolve route -> pick ->
// dispatch with retries and fallback -> egress codec -> account (ledger, metrics).
#include <memory>
#include <string>

#include "core/error.hpp"
#include "gateway/config.hpp"

namespace llmux::gateway {

class Metrics;

// The client connections a process may hold under `descriptor_limit` (RLIMIT_NOFILE):
// each one may need a second descriptor for its upstream request, and the listener,
// the ledger, logs and event loops take some of their own. `configured` when it fits.
std::size_t connections_within(std::size_t configured, std::uint64_t descriptor_limit);

class Gateway {
 public:
  // `config_path` (may be empty) is re-read on reload() and watched for changes.
  static tl::expected<std::unique_ptr<Gateway>, Problems> create(GatewayConfig config, std::string config_path);
  ~Gateway();

  Result<void> start();
  std::uint16_t port() const;
  std::string base_url() const;
  // Re-reads the config file. On any problem the running config stays and the
  // problems are returned (and logged). Requests in flight finish on the config
  // they started with.
  tl::expected<void, Problems> reload();
  // Graceful: stops accepting, lets requests in flight finish (up to `grace`), ends
  // the ones still running with a proper answer (503, or an error event that closes the
  // stream) and their ledger rows, commits the ledger.
  void stop(Nanos grace = 10 * kNanosPerSecond);
  Nanos shutdown_grace() const;  // [server] shutdown_grace
  // A human summary of what is configured (printed at startup).
  std::string describe() const;
  Metrics& metrics();

  struct Impl;

 private:
  explicit Gateway(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmux::gateway
