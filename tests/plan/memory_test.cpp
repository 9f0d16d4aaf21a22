// Memory model: KV cache sizes, fit verdicts per engine, CPU offload.
#include <gtest/gtest.h>

#include "plan/kv_cache.hpp"
#include "plan/plan.hpp"
#include "plan_fixture.hpp"

namespace llmux::plan {
namespace {

constexpr double MiB = 1024.0 * 1024.0;
constexpr double GiB = 1024.0 * MiB;

KvCacheType f16() { return *parse_kv_cache_type("f16", Engine::llama_cpp); }

TEST(KvCache, ThirtyTwoLayersEightKvHeadsAt32kIs4096MiB) {
  // The reference: 32 layers x 8 KV heads x 128 dims x 2 (K,V) x 2 bytes x 32768 tokens.
  const auto& m = **test::cat().model("llama-3.1-8b");
  EXPECT_DOUBLE_EQ(kv_bytes_per_token(m, f16()) * 32768 / MiB, 4096.0);
}

TEST(KvCache, QuantizedCacheIsSmallerByItsBlockRatio) {
  const auto& m = **test::cat().model("llama-3.1-8b");
  auto q8 = *parse_kv_cache_type("q8_0", Engine::llama_cpp);
  EXPECT_TRUE(q8.needs_flash_attention);
  EXPECT_NEAR(kv_bytes_per_token(m, q8) / kv_bytes_per_token(m, f16()), 34.0 / 64, 1e-12);
  EXPECT_FALSE(parse_kv_cache_type("q3_k", Engine::llama_cpp));
  EXPECT_TRUE(parse_kv_cache_type("fp8", Engine::vllm));
}

TEST(KvCache, MlaCachesTheLatentNotTheHeads) {
  // DeepSeek-V3: (kv_lora_rank 512 + rope 64) x 2 bytes per layer, 61 layers.
  const auto& m = **test::cat().model("deepseek-v3");
  EXPECT_DOUBLE_EQ(kv_bytes_per_token(m, f16()), 61.0 * 576 * 2);
}

TEST(KvCache, SlidingWindowLayersHoldOnlyTheWindow) {
  const auto& g = **test::cat().model("gemma-3-27b");
  EXPECT_EQ(cached_tokens(g, 5, 32768, 1, Engine::llama_cpp, 512), 32768);             // global layer
  EXPECT_EQ(cached_tokens(g, 0, 32768, 1, Engine::llama_cpp, 512), 1536);              // 1024 + ubatch
  EXPECT_EQ(cached_tokens(g, 0, 32768, 4, Engine::vllm, 512), 4 * 1024);
}

TEST(Memory, Llama70B_Q4KM_DoesNotFitOne4090ButFitsTwo) {
  auto one = make_plan(test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090", 1));
  ASSERT_TRUE(one) << one.error().describe();
  EXPECT_TRUE(one->chosen().config.memory.offloaded);
  EXPECT_GT(one->chosen().config.memory.gpu_shortfall, 10 * GiB);
  auto two = make_plan(test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090", 2));
  ASSERT_TRUE(two);
  EXPECT_TRUE(two->chosen().config.memory.fits);
  EXPECT_FALSE(two->chosen().config.memory.offloaded);
  EXPECT_EQ(two->chosen().verdict, "fits");
}

TEST(Memory, JudgesFitAgainstFreeNotTotalMemory) {
  auto r = make_plan(test::request("llama-3.1-8b", "Q8_0", "rtx-4090"));
  ASSERT_TRUE(r);
  for (const auto& d : r->chosen().config.memory.devices)
    if (!d.host) { EXPECT_LT(d.free, d.capacity); }
  auto tight = test::request("llama-3.1-8b", "Q8_0", "rtx-4090");
  tight.reserve_gib = 16;  // another process holds 16 GiB
  auto t = make_plan(tight);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->chosen().config.memory.offloaded);
}

TEST(Memory, OffloadPicksTheMostLayersThatFit) {
  auto r = make_plan(test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090", 2, 8192, 4));
  ASSERT_TRUE(r);
  const auto& m = r->chosen().config.memory;
  EXPECT_TRUE(m.fits);
  ASSERT_TRUE(m.offloaded);
  EXPECT_GT(m.gpu_layers, 60);
  EXPECT_LT(m.gpu_layers, 80);
  auto more = test::request("llama-3.1-70b", "Q4_K_M", "rtx-4090", 2, 8192, 4);
  more.gpu_layers = m.gpu_layers + 1;  // one more layer no longer fits
  auto over = make_plan(more);
  ASSERT_TRUE(over);
  EXPECT_FALSE(over->chosen().config.memory.fits);
}

TEST(Memory, NothingFitsWhenHostRamIsTooSmallToo) {
  auto req = test::request("llama-3.1-405b", "Q4_K_M", "rtx-4090", 1);
  auto r = make_plan(req);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->chosen().config.memory.fits);
  EXPECT_EQ(r->chosen().verdict, "does not fit");
}

TEST(Memory, MoeCountsAllExpertsInMemory) {
  auto r = make_plan(test::request("qwen3-30b-a3b", "Q4_K_M", "rtx-4090"));
  ASSERT_TRUE(r);
  const auto& w = r->chosen().config.weights;
  EXPECT_GT(w.file_bytes(), 17 * GiB);                  // all 128 experts stored
  EXPECT_LT(w.active_params(), 0.15 * test::cat().model("qwen3-30b-a3b").value()->params_total);
}

TEST(Memory, VllmReservesNinetyPercentAndFillsTheRestWithKv) {
  auto r = make_plan(test::request("llama-3.1-8b", "BF16", "h100-sxm", 1, 8192, 16, Engine::vllm));
  ASSERT_TRUE(r) << r.error().describe();
  const auto& m = r->chosen().config.memory;
  EXPECT_TRUE(m.fits);
  const auto& d = m.devices.front();
  EXPECT_NEAR(d.used() / d.capacity, 0.9, 0.01);
  EXPECT_GT(m.kv_tokens, 400000);  // ~55 GiB of KV at 128 KiB per token
}

TEST(Memory, VllmDeviceRowsAgreeWithTheVerdict) {
  // 70B FP8 on one H100: the weights leave less KV cache than one 4,096-token context needs.
  auto short_of_kv = make_plan(test::request("llama-3.1-70b", "FP8", "h100-sxm", 1, 4096, 1, Engine::vllm));
  auto roomy = make_plan(test::request("llama-3.1-70b", "AWQ", "h100-sxm", 1, 4096, 1, Engine::vllm));
  ASSERT_TRUE(short_of_kv && roomy);
  for (const auto* r : {&*short_of_kv, &*roomy}) {
    const auto& m = r->chosen().config.memory;
    const auto& d = m.devices.front();
    EXPECT_EQ(d.fits(), m.fits) << r->chosen().config.quant.name << ": the device's row says what the verdict says";
    EXPECT_NEAR(d.free / d.capacity, 0.9, 0.01) << "vLLM's share is what it may use";
  }
  EXPECT_FALSE(short_of_kv->chosen().config.memory.fits);
  const auto& d = short_of_kv->chosen().config.memory.devices.front();
  EXPECT_NEAR(d.kv, 4096.0 * short_of_kv->chosen().config.memory.kv_bytes_per_token, 1)
      << "the KV row shows what one context needs";
}

TEST(Memory, VllmTensorParallelSplitsTheWeights) {
  auto one = make_plan(test::request("llama-3.1-70b", "BF16", "h100-sxm", 1, 8192, 1, Engine::vllm));
  auto two = make_plan(test::request("llama-3.1-70b", "BF16", "h100-sxm", 2, 8192, 1, Engine::vllm));
  ASSERT_TRUE(one && two);
  EXPECT_FALSE(one->chosen().config.memory.fits);
  EXPECT_TRUE(two->chosen().config.memory.fits);
  EXPECT_NEAR(two->chosen().config.memory.devices[0].weights * 2, two->chosen().config.weights.file_bytes(), 1);
}

TEST(Memory, AppleUsesTheWorkingSetLimit) {
  auto r = make_plan(test::request("llama-3.1-70b", "Q8_0", "m2-ultra-60c"));
  ASSERT_TRUE(r);
  const auto& d = r->chosen().config.memory.devices.front();
  EXPECT_NEAR(d.free / d.capacity, 0.75, 1e-9);
  EXPECT_FALSE(r->chosen().config.memory.fits);  // 70 GiB of weights > 48 GiB working set
}

TEST(Memory, ASmallerMacGetsTheSmallerMacsWorkingSetShare) {
  // --memory-gib 24 on an M4 Pro entry: macOS wires about 2/3 of RAM up to 36 GB, not the
  // 3/4 the catalog's 64 GB configuration gets.
  auto req = test::request("gemma-2-27b", "Q4_K_M", "m4-pro");
  req.memory_gib = 24;
  auto r = make_plan(req);
  ASSERT_TRUE(r) << r.error().describe();
  const auto& d = r->chosen().config.memory.devices.front();
  EXPECT_NEAR(d.free / d.capacity, 0.67, 1e-9);
  EXPECT_FALSE(r->chosen().config.memory.fits) << "17.4 GiB needed, 16.1 GiB usable";
}

}  // namespace
}  // namespace llmux::plan
