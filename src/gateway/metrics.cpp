#include "gateway/metrics.hpp"

#include <algorithm>
#include <cstdio>

#include "core/text.hpp"

namespace llmux::gateway {

namespace {

// The calling thread's buffer for rendering a series key.
std::string& key_buffer() {
  thread_local std::string buf;
  return buf;
}

void append_escaped(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

// "{a="x"}" -> "{a="x",le="0.5"}". Prometheus reads any float, but `le` labels are matched
// as text: {le="0.1"} must be what is written, so every number here is shortest_number's.
std::string with_le(const std::string& labels, const std::string& le) {
  if (labels.empty()) return "{le=\"" + le + "\"}";
  return labels.substr(0, labels.size() - 1) + ",le=\"" + le + "\"}";
}

const std::vector<double> kSeconds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
const std::vector<double> kTokens = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576};

}  // namespace

void render_labels(const Labels& labels, std::string& out) {
  out.clear();
  if (labels.size() == 0) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    append_escaped(out, value);
    out += '"';
  }
  out += '}';
}

namespace {
// The map entry for `key`, created on first use (the only allocation).
template <class Map>
typename Map::mapped_type& entry(Map& m, const std::string& key) {
  auto it = m.find(std::string_view(key));
  if (it == m.end()) it = m.emplace(key, typename Map::mapped_type{}).first;
  return it->second;
}

// The series for `labels` in a family's map, created on first use; map nodes never
// move, so the pointer stays valid as long as the family.
template <class Map>
typename Map::mapped_type* series_in(Map& m, std::mutex& mu, const Labels& labels) {
  auto& key = key_buffer();
  render_labels(labels, key);
  std::lock_guard lock(mu);
  return &entry(m, key);
}
}  // namespace

void CounterFamily::add(const Labels& labels, double v) { add(slot(labels), v); }

double* CounterFamily::slot(const Labels& labels) { return series_in(values_, mu_, labels); }

void CounterFamily::add(double* slot, double v) {
  std::lock_guard lock(mu_);
  *slot += v;
}

double CounterFamily::value(const Labels& labels) const {
  auto& key = key_buffer();
  render_labels(labels, key);
  std::lock_guard lock(mu_);
  auto it = values_.find(std::string_view(key));
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily::render(std::string& out, const char* type) const {
  std::lock_guard lock(mu_);
  out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " " + type + "\n";
  for (const auto& [labels, v] : values_) out += name_ + labels + " " + shortest_number(v) + "\n";
}

void HistogramFamily::observe(const Labels& labels, double v) { observe(series(labels), v); }

HistogramFamily::Series* HistogramFamily::series(const Labels& labels) { return series_in(series_, mu_, labels); }

void HistogramFamily::observe(Series* s, double v) {
  std::lock_guard lock(mu_);
  if (s->buckets.empty()) s->buckets.assign(bounds_.size(), 0);
  // The first bound >= v; values above every bound count only in +Inf (count).
  auto i = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  if (i < s->buckets.size()) ++s->buckets[i];
  ++s->count;
  s->sum += v;
}

std::uint64_t HistogramFamily::count(const Labels& labels) const {
  auto& key = key_buffer();
  render_labels(labels, key);
  std::lock_guard lock(mu_);
  auto it = series_.find(std::string_view(key));
  return it == series_.end() ? 0 : it->second.count;
}

void HistogramFamily::render(std::string& out) const {
  std::lock_guard lock(mu_);
  out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " histogram\n";
  for (const auto& [labels, s] : series_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += s.buckets[i];
      out += name_ + "_bucket" + with_le(labels, shortest_number(bounds_[i])) + " " + std::to_string(cumulative) + "\n";
    }
    out += name_ + "_bucket" + with_le(labels, "+Inf") + " " + std::to_string(s.count) + "\n";
    out += name_ + "_sum" + labels + " " + shortest_number(s.sum) + "\n";
    out += name_ + "_count" + labels + " " + std::to_string(s.count) + "\n";
  }
}

namespace {

std::atomic<std::uint64_t> next_metrics_id{1};

// The series one kind of request updates, resolved once per thread and kind: steady
// traffic repeats the same route, deployment and status, so most requests skip
// rendering and looking up ten label sets. Each handle is resolved on first use, so a
// series appears only once it has a value, as before.
struct RequestSeries {
  std::uint64_t metrics_id = 0;
  std::string identity;  // the event's label values, '\x1f'-separated
  double* requests = nullptr;
  HistogramFamily::Series* duration = nullptr;
  HistogramFamily::Series* ttft = nullptr;
  double* tokens_in = nullptr;
  double* tokens_out = nullptr;
  HistogramFamily::Series* usage_in = nullptr;
  HistogramFamily::Series* usage_out = nullptr;
  double* cost = nullptr;
};

RequestSeries& series_for(std::uint64_t metrics_id, const RequestMetricsEvent& e, std::string_view status) {
  thread_local RequestSeries cache;
  thread_local std::string identity;
  identity.clear();
  for (std::string_view part : {e.operation, e.route, e.deployment, e.model, e.locality, status, e.error_kind, e.provider}) {
    identity += part;
    identity += '\x1f';
  }
  if (cache.metrics_id != metrics_id || cache.identity != identity) {
    cache = RequestSeries{};
    cache.metrics_id = metrics_id;
    cache.identity = identity;
  }
  return cache;
}

}  // namespace

