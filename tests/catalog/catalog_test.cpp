// The bundled catalogs load, hold what the issue asks for, agree with their
// own architecture fields, and reject malformed entries with file:line.
#include "catalog/catalog.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "catalog/tensor_layout.hpp"
#include "catalog/ollama_show.hpp"
#include "catalog/toml_records.hpp"

namespace llmux::catalog {
namespace {

const Catalog& bundled() {
  static const Catalog c = [] {
    auto r = load_catalog({std::string(LLMUX_SOURCE_DIR) + "/data"});
    if (!r) throw std::runtime_error(r.error().describe());
    return *r;
  }();
  return c;
}

TEST(Catalog, HoldsEnoughModelsDevicesAndPrices) {
  const auto& c = bundled();
  EXPECT_GE(c.models.size(), 40u);
  EXPECT_GE(c.devices.size(), 30u);
  EXPECT_GE(c.prices.size(), 25u);
  EXPECT_GE(c.calibration.measurements.size(), 30u);
}

TEST(Catalog, EveryEntryHasSourceAndDate) {
  const auto& c = bundled();
  for (const auto& m : c.models) EXPECT_FALSE(m.source.empty() || m.date.empty()) << m.id;
  for (const auto& d : c.devices) EXPECT_FALSE(d.source.empty() || d.date.empty()) << d.id;
  for (const auto& p : c.prices) EXPECT_FALSE(p.source.empty() || p.date.empty()) << p.id;
  for (const auto& m : c.calibration.measurements) EXPECT_FALSE(m.source.empty() || m.date.empty()) << m.id;
}

TEST(Catalog, ArchitectureFieldsReproducePublishedParameterCounts) {
  // A typo in layers, widths or heads shows up as a parameter count off the published one.
  for (const auto& m : bundled().models) {
    double arch = architecture_params(m), published = m.params_total - m.params_extra;
    EXPECT_NEAR(arch / published, 1.0, 0.03) << m.id << ": " << arch / 1e9 << "B vs " << published / 1e9 << "B";
  }
}

TEST(Catalog, CoversTheFamiliesTheIssueNames) {
  const auto& c = bundled();
  for (const char* id : {"llama-3.2-1b", "llama-3.1-405b", "qwen2.5-72b", "qwen3-30b-a3b", "mixtral-8x7b", "gemma-2-9b",
                         "gemma-3-27b", "phi-4", "deepseek-v3", "deepseek-r1", "gpt-oss-120b"})
    EXPECT_TRUE(c.model(id)) << id;
  EXPECT_TRUE((*c.model("deepseek-v3"))->is_mla());
  EXPECT_TRUE((*c.model("qwen3-235b-a22b"))->is_moe());
  EXPECT_GT((*c.model("gemma-3-27b"))->sliding_window, 0);
  for (const char* id : {"rtx-4090", "h100-sxm", "m2-ultra", "mi300x", "epyc-9654"}) EXPECT_TRUE(c.device(id)) << id;
  for (const char* id : {"gpt-4o-mini", "claude-3-5-haiku", "gemini-2.5-flash", "mistral-large", "deepseek-chat"})
    EXPECT_TRUE(c.price(id)) << id;
}

TEST(Catalog, DeviceThroughputsAreDenseNotSparse) {
  // H100 SXM: 989 TFLOPS dense BF16 (1979 is the 2:4-sparse headline).
  const auto* h100 = *bundled().device("h100-sxm");
  EXPECT_NEAR(h100->bf16_tflops, 989.4, 1);
  EXPECT_NEAR((*bundled().device("rtx-4090"))->fp16_tflops, 165.2, 1);
}

TEST(Catalog, LooksUpAliasesCaseInsensitively) {
  EXPECT_EQ((*bundled().model("LLAMA-7B"))->id, "llama-2-7b");
  EXPECT_EQ((*bundled().price("claude-3-5-haiku-20241022"))->id, "claude-3-5-haiku");
}

TEST(Catalog, UnknownIdsSuggestTheNearestNames) {
  auto r = bundled().device("rtx4090");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_NE(r.error().message.find("did you mean"), std::string::npos);
  EXPECT_NE(r.error().message.find("rtx-4090"), std::string::npos);
  auto m = bundled().model("llama-3.1-70");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("llama-3.1-70b"), std::string::npos);
}

TEST(CatalogToml, RejectsUnknownKeysWithFileAndLine) {
  auto recs = parse_toml_records(
      "[[device]]\nid = \"x\"\nname = \"X\"\nvendor = \"nvidia\"\nkind = \"gpu\"\nbackend = \"cuda\"\nmemory_gib = 24\n"
      "bandwidth_gbs = 1000\nfp16_tflops = 100\npower_watts = 300\nprice_usd = 1000\nsource = \"s\"\ndate = \"d\"\n"
      "bandwith_gbs = 5\n",
      "devices/test.toml");
  ASSERT_TRUE(recs);
  auto d = device_from_record(recs->front());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("unknown key 'bandwith_gbs'"), std::string::npos);
  EXPECT_EQ(d.error().context, "devices/test.toml:14");
}

