// Property: whatever the configuration, the requests and the backend failures,
// no request carrying local-only data ever reaches a cloud deployment. Gateways
// and sims run in process; every sim records what it received.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "gateway/config.hpp"
#include "gateway/gateway.hpp"
#include "support/http_helper.hpp"
#include "sim/server.hpp"
#include "support/process.hpp"

namespace llmux {
namespace {

using nlohmann::json;

std::unique_ptr<sim::SimServer> start_sim() {
  sim::SimOptions o;
  o.fixed.ttft = o.fixed.itl = 0;
  o.record = true;
  auto s = std::make_unique<sim::SimServer>(o);
  EXPECT_TRUE(s->start());
  return s;
}

const char* kFaults[] = {"", "", "status=500", "status=503", "rate-limit;retry-after=0", "cut-after=0", "cut-after=2",
                         "malformed-at=0"};
const char* kStrategies[] = {"priority", "weighted", "least_outstanding", "lowest_latency"};
const char* kCards[] = {"4539 1488 0343 6467", "5273-8491-0265-8431", "4539148803436467"};

// A random route over some of the sims, with random faults forced on each deployment.
std::string random_config(std::mt19937_64& rng, const std::vector<std::string>& local, const std::vector<std::string>& cloud,
                          const std::string& ledger) {
  std::string cfg = "[server]\nport = 0\n[ledger]\nenabled = false\npath = \"" + ledger + "\"\n[log]\naccess = \"off\"\n" +
                    "[breaker]\nfailures = " + std::to_string(1 + rng() % 3) + "\n" +
                    "[privacy]\ndetectors = [\"credit_card\", \"email\"]\n[privacy.actions]\ncredit_card = \"local-only\"\n" +
                    "email = \"redact\"\n";
  std::vector<std::string> names;
  int n = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < n; ++i) {
    bool is_cloud = rng() % 2;
    const auto& pool = is_cloud ? cloud : local;
    std::string name = (is_cloud ? "cloud" : "local") + std::to_string(i);
    std::string fault = kFaults[rng() % std::size(kFaults)];
    cfg += "[[deployments]]\nname = \"" + name + "\"\nurl = \"" + pool[rng() % pool.size()] + "\"\nmodel = \"m\"\n" +
           "health_interval = 0\nlocality = \"" + (is_cloud ? "cloud" : "local") + "\"\n" +
           (fault.empty() ? "" : "headers = [\"x-llmux-fault: " + fault + "\"]\n");
    names.push_back(name);
  }
  std::shuffle(names.begin(), names.end(), rng);
  std::string list;
  for (const auto& x : names) list += (list.empty() ? "\"" : ", \"") + x + "\"";
  cfg += "[[routes]]\nalias = \"chat\"\ndeployments = [" + list + "]\nstrategy = \"" + kStrategies[rng() % 4] +
         "\"\nretries = " + std::to_string(rng() % 3) + "\nretry_backoff = \"1ms\"\n";
  return cfg;
}

TEST(PrivacyProperty, LocalOnlyDataNeverReachesACloudSim) {
  std::vector<std::unique_ptr<sim::SimServer>> sims;
  std::vector<std::string> local, cloud;
  for (int i = 0; i < 3; ++i) {
    sims.push_back(start_sim());
    local.push_back(sims.back()->base_url());
  }
  for (int i = 0; i < 3; ++i) {
    sims.push_back(start_sim());
    cloud.push_back(sims.back()->base_url());
  }
  test::TempDir dir;
  std::mt19937_64 rng(20261127);
  int configs = 0, requests = 0, sensitive = 0, sensitive_ok = 0;
  for (int c = 0; c < 1000; ++c) {
    auto parsed = gateway::parse_config(random_config(rng, local, cloud, dir.file("l.db")), "random.toml");
    ASSERT_TRUE(parsed) << parsed.error().front().describe();
    auto gw = gateway::Gateway::create(std::move(*parsed), "");
    ASSERT_TRUE(gw);
    ASSERT_TRUE((*gw)->start());
    ++configs;
    for (int r = 0; r < 4; ++r) {
      bool card = rng() % 2;
      std::string text = card ? std::string("pay with ") + kCards[rng() % 3] + " today" : "nothing secret here";
      if (rng() % 3 == 0) text += " cc jane@example.com";
      json body = {{"model", "chat"}, {"max_tokens", 4}, {"stream", rng() % 2 == 0},
                   {"messages", {{{"role", "user"}, {"content", text}}}}};
      auto resp = test::http_request("POST", (*gw)->base_url() + "/chat/completions", body.dump(), {}, 10000);
      ++requests;
      if (card) {
        ++sensitive;
        sensitive_ok += resp.status == 200;
      }
    }
    (*gw)->stop(0);
  }
  // The property: no cloud sim ever saw a card number, in any format.
  std::size_t cloud_bodies = 0;
  for (std::size_t i = 3; i < sims.size(); ++i) {
    for (const auto& body : sims[i]->received()) {
      ++cloud_bodies;
      for (const char* card : kCards) ASSERT_EQ(body.find(card), std::string::npos) << "leaked to a cloud sim: " << body;
      ASSERT_EQ(body.find("jane@example.com"), std::string::npos) << "unredacted email reached a cloud sim: " << body;
    }
  }
  std::size_t local_bodies = 0;
  for (std::size_t i = 0; i < 3; ++i) local_bodies += sims[i]->received().size();
  // The test must have exercised both sides for the property to mean something.
  EXPECT_GT(cloud_bodies, 100u);
  EXPECT_GT(local_bodies, 100u);
  EXPECT_GT(sensitive_ok, sensitive / 4) << "local deployments served many of the sensitive requests";
  RecordProperty("configs", configs);
  RecordProperty("requests", requests);
  for (auto& s : sims) s->stop(0);
}

}  // namespace
}  // namespace llmux
