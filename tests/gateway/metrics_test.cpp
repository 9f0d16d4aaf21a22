// The Prometheus text the gateway's metrics render: histogram buckets, the series a
// finished request updates, live gauges.
#include <gtest/gtest.h>

#include <string>

#include "gateway/metrics.hpp"

namespace llmux::gateway {
namespace {

// The value of one exact series line ("name{labels}"), or -1 when it is missing.
double value_of(const std::string& text, const std::string& series) {
  auto p = text.find("\n" + series + " ");
  if (p == std::string::npos) return -1;
  return std::stod(text.substr(p + series.size() + 2));
}

RequestMetricsEvent event(std::string_view route, std::string_view deployment, int status, double seconds) {
  RequestMetricsEvent e;
  e.route = route;
  e.deployment = deployment;
  e.model = "m";
  e.locality = "local";
  e.provider = "openai";
  e.status = status;
  e.duration_s = seconds;
  e.input_tokens = 10;
  e.output_tokens = 3;
  return e;
}

TEST(Metrics, HistogramBucketsAreCumulativeAndABoundCountsInItsOwnBucket) {
  Metrics m;
  for (double v : {0.003, 0.02, 0.025, 7.0, 1000.0}) m.request_finished(event("chat", "a", 200, v));
  auto text = m.render({});
  const std::string s = R"(gen_ai_client_operation_duration_seconds_bucket{gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="chat",gen_ai_response_model="m",llmux_deployment="a",le=")";
  // Bounds as written in a query ({le="0.005"}): the shortest text that reads back exactly.
  EXPECT_EQ(value_of(text, s + "0.005\"}"), 1) << text;
  EXPECT_EQ(value_of(text, s + "0.01\"}"), 1);
  EXPECT_EQ(value_of(text, s + "0.025\"}"), 3) << "0.025 is counted in le=0.025";
  EXPECT_EQ(text.find("0000000"), std::string::npos) << "no 0.10000000000000001: " << text;
  EXPECT_EQ(value_of(text, s + "10\"}"), 4);
  EXPECT_EQ(value_of(text, s + "300\"}"), 4) << "1000 s is above every bound";
  EXPECT_EQ(value_of(text, s + "+Inf\"}"), 5);
  EXPECT_NE(text.find("gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"chat\",gen_ai_response_model=\"m\",llmux_deployment=\"a\"} 5"),
            std::string::npos);
}

TEST(Metrics, EachKindOfRequestCountsInItsOwnSeries) {
  Metrics m;
  m.request_finished(event("chat", "a", 200, 0.1));
  m.request_finished(event("chat", "a", 200, 0.1));
  m.request_finished(event("chat", "b", 200, 0.1));
  auto failed = event("chat", "a", 502, 0.1);
  failed.error_kind = "http_500";
  m.request_finished(failed);
  m.request_finished(event("chat", "a", 200, 0.1));
  auto text = m.render({});
  EXPECT_EQ(value_of(text, R"(llmux_requests_total{route="chat",deployment="a",status="200"})"), 3) << text;
  EXPECT_EQ(value_of(text, R"(llmux_requests_total{route="chat",deployment="b",status="200"})"), 1);
  EXPECT_EQ(value_of(text, R"(llmux_requests_total{route="chat",deployment="a",status="502"})"), 1);
  EXPECT_EQ(value_of(text, R"(llmux_tokens_total{deployment="a",type="input"})"), 40);
  EXPECT_NE(text.find(R"(error_type="http_500")"), std::string::npos) << "a failure has its own duration series";
}

TEST(Metrics, TwoInstancesKeepTheirOwnCounts) {
  auto a = std::make_unique<Metrics>();
  a->request_finished(event("chat", "x", 200, 0.1));
  auto b = std::make_unique<Metrics>();  // a gateway started again in the same process
  b->request_finished(event("chat", "x", 200, 0.1));
  b->request_finished(event("chat", "x", 200, 0.1));
  const std::string series = R"(llmux_requests_total{route="chat",deployment="x",status="200"})";
  EXPECT_EQ(value_of(a->render({}), series), 1);
  EXPECT_EQ(value_of(b->render({}), series), 2);
  a.reset();
  auto c = std::make_unique<Metrics>();  // may reuse a's address
  c->request_finished(event("chat", "x", 200, 0.1));
  EXPECT_EQ(value_of(c->render({}), series), 1);
}

TEST(Metrics, GaugesShowTheDeploymentsGiven) {
  Metrics m;
  auto text = m.render({{"a", 3, 0}, {"b\"q", 0, 2}});
  EXPECT_EQ(value_of(text, R"(llmux_in_flight_requests{deployment="a"})"), 3) << text;
  EXPECT_EQ(value_of(text, R"(llmux_breaker_state{deployment="b\"q"})"), 2) << "label values are escaped";
  EXPECT_EQ(value_of(m.render({}), R"(llmux_in_flight_requests{deployment="a"})"), -1)
      << "a deployment no longer configured has no series";
}

}  // namespace
}  // namespace llmux::gateway
