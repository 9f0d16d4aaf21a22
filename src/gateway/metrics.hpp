#pragma once
// In-process metrics rendered in the Prometheus text format at /metrics. Names
// follow the OpenTelemetry GenAI semantic conventions where they exist
// (gen_ai.client.operation.duration, gen_ai.client.token.usage,
// gen_ai.server.time_to_first_token), with llmux_ names for the rest.
#include <array>
#include <initializer_list>
#include <string_view>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/histogram.hpp"

namespace llmux::gateway {

// Label pairs as views: a series' key is rendered into a reused buffer and looked
// up without allocating, so counting a request costs no heap traffic once its
// series exist.
using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help) : name_(std::move(name)), help_(std::move(help)) {}
  void add(const Labels& labels, double v = 1);
  double value(const Labels& labels) const;
  void render(std::string& out, const char* type) const;
  // A series' value slot, created at zero; it stays valid as long as the family.
  // add(slot, v) then skips rendering and looking up the labels.
  double* slot(const Labels& labels);
  void add(double* slot, double v);

 private:
  std::string name_, help_;
  mutable std::mutex mu_;
  std::map<std::string, double, std::less<>> values_;  // rendered label set -> value
};

class HistogramFamily {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<double> bounds)
      : name_(std::move(name)), help_(std::move(help)), bounds_(std::move(bounds)) {}
  void observe(const Labels& labels, double v);
  std::uint64_t count(const Labels& labels) const;
  void render(std::string& out) const;

  struct Series {
    std::vector<std::uint64_t> buckets;  // per bucket, not cumulative (render adds them up)
    std::uint64_t count = 0;
    double sum = 0;
  };
  // As CounterFamily::slot: a stable handle for observe(series, v).
  Series* series(const Labels& labels);
  void observe(Series* s, double v);

 private:
  std::string name_, help_;
  std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<std::string, Series, std::less<>> series_;
};

// The route label of requests for a route the config does not have.
inline constexpr std::string_view kUnknownRouteLabel = "(unknown)";

// One finished request, as the metrics see it.
// Views into the caller's strings, which outlive the call.
struct RequestMetricsEvent {
  std::string_view operation = "chat";  // chat, text_completion, embeddings
  std::string_view route, deployment, locality, model;
  int status = 0;
  std::string_view error_kind;
  double duration_s = 0, ttft_s = 0;
  std::int64_t input_tokens = 0, output_tokens = 0;
  double cost_usd = 0;
  bool stream = false;
  std::string_view provider = {};  // gen_ai.provider.name (empty: no deployment was tried)
};

class Metrics {
 public:
  Metrics();
  void request_finished(const RequestMetricsEvent& e);
  void upstream_error(const std::string& deployment, const std::string& kind);
  void retry(const std::string& deployment);
  void fallback(const std::string& from, const std::string& to);
  // A deployment's gauges as they are now (read at scrape time from its live state,
  // so that the request path does not update them).
  struct DeploymentGauges {
    std::string_view name;
    int in_flight = 0;
    int breaker = 0;  // 0 closed, 1 half-open, 2 open
  };
  std::string render(const std::vector<DeploymentGauges>& deployments) const;

  CounterFamily requests, tokens, cost, upstream_errors, retries, fallbacks;
  HistogramFamily duration, ttft, token_usage;
  // Time the gateway itself spends on a request: end to end minus the time spent
  // waiting on upstreams (parsing, routing, privacy, encoding, accounting, queueing).
  Histogram overhead_ns;
  const std::uint64_t id;  // tells the per-thread caches of series apart from another instance's
};

// {a="b",c="d"} with Prometheus escaping, into `out` (cleared first).
void render_labels(const Labels& labels, std::string& out);

}  // namespace llmux::gateway
