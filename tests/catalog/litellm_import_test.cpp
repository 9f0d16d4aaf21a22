// Refreshing cloud prices from LiteLLM's price file.
#include "catalog/litellm_import.hpp"

#include <gtest/gtest.h>

#include "catalog/catalog.hpp"
#include "catalog/toml_records.hpp"
#include "support/process.hpp"

namespace llmux::catalog {
namespace {

std::vector<CloudPrice> known() {
  CloudPrice mini{"gpt-4o-mini", "GPT-4o mini", "openai", 0.15, 0.60, 0.075, 128000, "", "s", "2024-10-01", {}};
  CloudPrice haiku{"claude-3-5-haiku", "Claude 3.5 Haiku", "anthropic", 1.0, 5.0, 0.1, 200000, "", "s", "2024-11-01",
                   {"claude-3-5-haiku-20241022"}};
  CloudPrice gem{"gemini-2.0-flash", "Gemini 2.0 Flash", "google", 0.1, 0.4, -1, 1048576, "", "s", "2025-02-05", {}};
  return {mini, haiku, gem};
}

std::string fixture() { return test::read_file(std::string(LLMUX_SOURCE_DIR) + "/tests/catalog/fixtures/litellm_prices.json"); }

TEST(LiteLlmImport, UpdatesKnownModelsByIdOrAlias) {
  PriceImportOptions o{false, {}, "2025-10-01", "LiteLLM test"};
  auto r = import_litellm_prices(fixture(), known(), o);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->updated, 2);
  EXPECT_EQ(r->added, 0);
  ASSERT_EQ(r->prices.size(), 2u);
  auto by_id = [&](const std::string& id) {
    for (const auto& p : r->prices)
      if (p.id == id) return p;
    return CloudPrice{};
  };
  CloudPrice mini = by_id("gpt-4o-mini"), haiku = by_id("claude-3-5-haiku");
  EXPECT_NEAR(mini.input_per_m, 0.12, 1e-9);
  EXPECT_NEAR(mini.output_per_m, 0.50, 1e-9);
  EXPECT_NEAR(mini.cached_input_per_m, 0.06, 1e-9);
  EXPECT_NEAR(haiku.input_per_m, 0.80, 1e-9);  // matched through its alias claude-3-5-haiku-20241022
  EXPECT_EQ(haiku.date, "2025-10-01");
  EXPECT_EQ(r->unmatched_known, std::vector<std::string>{"gemini-2.0-flash"});
  EXPECT_GE(r->skipped, 2);  // the embedding model and the broken entry
}

TEST(LiteLlmImport, AddsUnknownChatModelsOnlyWhenAsked) {
  PriceImportOptions o{true, {"newvendor"}, "2025-10-01", "LiteLLM test"};
  auto r = import_litellm_prices(fixture(), known(), o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->added, 1);
  EXPECT_EQ(r->prices.back().id, "new-vendor/new-model");
  EXPECT_EQ(r->prices.back().context, 32768);
}

TEST(LiteLlmImport, WritesTomlTheCatalogReadsBack) {
  PriceImportOptions o{true, {}, "2025-10-01", "LiteLLM \"test\""};
  auto r = import_litellm_prices(fixture(), known(), o);
  ASSERT_TRUE(r);
  auto recs = parse_toml_records(prices_to_toml(r->prices, "test"), "litellm.toml");
  ASSERT_TRUE(recs) << recs.error().describe();
  ASSERT_EQ(recs->size(), r->prices.size());
  for (std::size_t i = 0; i < recs->size(); ++i) {
    auto p = price_from_record((*recs)[i]);
    ASSERT_TRUE(p) << p.error().describe();
    EXPECT_EQ(p->id, r->prices[i].id);
    EXPECT_NEAR(p->output_per_m, r->prices[i].output_per_m, 1e-6);
  }
}

TEST(LiteLlmImport, RejectsOtherFiles) {
  PriceImportOptions o{false, {}, "d", "s"};
  EXPECT_FALSE(import_litellm_prices("[]", known(), o));
  EXPECT_FALSE(import_litellm_prices("{\"x\": 1}", known(), o));
  EXPECT_FALSE(import_litellm_prices("{oops", known(), o));
}

}  // namespace
}  // namespace llmux::catalog
