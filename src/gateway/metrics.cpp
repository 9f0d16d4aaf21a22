#include "gateway/metrics.hpp"

#include <cstdio>

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

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// "{a="x"}" -> "{a="x",le="0.5"}"
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
}  // namespace

void CounterFamily::add(const Labels& labels, double v) {
  auto& key = key_buffer();
  render_labels(labels, key);
  std::lock_guard lock(mu_);
  entry(values_, key) += v;
}

void CounterFamily::set(const Labels& labels, double v) {
  auto& key = key_buffer();
  render_labels(labels, key);
  std::lock_guard lock(mu_);
  entry(values_, key) = v;
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
  for (const auto& [labels, v] : values_) out += name_ + labels + " " + number(v) + "\n";
}

void HistogramFamily::observe(const Labels& labels, double v) {
  auto& key = key_buffer();
  render_labels(labels, key);
  std::lock_guard lock(mu_);
  auto& s = entry(series_, key);
  if (s.buckets.empty()) s.buckets.assign(bounds_.size(), 0);
  for (std::size_t i = 0; i < bounds_.size(); ++i)
    if (v <= bounds_[i]) ++s.buckets[i];
  ++s.count;
  s.sum += v;
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
    for (std::size_t i = 0; i < bounds_.size(); ++i)
      out += name_ + "_bucket" + with_le(labels, number(bounds_[i])) + " " + std::to_string(s.buckets[i]) + "\n";
    out += name_ + "_bucket" + with_le(labels, "+Inf") + " " + std::to_string(s.count) + "\n";
    out += name_ + "_sum" + labels + " " + number(s.sum) + "\n";
    out += name_ + "_count" + labels + " " + std::to_string(s.count) + "\n";
  }
}

Metrics::Metrics()
    : requests("llmux_requests_total", "Requests answered, by route, deployment and HTTP status."),
      tokens("llmux_tokens_total", "Tokens processed, by deployment and type (input, output)."),
      cost("llmux_cost_usd_total", "Cost in USD, by deployment and locality."),
      upstream_errors("llmux_upstream_errors_total", "Failed upstream attempts, by deployment and kind."),
      retries("llmux_retries_total", "Retries of an upstream attempt, by deployment."),
      fallbacks("llmux_fallbacks_total", "Fallbacks from one deployment to the next."),
      in_flight_gauge("llmux_in_flight_requests", "Requests in flight, by deployment."),
      breaker("llmux_breaker_state", "Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open."),
      duration("gen_ai_client_operation_duration_seconds", "GenAI operation duration (end to end).", kSeconds),
      ttft("gen_ai_server_time_to_first_token_seconds", "Time to the first generated token.", kSeconds),
      token_usage("gen_ai_client_token_usage", "Tokens per request, by gen_ai_token_type.", kTokens) {}

void Metrics::request_finished(const RequestMetricsEvent& e) {
  char status[8];
  std::snprintf(status, sizeof status, "%d", e.status);
  requests.add({{"route", e.route}, {"deployment", e.deployment}, {"status", status}});
  if (e.error_kind.empty())
    duration.observe({{"gen_ai_operation_name", "chat"}, {"gen_ai_request_model", e.route},
                      {"gen_ai_response_model", e.model}, {"llmux_deployment", e.deployment}},
                     e.duration_s);
  else
    duration.observe({{"gen_ai_operation_name", "chat"}, {"gen_ai_request_model", e.route},
                      {"gen_ai_response_model", e.model}, {"llmux_deployment", e.deployment},
                      {"error_type", e.error_kind}},
                     e.duration_s);
  if (e.error_kind.empty() && e.ttft_s > 0)
    ttft.observe({{"gen_ai_request_model", e.route}, {"llmux_deployment", e.deployment}}, e.ttft_s);
  if (e.input_tokens || e.output_tokens) {
    tokens.add({{"deployment", e.deployment}, {"type", "input"}}, static_cast<double>(e.input_tokens));
    tokens.add({{"deployment", e.deployment}, {"type", "output"}}, static_cast<double>(e.output_tokens));
    token_usage.observe({{"gen_ai_token_type", "input"}, {"gen_ai_request_model", e.route}}, static_cast<double>(e.input_tokens));
    token_usage.observe({{"gen_ai_token_type", "output"}, {"gen_ai_request_model", e.route}}, static_cast<double>(e.output_tokens));
  }
  if (e.cost_usd > 0) cost.add({{"deployment", e.deployment}, {"locality", e.locality}}, e.cost_usd);
}

void Metrics::upstream_error(const std::string& deployment, const std::string& kind) {
  upstream_errors.add({{"deployment", deployment}, {"kind", kind}});
}

void Metrics::retry(const std::string& deployment) { retries.add({{"deployment", deployment}}); }

void Metrics::fallback(const std::string& from, const std::string& to) { fallbacks.add({{"from", from}, {"to", to}}); }

void Metrics::in_flight(const std::string& deployment, int delta) {
  in_flight_gauge.add({{"deployment", deployment}}, delta);
}

void Metrics::breaker_state(const std::string& deployment, int state) {
  breaker.set({{"deployment", deployment}}, state);
}

std::string Metrics::render() const {
  std::string out;
  requests.render(out, "counter");
  tokens.render(out, "counter");
  cost.render(out, "counter");
  upstream_errors.render(out, "counter");
  retries.render(out, "counter");
  fallbacks.render(out, "counter");
  in_flight_gauge.render(out, "gauge");
  breaker.render(out, "gauge");
  duration.render(out);
  ttft.render(out);
  token_usage.render(out);
  out += "# HELP llmux_gateway_overhead_seconds Time spent in the gateway per request, upstream waits excluded.\n"
         "# TYPE llmux_gateway_overhead_seconds summary\n";
  for (double q : {0.5, 0.9, 0.99, 0.999})
    out += "llmux_gateway_overhead_seconds{quantile=\"" + std::string(q == 0.5 ? "0.5" : q == 0.9 ? "0.9" : q == 0.99 ? "0.99" : "0.999") + "\"} " +
           number(static_cast<double>(overhead_ns.quantile(q)) / 1e9) + "\n";
  out += "llmux_gateway_overhead_seconds_count " + std::to_string(overhead_ns.count()) + "\n";
  out += "llmux_gateway_overhead_seconds_sum " + number(overhead_ns.mean() * static_cast<double>(overhead_ns.count()) / 1e9) + "\n";
  return out;
}

}  // namespace llmux::gateway