TEST(CatalogToml, NamesAMissingRequiredField) {
  auto recs = parse_toml_records("\n[[model]]\nid = \"m\"\narch = \"llama\"\nparams_total = 1e9\n", "models/m.toml");
  ASSERT_TRUE(recs);
  auto m = model_from_record(recs->front());
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("missing required field 'layers'"), std::string::npos);
  EXPECT_EQ(m.error().context, "models/m.toml:2");
}

TEST(CatalogToml, AMisspeltRequiredFieldIsNamedAtItsLine) {
  // docs/catalog.md: a typo gets "unknown key ... (file:line)", also when the right key is absent.
  auto recs = parse_toml_records("\n[[model]]\nid = \"m\"\narch = \"llama\"\nparams_total = 1e9\nlayer = 32\n", "models/m.toml");
  ASSERT_TRUE(recs);
  auto m = model_from_record(recs->front());
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("unknown key 'layer' in [[model]]; did you mean 'layers'?"), std::string::npos)
      << m.error().message;
  EXPECT_EQ(m.error().context, "models/m.toml:6");
}

TEST(CatalogToml, ReportsSyntaxErrorsAndWrongShapes) {
  auto bad = parse_toml_records("[[model]]\nid = \n", "x.toml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().context.find("x.toml:2"), std::string::npos);
  auto flat = parse_toml_records("id = \"x\"\n", "y.toml");
  ASSERT_FALSE(flat);
  EXPECT_NE(flat.error().message.find("array of tables"), std::string::npos);
  auto type = parse_toml_records("[[price]]\nid = \"p\"\nprovider = \"x\"\ninput_per_m = \"cheap\"\n", "z.toml");
  ASSERT_TRUE(type);
  auto p = price_from_record(type->front());
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("must be a number"), std::string::npos);
}

TEST(CatalogToml, RejectsInconsistentArchitecture) {
  auto recs = parse_toml_records(
      "[[model]]\nid = \"m\"\narch = \"llama\"\nparams_total = 1e9\nlayers = 2\nhidden_size = 64\nattention_heads = 6\n"
      "kv_heads = 4\nvocab_size = 10\nintermediate_size = 10\nmax_context = 10\nsource = \"s\"\ndate = \"d\"\n",
      "m.toml");
  ASSERT_TRUE(recs);
  auto m = model_from_record(recs->front());
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("multiple of kv_heads"), std::string::npos);
}

TEST(Catalog, MissingDirectorySaysWhatToSet) {
  auto r = load_catalog({"/nonexistent/llmux-data"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().context.find("LLMUX_DATA_DIR"), std::string::npos);
}

}  // namespace
}  // namespace llmux::catalog

namespace llmux::catalog {
namespace {

// What llmux sim imitating Ollama says of a catalog model reads back as that model:
// every figure the memory and speed models use survives the trip.
TEST(Catalog, EveryModelSurvivesAnOllamaShowRoundTrip) {
  for (const auto& m : bundled().models) {
    SCOPED_TRACE(m.id);
    auto back = model_from_ollama_show(ollama_show_body(m, "Q4_K_M"), m.id);
    ASSERT_TRUE(back) << back.error().describe();
    const ModelSpec& b = back->spec;
    EXPECT_EQ(b.arch, m.arch);
    EXPECT_EQ(b.layers, m.layers);
    EXPECT_EQ(b.hidden_size, m.hidden_size);
    EXPECT_EQ(b.intermediate_size, m.intermediate_size);
    EXPECT_EQ(b.attention_heads, m.attention_heads);
    EXPECT_EQ(b.kv_heads, m.kv_heads);
    EXPECT_EQ(b.head_dim, m.head_dim);
    EXPECT_EQ(b.value_head_dim(), m.value_head_dim());
    EXPECT_EQ(b.vocab_size, m.vocab_size);
    EXPECT_EQ(b.max_context, m.max_context);
    EXPECT_EQ(b.experts_total, m.experts_total);
    EXPECT_EQ(b.experts_active, m.experts_active);
    EXPECT_EQ(b.kv_lora_rank, m.kv_lora_rank);
    for (int i = 0; i < m.layers; ++i) EXPECT_EQ(b.layer_slides(i), m.layer_slides(i)) << "layer " << i;
    EXPECT_NEAR(b.params_total, m.params_total, 1);
    // Active parameters of an MoE model are estimated from the architecture (the answer has only the total).
    EXPECT_NEAR(b.params_active / m.params_active, 1.0, 0.2);
    EXPECT_EQ(back->quant, "Q4_K_M");
  }
}

}  // namespace
}  // namespace llmux::catalog
