// The timing the simulator takes from the plan.
#include "plan/sim_timing.hpp"

#include <gtest/gtest.h>

#include "plan_fixture.hpp"

namespace llmux::plan {
namespace {

TEST(SimTiming, GivesPrefillAndDecodeTimesFromTheSpeedModel) {
  SimTimingRequest req;
  req.model = "llama-3.1-8b";
  req.quant = "Q4_K_M";
  req.gpu = "rtx-4090";
  auto t = sim_timing(test::cat(), req);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_TRUE(t->fits);
  double step = t->decode_step_seconds(1, 1000);
  EXPECT_GT(1 / step, 90);   // published: ~130 tok/s at short context
  EXPECT_LT(1 / step, 160);
  EXPECT_GT(t->decode_step_seconds(16, 1000), step);
  EXPECT_LT(t->decode_step_seconds(16, 1000), 16 * step);  // batching shares the weight reads
  EXPECT_GT(t->prefill_seconds(2000), t->prefill_seconds(500));
  EXPECT_GT(t->max_batch, 16);  // 24 GB holds many 4K-token caches next to 4.6 GiB of weights
  EXPECT_GT(t->band_decode, 0);
}

TEST(SimTiming, AModelOffloadedToTheCpuIsAsSlowAsThePlanSays) {
  // Llama 3.1 70B at Q4_K_M does not fit one RTX 4090: the layers left over run on the
  // host CPU, and the sim must take that time, not the GPU's.
  SimTimingRequest req;
  req.model = "llama-3.1-70b";
  req.quant = "Q4_K_M";
  req.gpu = "rtx-4090";
  auto t = sim_timing(test::cat(), req);
  ASSERT_TRUE(t) << t.error().describe();
  EXPECT_TRUE(t->offloaded);
  EXPECT_NE(t->description.find("some layers run on the"), std::string::npos) << t->description;
  auto p = make_plan(test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090"));
  ASSERT_TRUE(p) << p.error().describe();
  double planned = 1 / p->chosen().speed.single_tps;
  EXPECT_NEAR(t->decode_step_seconds(1, req.ctx / 2) / planned, 1.0, 0.15)
      << "sim step " << t->decode_step_seconds(1, req.ctx / 2) << " s, plan " << planned << " s";
}

TEST(SimTiming, MaxBatchShrinksWithContext) {
  SimTimingRequest req;
  req.model = "llama-3.1-8b";
  req.gpu = "rtx-4090";
  req.ctx = 4096;
  auto a = sim_timing(test::cat(), req);
  req.ctx = 32768;
  auto b = sim_timing(test::cat(), req);
  ASSERT_TRUE(a && b);
  EXPECT_GT(a->max_batch, b->max_batch);
  EXPECT_GE(b->max_batch, 1);
}

TEST(SimTiming, UnknownIdsAreErrors) {
  SimTimingRequest req;
  req.model = "no-such-model";
  req.gpu = "rtx-4090";
  auto t = sim_timing(test::cat(), req);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::not_found);
  req.model = "llama-3.1-8b";
  req.ctx = 1 << 20;
  EXPECT_FALSE(sim_timing(test::cat(), req));
}

}  // namespace
}  // namespace llmux::plan
