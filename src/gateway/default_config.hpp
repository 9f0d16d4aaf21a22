#pragma once
// The configuration `llmux serve` uses without a file: every model of every local
// runtime found on its usual port (route alias = model id), each cloud provider
// whose key is in the environment (alias "<provider>/<model>"), an SQLite ledger
// in the user's data directory, no keys, loopback only.
#include <vector>

#include "gateway/config.hpp"
#include "providers/detect.hpp"

namespace llmux::gateway {

GatewayConfig default_config(const std::vector<providers::DetectedRuntime>& local,
                             const std::vector<providers::CloudKey>& cloud);

}  // namespace llmux::gateway
