#pragma once
// Which deployments may take a request, and in which order to try them: the
// route's strategy picks the first; the rest follow by priority, as fallbacks.
// Deployments whose breaker is open or that failed their health check are left
// out, as are those a filter (privacy) rejects.
#include <functional>
#include <random>
#include <vector>

#include "gateway/snapshot.hpp"

namespace llmux::gateway {

struct RouteChoice {
  std::vector<const Deployment*> order;  // try in this order
  std::vector<std::string> skipped;      // "name: why" for the ones left out
};

using DeploymentFilter = std::function<bool(const Deployment&, std::string& why)>;

RouteChoice choose_deployments(const Snapshot& snap, const RouteConfig& route, std::mt19937_64& rng,
                               const DeploymentFilter& filter = {});

}  // namespace llmux::gateway
