#pragma once
// Reads LiteLLM's model_prices_and_context_window.json so users refresh cloud
// prices without a new llmux release. Known catalog entries (matched by id or
// alias) get the new prices; other chat models are added only when asked.
#include <string>
#include <vector>

#include "catalog/price_spec.hpp"
#include "core/error.hpp"

namespace llmux::catalog {

struct PriceImportOptions {
  bool add_unknown = false;             // add chat models the catalog does not know
  std::vector<std::string> providers;   // when adding: only these litellm_provider values (empty = all)
  std::string date;                     // YYYY-MM-DD stamped on each entry
  std::string source;                   // stamped on each entry
};

struct PriceImport {
  std::vector<CloudPrice> prices;  // entries to write
  int updated = 0;                 // known entries with new figures
  int added = 0;
  int skipped = 0;                 // not chat, no token prices, or implausible
  std::vector<std::string> unmatched_known;  // catalog entries LiteLLM had no figures for
};

Result<PriceImport> import_litellm_prices(const std::string& json_text, const std::vector<CloudPrice>& known,
                                          const PriceImportOptions& opts);
// [[price]] TOML entries the catalog loader reads back.
std::string prices_to_toml(const std::vector<CloudPrice>& prices, const std::string& header_comment);

}  // namespace llmux::catalog
