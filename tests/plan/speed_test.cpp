// Speed model: the reference set's accuracy, the issue's reference points,
// and the shape of the curves (batching, MoE, prompt length).
#include <gtest/gtest.h>

#include <algorithm>

#include "plan/efficiency_fit.hpp"
#include "plan_fixture.hpp"

namespace llmux::plan {
namespace {

const AccuracyRow& row(const std::string& id) {
  for (const auto& r : test::fit().rows)
    if (r.id == id) return r;
  throw std::runtime_error("no measurement " + id);
}

TEST(SpeedAccuracy, MedianHeldOutErrorIsWithin25Percent) {
  for (auto m : {catalog::Metric::decode_tps, catalog::Metric::prefill_tps}) {
    auto s = summarize_accuracy(test::fit().rows, m);
    EXPECT_GE(s.points, 30);
    EXPECT_LT(s.loo_median, 0.25) << catalog::to_string(m);
    EXPECT_LT(s.median, 0.25) << catalog::to_string(m);
  }
}

TEST(SpeedAccuracy, IssueReferencePointsHeldOut) {
  // LLaMA-7B on an M2 Ultra (llama.cpp): 88.5 tok/s at Q4_0, 62.1 at Q8_0.
  EXPECT_NEAR(row("m2ultra60-llama7b-q40-tg128").loo / 88.5, 1.0, 0.25);
  EXPECT_NEAR(row("m2ultra60-llama7b-q80-tg128").loo / 62.1, 1.0, 0.25);
  // Llama-2-7B BF16, batch 1, A100-80GB: 107.4 tok/s (the only vLLM point: held out, the prior predicts it).
  EXPECT_NEAR(row("a100-llama2-7b-bf16-bs1").loo / 107.4, 1.0, 0.25);
}

TEST(SpeedAccuracy, BeatsAPlainRooflineByALot) {
  // A peer-style estimate (weights / spec bandwidth) is 1.5-3x off on the Macs; ours is not.
  const auto& r = row("m1max-l3-8b-q4km-tg512");
  double roofline = 400e9 / (4.58 * 1024 * 1024 * 1024);
  EXPECT_GT(roofline / r.observed, 2.0);
  EXPECT_LT(std::abs(r.loo / r.observed - 1), 0.25);
}

TEST(SpeedAccuracy, BandsComeFromTheResiduals) {
  auto e = test::fit().table.lookup("llama.cpp", "cuda");
  EXPECT_GT(e.decode_points, 20);
  EXPECT_GE(e.band_decode, 0.08);
  EXPECT_LE(e.band_decode, 0.6);
  auto cpu = test::fit().table.lookup("llama.cpp", "cpu");
  EXPECT_EQ(cpu.decode_points, 0);
  EXPECT_GE(cpu.band_decode, 0.35);  // nothing measured: a wide band
}

SpeedEstimate speed_of(PlanRequest req) {
  auto r = make_plan(req);
  if (!r) throw std::runtime_error(r.error().describe());
  return r->chosen().speed;
}

TEST(SpeedAccuracy, UnmeasuredDataCentreCardsAreCorrectedLikeTheMeasuredOnes) {
  // GeForce cards list half-rate FLOPs, data-centre cards full-rate, and llama.cpp's prefill
  // reaches a different share of each: the GeForce-fitted factor made an A100 4.6x too fast.
  // Published, not in the calibration set: A100 80GB, LLaMA 2 7B Q4_0, 3,444 prompt tok/s
  // (XiongjieDai/GPU-Benchmarks-on-LLM-Inference).
  auto a100 = speed_of(test::request("llama-2-7b", "Q4_0", "a100-80gb"));
  EXPECT_NEAR(a100.prefill_tps / 3444, 1.0, 0.35) << a100.prefill_tps << " tok/s";
  // The L40S and the RTX 6000 Ada are the same AD102 chip (362 and 364 dense TFLOPS).
  auto l40s = speed_of(test::request("llama-3.1-8b", "Q4_K_M", "l40s"));
  auto ada = speed_of(test::request("llama-3.1-8b", "Q4_K_M", "rtx-6000-ada"));
  EXPECT_NEAR(l40s.prefill_tps / ada.prefill_tps, 1.0, 0.15) << l40s.prefill_tps << " vs " << ada.prefill_tps;
  auto e = test::fit().table.lookup("llama.cpp", "cuda", "a100-80gb");
  EXPECT_NE(e.basis.find("corrected like the"), std::string::npos) << e.basis;
}

TEST(SpeedShape, BatchingRaisesTotalAndLowersPerUser) {
  auto one = speed_of(test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090", 1, 4096, 1));
  auto eight = speed_of(test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090", 1, 4096, 8));
  EXPECT_LT(eight.user_tps, one.user_tps);
  EXPECT_GT(eight.total_tps, 3 * one.total_tps);
  EXPECT_GT(eight.capacity_rps, one.capacity_rps);
}

TEST(SpeedShape, LongerPromptsTakeLonger) {
  auto req = test::request("llama-3.1-8b", "Q4_K_M", "rtx-4090");
  req.workload.input_tokens = 500;
  auto s = speed_of(req);
  req.workload.input_tokens = 8000;
  req.ctx = 16384;
  auto l = speed_of(req);
  EXPECT_GT(l.ttft_s, 10 * s.ttft_s);
}

TEST(SpeedShape, MoeDecodesLikeItsActiveParameters) {
  auto moe = speed_of(test::request("qwen3-30b-a3b", "Q4_K_M", "rtx-4090"));
  auto dense = speed_of(test::request("qwen3-32b", "Q4_K_M", "rtx-4090", 2));
  EXPECT_GT(moe.single_tps, 2.5 * dense.single_tps);
}

TEST(SpeedShape, OffloadIsMuchSlowerThanGpuOnly) {
  auto gpu = speed_of(test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090", 2, 4096, 1));
  auto off = speed_of(test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090", 1, 4096, 1));
  EXPECT_GT(gpu.single_tps, 3 * off.single_tps);
  EXPECT_GE(off.band_decode, 0.35);  // the CPU part is uncalibrated
}

TEST(SpeedShape, EveryEstimateCarriesARange) {
  auto s = speed_of(test::request("mistral-7b", "Q4_K_M", "rtx-3090"));
  EXPECT_LT(s.user_lo, s.user_tps);
  EXPECT_GT(s.user_hi, s.user_tps);
  EXPECT_LT(s.ttft_lo, s.ttft_s);
  EXPECT_GT(s.ttft_hi, s.ttft_s);
}

}  // namespace
}  // namespace llmux::plan