Metrics::Metrics()
    : requests("llmux_requests_total", "Requests answered, by route, deployment and HTTP status."),
      tokens("llmux_tokens_total", "Tokens processed, by deployment and type (input, output)."),
      cost("llmux_cost_usd_total", "Cost in USD, by deployment and locality."),
      upstream_errors("llmux_upstream_errors_total", "Failed upstream attempts, by deployment and kind."),
      retries("llmux_retries_total", "Retries of an upstream attempt, by deployment."),
      fallbacks("llmux_fallbacks_total", "Fallbacks from one deployment to the next."),
      duration("gen_ai_client_operation_duration_seconds", "GenAI operation duration (end to end).", kSeconds),
      ttft("gen_ai_server_time_to_first_token_seconds", "Time to the first generated token.", kSeconds),
      token_usage("gen_ai_client_token_usage", "Tokens per request, by gen_ai_token_type.", kTokens),
      id(next_metrics_id.fetch_add(1)) {}

void Metrics::request_finished(const RequestMetricsEvent& e) {
  char status_text[8];
  int n = std::snprintf(status_text, sizeof status_text, "%d", e.status);
  std::string_view status(status_text, static_cast<std::size_t>(std::max(0, n)));
  RequestSeries& s = series_for(id, e, status);
  if (!s.requests) s.requests = requests.slot({{"route", e.route}, {"deployment", e.deployment}, {"status", status}});
  requests.add(s.requests, 1);
  if (!s.duration) {
    if (e.error_kind.empty())
      s.duration = duration.series({{"gen_ai_operation_name", e.operation}, {"gen_ai_provider_name", e.provider},
                                    {"gen_ai_request_model", e.route}, {"gen_ai_response_model", e.model},
                                    {"llmux_deployment", e.deployment}});
    else
      s.duration = duration.series({{"gen_ai_operation_name", e.operation}, {"gen_ai_provider_name", e.provider},
                                    {"gen_ai_request_model", e.route}, {"gen_ai_response_model", e.model},
                                    {"llmux_deployment", e.deployment}, {"error_type", e.error_kind}});
  }
  duration.observe(s.duration, e.duration_s);
  if (e.error_kind.empty() && e.ttft_s > 0 && e.stream) {  // a whole answer's "first token" is its end
    if (!s.ttft)
      s.ttft = ttft.series({{"gen_ai_provider_name", e.provider}, {"gen_ai_request_model", e.route},
                            {"llmux_deployment", e.deployment}});
    ttft.observe(s.ttft, e.ttft_s);
  }
  if (e.input_tokens || e.output_tokens) {
    if (!s.tokens_in) {
      s.tokens_in = tokens.slot({{"deployment", e.deployment}, {"type", "input"}});
      s.tokens_out = tokens.slot({{"deployment", e.deployment}, {"type", "output"}});
      s.usage_in = token_usage.series({{"gen_ai_provider_name", e.provider}, {"gen_ai_token_type", "input"},
                                       {"gen_ai_request_model", e.route}});
      s.usage_out = token_usage.series({{"gen_ai_provider_name", e.provider}, {"gen_ai_token_type", "output"},
                                        {"gen_ai_request_model", e.route}});
    }
    tokens.add(s.tokens_in, static_cast<double>(e.input_tokens));
    tokens.add(s.tokens_out, static_cast<double>(e.output_tokens));
    token_usage.observe(s.usage_in, static_cast<double>(e.input_tokens));
    token_usage.observe(s.usage_out, static_cast<double>(e.output_tokens));
  }
  if (e.cost_usd > 0) {
    if (!s.cost) s.cost = cost.slot({{"deployment", e.deployment}, {"locality", e.locality}});
    cost.add(s.cost, e.cost_usd);
  }
}

void Metrics::upstream_error(const std::string& deployment, const std::string& kind) {
  upstream_errors.add({{"deployment", deployment}, {"kind", kind}});
}

void Metrics::retry(const std::string& deployment) { retries.add({{"deployment", deployment}}); }

void Metrics::fallback(const std::string& from, const std::string& to) { fallbacks.add({{"from", from}, {"to", to}}); }

std::string Metrics::render(const std::vector<DeploymentGauges>& deployments) const {
  std::string out;
  requests.render(out, "counter");
  tokens.render(out, "counter");
  cost.render(out, "counter");
  upstream_errors.render(out, "counter");
  retries.render(out, "counter");
  fallbacks.render(out, "counter");
  auto gauge = [&](const char* name, const char* help, int DeploymentGauges::*field) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n";
    std::string labels;
    for (const auto& d : deployments) {
      render_labels({{"deployment", d.name}}, labels);
      out += name + labels + " " + std::to_string(d.*field) + "\n";
    }
  };
  gauge("llmux_in_flight_requests", "Requests in flight, by deployment.", &DeploymentGauges::in_flight);
  gauge("llmux_breaker_state", "Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.",
        &DeploymentGauges::breaker);
  duration.render(out);
  ttft.render(out);
  token_usage.render(out);
  out += "# HELP llmux_gateway_overhead_seconds Time spent in the gateway per request, upstream waits excluded.\n"
         "# TYPE llmux_gateway_overhead_seconds summary\n";
  for (double q : {0.5, 0.9, 0.99, 0.999})
    out += "llmux_gateway_overhead_seconds{quantile=\"" + std::string(q == 0.5 ? "0.5" : q == 0.9 ? "0.9" : q == 0.99 ? "0.99" : "0.999") + "\"} " +
           shortest_number(static_cast<double>(overhead_ns.quantile(q)) / 1e9) + "\n";
  out += "llmux_gateway_overhead_seconds_count " + std::to_string(overhead_ns.count()) + "\n";
  out += "llmux_gateway_overhead_seconds_sum " + shortest_number(overhead_ns.mean() * static_cast<double>(overhead_ns.count()) / 1e9) + "\n";
  return out;
}

}  // namespace llmux::gateway
