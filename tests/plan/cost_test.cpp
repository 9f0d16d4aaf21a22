// Cost model arithmetic, defaults that name themselves, break-even.
#include "plan/cost_model.hpp"

#include <gtest/gtest.h>

#include "plan_fixture.hpp"

namespace llmux::plan {
namespace {

Workload workload(double rpd) {
  Workload w;
  w.input_tokens = 2000;
  w.output_tokens = 400;
  w.requests_per_day = rpd;
  w.given = true;
  return w;
}

TEST(Cost, LocalMonthlyIsAmortizationPlusEnergyPlusOps) {
  const auto& gpu = **test::cat().device("rtx-4090");
  CostOverrides o;
  o.hardware_price = 7200;
  o.amortize_months = 36;
  o.power_watts = 1000;
  o.kwh_price = 0.20;
  o.pue = 1.0;
  o.ops_per_month = 100;
  // Capacity 1 request/s; demand 43,200/day is half of it.
  LocalCost c = local_cost(gpu, 2, workload(43200), 1.0, o);
  EXPECT_DOUBLE_EQ(c.monthly_hardware, 200);
  EXPECT_NEAR(c.utilization.value, 0.5, 1e-12);
  double energy = (1000 * 0.5 + 300 * 0.5) * 730 / 1000.0 * 0.20;  // idle is 30% of load
  EXPECT_NEAR(c.monthly_energy, energy, 1e-9);
  EXPECT_NEAR(c.monthly_total, 200 + energy + 100, 1e-9);
  double tokens = 43200 * 30.4375 * 2400;
  EXPECT_NEAR(c.per_million, c.monthly_total / (tokens / 1e6), 1e-9);
  EXPECT_TRUE(c.keeps_up);
  EXPECT_EQ(c.hardware_price.basis, "set with --hardware-price");
}

TEST(Cost, GivenUtilizationSetsTheEnergyNotTheTokensTheCostIsSpreadOver) {
  const auto& gpu = **test::cat().device("rtx-4090");
  CostOverrides o;
  o.utilization = 0.9;  // the machine is busy with other work too
  LocalCost c = local_cost(gpu, 1, workload(8640), 1.0, o);  // the workload: a tenth of capacity
  EXPECT_NEAR(c.utilization.value, 0.9, 1e-12);
  EXPECT_NEAR(c.monthly_energy, monthly_energy_at(c, 0.9), 1e-9);
  double tokens = 8640 * 30.4375 * 2400;
  EXPECT_NEAR(c.tokens_per_month, tokens, 1e-6) << "the workload's tokens, as the plan says";
  EXPECT_NEAR(c.per_million, c.monthly_total / (tokens / 1e6), 1e-9);
}

TEST(Cost, DefaultsSayWhatTheyAreAndWhichFlagChangesThem) {
  LocalCost c = local_cost(**test::cat().device("rtx-4090"), 2, workload(1000), 1.0, {});
  EXPECT_DOUBLE_EQ(c.hardware_price.value, 2 * 1599 + 2000);
  EXPECT_NE(c.hardware_price.basis.find("--hardware-price"), std::string::npos);
  EXPECT_NE(c.kwh_price.basis.find("--kwh-price"), std::string::npos);
  EXPECT_NE(c.pue.basis.find("--pue"), std::string::npos);
  EXPECT_DOUBLE_EQ(c.power_watts.value, 2 * 450 + 150);
  LocalCost dc = local_cost(**test::cat().device("h100-sxm"), 8, workload(1000), 1.0, {});
  EXPECT_DOUBLE_EQ(dc.pue.value, 1.4);
}

TEST(Cost, CloudBillsInputAndOutputAtTheirPrices) {
  const auto& mini = **test::cat().price("gpt-4o-mini");
  CloudCost c = cloud_cost(mini, workload(20000));
  EXPECT_NEAR(c.per_request, (2000 * 0.15 + 400 * 0.60) / 1e6, 1e-12);
  EXPECT_NEAR(c.monthly, c.per_request * 20000 * 30.4375, 1e-9);
  EXPECT_NEAR(c.per_million, c.per_request / 2400 * 1e6, 1e-12);
  Workload cached = workload(20000);
  cached.cached_fraction = 0.5;
  EXPECT_LT(cloud_cost(mini, cached).per_request, c.per_request);
}

TEST(Cost, BreakEvenIsWhereTheBillsMeet) {
  const auto& gpu = **test::cat().device("rtx-4090");
  CostOverrides o;
  o.hardware_price = 3600;
  o.ops_per_month = 0;
  LocalCost local = local_cost(gpu, 1, workload(1000), 1.0, o);
  CloudCost cloud = cloud_cost(**test::cat().price("claude-3-5-haiku"), workload(1000));
  BreakEven b = break_even(local, cloud, workload(1000));
  ASSERT_TRUE(b.exists);
  double fixed = local.monthly_hardware + local.power_watts.value * 0.3 * 730 / 1000 * local.kwh_price.value;
  double local_at = fixed + b.requests_per_day * 30.4375 * local.energy_per_request;
  EXPECT_NEAR(local_at, b.requests_per_day * 30.4375 * cloud.per_request, 1e-6);
  CloudCost free_cloud = cloud;
  free_cloud.per_request = 0;
  auto never = break_even(local, free_cloud, workload(1000));
  EXPECT_FALSE(never.exists);
  EXPECT_EQ(never.never, "electricity");
}

TEST(Cost, ABreakEvenPastOneSetupsCapacityIsNever) {
  const auto& gpu = **test::cat().device("rtx-4090");
  CostOverrides o;
  o.hardware_price = 3600;
  o.ops_per_month = 0;
  CloudCost cloud = cloud_cost(**test::cat().price("claude-3-5-haiku"), workload(1000));
  // A slow setup: 0.01 request/s (864/day). Fully loaded it costs more per request than
  // Haiku, so a break-even past its capacity would need setups that each lose money.
  LocalCost slow = local_cost(gpu, 1, workload(1000), 0.01, o);
  BreakEven b = break_even(slow, cloud, workload(1000));
  EXPECT_GT(b.local_per_request_at_capacity, cloud.per_request);
  EXPECT_FALSE(b.exists);
  EXPECT_EQ(b.never, "capacity");
  // Fully loaded cheaper per request than Haiku is the same as breaking even within capacity
  // (fixed / (capacity x days) + energy < price  <=>  capacity > fixed / (price - energy)).
  LocalCost fast = local_cost(gpu, 1, workload(1000), 0.2, o);
  BreakEven f = break_even(fast, cloud, workload(1000));
  ASSERT_LT(f.local_per_request_at_capacity, cloud.per_request);
  EXPECT_TRUE(f.exists);
  EXPECT_TRUE(f.within_capacity);
}

}  // namespace
}  // namespace llmux::plan
