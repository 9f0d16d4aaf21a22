// [[price]] entries -> CloudPrice.
#include "catalog/catalog.hpp"
#include "catalog/toml_records.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

Result<CloudPrice> price_from_record(const Record& r) {
  FieldReader f(r);
  CloudPrice p;
  LLMUX_TRY_ASSIGN(p.id, f.text("id"));
  p.name = f.text_or("name", p.id);
  LLMUX_TRY_ASSIGN(p.provider, f.text("provider"));
  LLMUX_TRY_ASSIGN(p.input_per_m, f.number("input_per_m"));
  LLMUX_TRY_ASSIGN(p.output_per_m, f.number("output_per_m"));
  LLMUX_TRY_ASSIGN(p.cached_input_per_m, f.number_or("cached_input_per_m", -1));
  LLMUX_TRY_ASSIGN(p.context, f.integer_or("context", 0));
  p.open_model = f.text_or("open_model", "");
  LLMUX_TRY_ASSIGN(p.source, f.text("source"));
  LLMUX_TRY_ASSIGN(p.date, f.text("date"));
  LLMUX_TRY_ASSIGN(p.aliases, f.strings_or("aliases"));
  LLMUX_TRY_VOID(f.finish());
  return p;
}

}  // namespace llmux::catalog
