#pragma once
// The gateway's configuration (llmux.toml), parsed once into plain structs and
// validated once; afterwards it is trusted. Every problem is reported with
// file:line; unknown keys are errors.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/codec.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "gateway/budgets.hpp"
#include "privacy/policy.hpp"
#include "privacy/scanner.hpp"

namespace llmux::gateway {

enum class Locality { local, cloud };
std::string_view to_string(Locality l);

enum class Strategy { priority, weighted, least_outstanding, lowest_latency };
std::string_view to_string(Strategy s);

struct DeploymentConfig {
  std::string name;
  std::string provider;              // preset name, if any
  std::string url;                   // base URL (".../v1")
  api::Dialect dialect = api::Dialect::openai;
  std::string model;                 // model id upstream
  std::string api_key_env;           // environment variable holding the key
  std::string api_key_file;          // or a file holding it
  Locality locality = Locality::cloud;
  bool locality_inferred = false;    // not written in the file
  std::optional<double> price_input, price_output, price_cached_input;  // USD per 1M tokens
  int max_concurrent = 0;            // 0: no limit
  int max_queue = 64;                // waiting requests when at max_concurrent
  Nanos timeout = 600 * kNanosPerSecond;
  Nanos connect_timeout = 10 * kNanosPerSecond;
  Nanos read_timeout = 120 * kNanosPerSecond;
  int weight = 1;
  int priority = 0;                  // lower runs first under the priority strategy
  Nanos health_interval = 15 * kNanosPerSecond;  // 0: no active checks
  std::vector<std::string> headers;  // "Name: value"
  bool accepts_ignore_eos = false;
  int line = 0;
};

struct RouteConfig {
  std::string alias;                 // the model name clients ask for
  std::vector<std::string> deployments;
  Strategy strategy = Strategy::priority;
  int retries = 1;                   // per deployment, before falling back to the next
  Nanos retry_backoff = 100 * kNanosPerMilli;
  int line = 0;
};

struct KeyConfig {
  std::string id;
  std::string team;
  std::string sha256_hex;            // of the secret; the secret itself is never stored
  std::vector<std::string> routes;   // allowed aliases; empty: all
  int line = 0;
};

struct ServerSection {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;
  int threads = 1;
  std::size_t max_body_bytes = 8u << 20;
  std::size_t max_header_bytes = 64u << 10;
  std::size_t max_connections = 20000;
  Nanos idle_timeout = 75 * kNanosPerSecond;
  Nanos request_timeout = 600 * kNanosPerSecond;  // whole request, all attempts
  Nanos shutdown_grace = 10 * kNanosPerSecond;    // a stop waits this long for requests in flight
  Nanos busy_poll = 0;                            // see net::IoPool
};

struct LedgerSection {
  bool enabled = true;
  std::string path;                  // default: $XDG_DATA_HOME/llmux/ledger.db
  Nanos commit_interval = 200 * kNanosPerMilli;
};

struct AdminSection {
  bool enabled = false;
  std::string key_env = "LLMUX_ADMIN_KEY";
};

struct BreakerSection {
  int failures = 5;                  // consecutive failures that open a deployment's breaker
  Nanos cooldown = 30 * kNanosPerSecond;
};

struct LogSection {
  std::string access = "stderr";     // "stderr", "off", or a file path (JSON lines)
};

struct GatewayConfig {
  std::string source;                // the file, or "(built-in default)"
  ServerSection server;
  LedgerSection ledger;
  AdminSection admin;
  BreakerSection breaker;
  LogSection log;
  std::vector<DeploymentConfig> deployments;
  std::vector<RouteConfig> routes;
  std::vector<KeyConfig> keys;
  std::vector<BudgetConfig> budgets;
  std::optional<privacy::PrivacyConfig> privacy;   // [privacy]: absent means no scanning
  std::shared_ptr<const privacy::Scanner> scanner;  // compiled from `privacy` (validated at load)

  const DeploymentConfig* deployment(std::string_view name) const;
  const RouteConfig* route(std::string_view alias) const;
};

using Problems = std::vector<Error>;

// Parses and validates; on failure, every problem found.
tl::expected<GatewayConfig, Problems> parse_config(std::string_view text, const std::string& source);
tl::expected<GatewayConfig, Problems> load_config(const std::string& path);

// The deployment's secret, from its variable or file, read now (empty when it has
// none); never logged. Serve fails without it; `config check` warns.
Result<std::string> read_secret(const DeploymentConfig& d);

// The default ledger location: $XDG_DATA_HOME/llmux/ledger.db or ~/.local/share/llmux/ledger.db.
std::string default_ledger_path();

}  // namespace llmux::gateway
