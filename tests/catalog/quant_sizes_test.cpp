// File sizes from the architecture and llama.cpp's per-tensor quantization
// rules, against published GGUF sizes (the accuracy references).
#include <gtest/gtest.h>

#include "catalog/catalog.hpp"
#include "catalog/ggml_types.hpp"
#include "catalog/quant_scheme.hpp"

namespace llmux::catalog {
namespace {

const Catalog& cat() {
  static const Catalog c = *load_catalog({std::string(LLMUX_SOURCE_DIR) + "/data"});
  return c;
}

double bytes_of(const char* model, const char* quant) {
  double b = 0;
  for (const auto& t : quantize(**cat().model(model), *find_quant(quant))) b += t.bytes;
  return b;
}

constexpr double GiB = 1024.0 * 1024 * 1024;

TEST(GgmlTypes, BlockLayoutsAreExact) {
  struct { const char* name; unsigned block, bytes; } expect[] = {
      {"F32", 1, 4}, {"F16", 1, 2}, {"BF16", 1, 2}, {"Q4_0", 32, 18}, {"Q4_1", 32, 20}, {"Q5_0", 32, 22}, {"Q5_1", 32, 24},
      {"Q8_0", 32, 34}, {"Q2_K", 256, 84}, {"Q3_K", 256, 110}, {"Q4_K", 256, 144}, {"Q5_K", 256, 176},
      {"Q6_K", 256, 210}, {"Q8_K", 256, 292}, {"IQ2_XXS", 256, 66}, {"IQ2_XS", 256, 74}, {"IQ2_S", 256, 82},
      {"IQ3_XXS", 256, 98}, {"IQ3_S", 256, 110}, {"IQ1_S", 256, 50}, {"IQ1_M", 256, 56}, {"IQ4_NL", 32, 18},
      {"IQ4_XS", 256, 136}, {"TQ1_0", 256, 54}, {"TQ2_0", 256, 66}, {"MXFP4", 32, 17}};
  for (const auto& e : expect) {
    const auto* t = ggml_type_by_name(e.name);
    ASSERT_NE(t, nullptr) << e.name;
    EXPECT_EQ(t->block_size, e.block) << e.name;
    EXPECT_EQ(t->type_size, e.bytes) << e.name;
  }
  EXPECT_EQ(ggml_type(4), nullptr);  // retired ids stay unknown
  EXPECT_EQ(ggml_type(40), nullptr);
}

TEST(GgmlTypes, TensorBytesNeedWholeBlocks) {
  const auto* q4k = ggml_type_by_name("Q4_K");
  EXPECT_EQ(*ggml_tensor_bytes(*q4k, 4096, 4096ull * 4096), 4096ull * 4096 / 256 * 144);
  EXPECT_FALSE(ggml_tensor_bytes(*q4k, 2880, 2880));  // gpt-oss rows are not whole 256-blocks
}

TEST(QuantSizes, Llama31_70B_Q4_K_M_Is42_5GB) {
  EXPECT_NEAR(bytes_of("llama-3.1-70b", "Q4_K_M") / 1e9, 42.5, 42.5 * 0.03);
}

TEST(QuantSizes, Llama3_8B_MatchesLlamaCppTable) {
  // llama.cpp quantize README, Llama-3-8B: 4.58 / 5.33 / 7.96 GiB.
  EXPECT_NEAR(bytes_of("llama-3-8b", "Q4_K_M") / GiB, 4.58, 4.58 * 0.03);
  EXPECT_NEAR(bytes_of("llama-3-8b", "Q5_K_M") / GiB, 5.33, 5.33 * 0.03);
  EXPECT_NEAR(bytes_of("llama-3-8b", "Q8_0") / GiB, 7.96, 7.96 * 0.03);
}

TEST(QuantSizes, Llama3_70B_AcrossTheQuantLadder) {
  // Sizes (GiB) of Llama-3-70B GGUFs as published with their perplexities
  // (llama.cpp PR #6745 discussion, dranger003).
  struct { const char* q; double gib; } refs[] = {{"IQ2_XXS", 17.79}, {"Q2_K", 24.56}, {"IQ3_XXS", 25.58}, {"Q3_K_M", 31.91},
                                                 {"Q4_K_S", 37.58}, {"Q4_K_M", 39.60}, {"Q5_K_M", 46.52}, {"Q6_K", 53.91},
                                                 {"Q8_0", 69.83}, {"F16", 131.43}};
  for (const auto& r : refs) EXPECT_NEAR(bytes_of("llama-3-70b", r.q) / GiB, r.gib, r.gib * 0.03) << r.q;
}

TEST(QuantSizes, GptOssKeepsItsMxfp4ExpertsAtEveryType) {
  // bartowski/openai_gpt-oss-20b-GGUF: MXFP4 12.1 GB, Q6_K 12.04 GB (the experts stay MXFP4),
  // where a Q6_K of every tensor would be ~17 GB.
  EXPECT_NEAR(bytes_of("gpt-oss-20b", "MXFP4_MOE") / 1e9, 12.1, 12.1 * 0.03);
  EXPECT_NEAR(bytes_of("gpt-oss-20b", "Q6_K") / 1e9, 12.04, 12.04 * 0.03);
}

TEST(QuantSizes, Llama2_7B_Q4_0_Is3_56GiB) { EXPECT_NEAR(bytes_of("llama-2-7b", "Q4_0") / GiB, 3.56, 3.56 * 0.03); }

TEST(QuantSizes, OutputAndEveryThirdLayerGetMoreBits) {
  auto q = quantize(**cat().model("llama-3-8b"), *find_quant("Q4_K_M"));
  auto type_of = [&](const std::string& n) {
    for (const auto& t : q)
      if (t.name == n) return t.dtype;
    return std::string("?");
  };
  EXPECT_EQ(type_of("output.weight"), "Q6_K");
  EXPECT_EQ(type_of("token_embd.weight"), "Q4_K");
  EXPECT_EQ(type_of("blk.0.ffn_down.weight"), "Q6_K");   // first eighth
  EXPECT_EQ(type_of("blk.5.ffn_down.weight"), "Q4_K");
  EXPECT_EQ(type_of("blk.6.ffn_down.weight"), "Q6_K");   // (6 - 4) % 3 == 2
  EXPECT_EQ(type_of("blk.0.attn_norm.weight"), "F32");
}

TEST(QuantSizes, MoeRouterStaysF32AndEightExpertModelsKeepKvAtQ8) {
  auto q = quantize(**cat().model("mixtral-8x7b"), *find_quant("Q4_K_M"));
  for (const auto& t : q) {
    if (t.name == "blk.0.ffn_gate_inp.weight") { EXPECT_EQ(t.dtype, "F32"); }
    if (t.name == "blk.0.attn_v.weight") { EXPECT_EQ(t.dtype, "Q8_0"); }
  }
}

TEST(QuantSizes, RowsThatAreNotWholeBlocksFallBack) {
  // Qwen2.5-72B's FFN width 29568 is not a multiple of 256: ffn_down falls back to 32-blocks.
  auto q = quantize(**cat().model("qwen2.5-72b"), *find_quant("Q4_K_M"));
  for (const auto& t : q) {
    if (t.name == "blk.10.ffn_down.weight") { EXPECT_EQ(t.dtype, "Q5_0"); }
    if (t.name == "blk.0.ffn_down.weight") { EXPECT_EQ(t.dtype, "Q8_0"); }
  }
}

TEST(QuantSizes, GptOssMxfp4MatchesTheReleasedFiles) {
  EXPECT_NEAR(bytes_of("gpt-oss-20b", "MXFP4_MOE") / 1e9, 12.1, 12.1 * 0.03);
  EXPECT_NEAR(bytes_of("gpt-oss-120b", "MXFP4_MOE") / 1e9, 63.4, 63.4 * 0.03);
}

TEST(QuantSizes, SafetensorsFormats) {
  EXPECT_NEAR(bytes_of("llama-3.1-8b", "BF16") / 1e9, 16.06, 0.2);
  EXPECT_NEAR(bytes_of("llama-3.1-70b", "AWQ") / 1e9, 39.8, 39.8 * 0.03);
}

TEST(QuantSchemes, UnknownNamesSuggestNearest) {
  auto q = find_quant("Q4KM");
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().message.find("Q4_K_M"), std::string::npos);
  EXPECT_EQ(gguf_quant_by_ftype(15)->name, "Q4_K_M");
}

}  // namespace
}  // namespace llmux::catalog
