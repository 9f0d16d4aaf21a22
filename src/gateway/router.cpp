#include "gateway/router.hpp"

#include <algorithm>

#include "gateway/deployment_state.hpp"

namespace llmux::gateway {

namespace {

// Priority order: lower priority value first, then the route's own order (names are
// unique, so the order is total and a plain sort is stable enough).
void sort_by_priority(std::vector<const Deployment*>& v, const RouteConfig& route) {
  auto index = [&](const Deployment* d) {
    return std::find(route.deployments.begin(), route.deployments.end(), d->config->name) - route.deployments.begin();
  };
  std::sort(v.begin(), v.end(), [&](const Deployment* a, const Deployment* b) {
    if (a->config->priority != b->config->priority) return a->config->priority < b->config->priority;
    return index(a) < index(b);
  });
}

std::size_t pick_weighted(const std::vector<const Deployment*>& v, std::mt19937_64& rng) {
  double total = 0;
  for (const auto* d : v) total += std::max(0, d->config->weight);
  if (total <= 0) return 0;
  double x = std::uniform_real_distribution<double>(0, total)(rng);
  for (std::size_t i = 0; i < v.size(); ++i) {
    x -= std::max(0, v[i]->config->weight);
    if (x < 0) return i;
  }
  return v.size() - 1;
}

std::size_t pick_least_outstanding(const std::vector<const Deployment*>& v) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < v.size(); ++i)
    if (v[i]->state->in_flight.load() < v[best]->state->in_flight.load()) best = i;
  return best;
}

// Lowest TTFT moving average; a deployment never measured goes first, to learn it.
std::size_t pick_lowest_latency(const std::vector<const Deployment*>& v) {
  std::size_t best = 0;
  auto score = [](const Deployment* d) { return d->state->ever_measured.load() ? d->state->ttft_ewma_ms.load() : -1.0; };
  for (std::size_t i = 1; i < v.size(); ++i)
    if (score(v[i]) < score(v[best])) best = i;
  return best;
}

}  // namespace

RouteChoice choose_deployments(const Snapshot& snap, const RouteConfig& route, std::mt19937_64& rng,
                               const DeploymentFilter& filter) {
  RouteChoice choice;
  std::vector<const Deployment*> ok;
  for (const auto& name : route.deployments) {
    const Deployment* d = snap.deployment(name);
    if (!d) continue;
    std::string why;
    // Open breakers are judged at dispatch, where the cooldown decides on a probe.
    if (filter && !filter(*d, why)) choice.skipped.push_back(name + ": " + why);
    else if (!d->state->healthy.load()) choice.skipped.push_back(name + ": failed its health check");
    else ok.push_back(d);
  }
  sort_by_priority(ok, route);
  if (ok.size() > 1) {
    std::size_t first = 0;
    if (route.strategy == Strategy::weighted) first = pick_weighted(ok, rng);
    else if (route.strategy == Strategy::least_outstanding) first = pick_least_outstanding(ok);
    else if (route.strategy == Strategy::lowest_latency) first = pick_lowest_latency(ok);
    std::rotate(ok.begin(), ok.begin() + static_cast<long>(first), ok.begin() + static_cast<long>(first) + 1);
  }
  choice.order = std::move(ok);
  return choice;
}

}  // namespace llmux::gateway
