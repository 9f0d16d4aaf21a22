// llmux catalog: list and show the bundled catalogs (models, devices, cloud
// prices), refresh prices from LiteLLM's price file, inspect a model file.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "catalog/catalog.hpp"
#include "catalog/gguf_reader.hpp"
#include "catalog/hf_config.hpp"
#include "catalog/litellm_import.hpp"
#include "catalog/model_source.hpp"
#include "catalog/quant_scheme.hpp"
#include "catalog/tensor_layout.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "core/text.hpp"
#include "plan/format.hpp"

namespace llmux::cli {

namespace fs = std::filesystem;

std::string user_data_dir() {
  if (const char* d = std::getenv("LLMUX_USER_DATA_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/llmux";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/llmux";
  return ".llmux";
}

std::vector<std::string> catalog_dirs() { return {data_dir(), user_data_dir()}; }

namespace {

struct CatalogFlags {
  std::string what = "all";
  std::string id, file, out, providers;
  bool all = false;
};

std::string today() {
  std::time_t t = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  return buf;
}

void list_models(const catalog::Catalog& c) {
  std::printf("%-30s %-10s %10s %10s %7s %9s  %s\n", "model", "arch", "params", "active", "layers", "context", "source date");
  for (const auto& m : c.models)
    std::printf("%-30s %-10s %9.1fB %9.1fB %7d %9d  %s\n", m.id.c_str(), m.arch.c_str(), m.params_total / 1e9,
                m.params_active / 1e9, m.layers, m.max_context, m.date.c_str());
}

void list_devices(const catalog::Catalog& c) {
  std::printf("%-20s %-8s %9s %9s %10s %7s %8s  %s\n", "device", "kind", "memory", "GB/s", "fp16 TF", "watts", "price", "name");
  for (const auto& d : c.devices)
    std::printf("%-20s %-8s %6.0f GiB %9.0f %10.1f %7.0f %8s  %s\n", d.id.c_str(), std::string(catalog::to_string(d.kind)).c_str(),
                d.memory_gib, d.bandwidth_gbs, d.fp16_tflops, d.power_watts, plan::money(d.price_usd).c_str(), d.name.c_str());
}

void list_prices(const catalog::Catalog& c) {
  std::printf("%-26s %-10s %9s %9s %9s %9s  %s\n", "cloud model", "provider", "in $/1M", "out $/1M", "cached", "context", "date");
  for (const auto& p : c.prices)
    std::printf("%-26s %-10s %9.3f %9.3f %9s %9d  %s\n", p.id.c_str(), p.provider.c_str(), p.input_per_m, p.output_per_m,
                p.cached_input_per_m >= 0 ? plan::fmt("%.3f", p.cached_input_per_m).c_str() : "-", p.context, p.date.c_str());
}

int run_list(const CatalogFlags& f) {
  auto c = catalog::load_catalog(catalog_dirs());
  if (!c) return print_error(c.error());
  std::string w = to_lower(f.what);
  if (w != "all" && w != "models" && w != "devices" && w != "prices")
    return print_error(Error{ErrorCode::usage, "unknown list '" + f.what + "'", "use models, devices, prices or all", 0});
  if (w == "all" || w == "models") list_models(*c);
  if (w == "all") std::printf("\n");
  if (w == "all" || w == "devices") list_devices(*c);
  if (w == "all") std::printf("\n");
  if (w == "all" || w == "prices") list_prices(*c);
  return 0;
}

void show_model(const catalog::ModelSpec& m) {
  std::printf("model %s: %s\n  arch %s, %d layers, hidden %d, %d heads (%d KV, head dim %d), vocab %d\n", m.id.c_str(),
              m.name.c_str(), m.arch.c_str(), m.layers, m.hidden_size, m.attention_heads, m.kv_heads, m.head_dim, m.vocab_size);
  if (m.is_moe())
    std::printf("  MoE: %d experts, %d active, %d shared, expert width %d, %d leading dense layers\n", m.experts_total,
                m.experts_active, m.shared_experts, m.moe_intermediate_size, m.dense_layers);
  else std::printf("  FFN width %d\n", m.intermediate_size);
  if (m.is_mla()) std::printf("  MLA: kv_lora_rank %d, q_lora_rank %d, rope dims %d\n", m.kv_lora_rank, m.q_lora_rank, m.qk_rope_head_dim);
  if (m.sliding_window) std::printf("  sliding window %d tokens (every %d-th layer global)\n", m.sliding_window, m.sliding_window_pattern);
  std::printf("  parameters: %.2fB published, %.2fB from the architecture, %.2fB active; context %d\n", m.params_total / 1e9,
              catalog::architecture_params(m) / 1e9, m.params_active / 1e9, m.max_context);
  std::printf("  GGUF sizes:");
  for (const char* q : {"F16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"}) {
    double b = 0;
    for (const auto& t : catalog::quantize(m, *catalog::find_quant(q))) b += t.bytes;
    std::printf(" %s %s", q, format_bytes(b).c_str());
  }
  std::printf("\n  source %s (%s)\n", m.source.c_str(), m.date.c_str());
}

void show_device(const catalog::DeviceSpec& d) {
  std::printf("device %s: %s\n  %s, %s backend, %.0f GiB at %.0f GB/s\n", d.id.c_str(), d.name.c_str(),
              std::string(catalog::to_string(d.kind)).c_str(), d.backend.c_str(), d.memory_gib, d.bandwidth_gbs);
  std::printf("  dense TFLOPS: fp16 %.1f, bf16 %.1f, fp8 %.1f; int8 %.1f TOPS\n", d.fp16_tflops, d.bf16_tflops, d.fp8_tflops, d.int8_tops);
  std::printf("  power %.0f W, price %s, released %s\n  source %s (%s)\n", d.power_watts, plan::money(d.price_usd).c_str(),
              d.released.c_str(), d.source.c_str(), d.date.c_str());
}

void show_price(const catalog::CloudPrice& p) {
  std::printf("cloud model %s: %s (%s)\n  $%.3f per 1M input, $%.3f per 1M output", p.id.c_str(), p.name.c_str(),
              p.provider.c_str(), p.input_per_m, p.output_per_m);
  if (p.cached_input_per_m >= 0) std::printf(", $%.3f per 1M cached input", p.cached_input_per_m);
  std::printf("\n  context %d tokens%s\n  source %s (%s)\n", p.context,
              p.open_model.empty() ? "" : (", serves " + p.open_model).c_str(), p.source.c_str(), p.date.c_str());
}

int run_show(const CatalogFlags& f) {
  auto c = catalog::load_catalog(catalog_dirs());
  if (!c) return print_error(c.error());
  if (auto m = c->model(f.id)) return show_model(**m), 0;
  if (auto d = c->device(f.id)) return show_device(**d), 0;
  if (auto p = c->price(f.id)) return show_price(**p), 0;
  std::vector<std::string> all = c->model_ids();
  for (const auto& v : {c->device_ids(), c->price_ids()}) all.insert(all.end(), v.begin(), v.end());
  return print_error(Error{ErrorCode::not_found, "no model, device or cloud model '" + f.id + "'" + did_you_mean(f.id, all),
                           "see `llmux catalog list`", 0});
}

int run_import(const CatalogFlags& f) {
  auto c = catalog::load_catalog(catalog_dirs());
  if (!c) return print_error(c.error());
  std::ifstream in(f.file, std::ios::binary);
  if (!in) return print_error(Error{ErrorCode::io, "cannot read price file", f.file, 0});
  std::stringstream ss;
  ss << in.rdbuf();
  catalog::PriceImportOptions o;
  o.add_unknown = f.all;
  for (auto p : split(f.providers, ','))
    if (!trim(p).empty()) o.providers.emplace_back(trim(p));
  o.date = today();
  o.source = "LiteLLM model_prices_and_context_window.json (imported from " + fs::path(f.file).filename().string() + ")";
  auto imp = catalog::import_litellm_prices(ss.str(), c->prices, o);
  if (!imp) return print_error(imp.error());
  std::string out = f.out.empty() ? user_data_dir() + "/prices/litellm.toml" : f.out;
  std::error_code ec;
  fs::create_directories(fs::path(out).parent_path(), ec);
  std::ofstream w(out, std::ios::binary);
  w << catalog::prices_to_toml(imp->prices, "Imported by `llmux catalog import-prices` on " + o.date + "; entries here override the bundled ones.");
  if (!w) return print_error(Error{ErrorCode::io, "cannot write " + out, "use --out PATH", 0});
  std::printf("updated %d known cloud models, added %d, skipped %d entries that are not priced chat models\nwrote %s\n",
              imp->updated, imp->added, imp->skipped, out.c_str());
  if (!imp->unmatched_known.empty())
    std::printf("no LiteLLM figures for: %s (they keep their bundled prices)\n", [&] {
      std::string s;
      for (const auto& id : imp->unmatched_known) s += (s.empty() ? "" : ", ") + id;
      return s;
    }().c_str());
  return 0;
}

int inspect_gguf(const std::string& path) {
  auto m = catalog::load_gguf_model(path);
  if (!m) return print_error(m.error());
  const auto& s = m->spec;
  double bytes = 0;
  for (const auto& t : m->tensors) bytes += t.bytes;
  std::printf("GGUF %s\n  %s: arch %s, %d layers, hidden %d, %d heads (%d KV), context %d\n  %zu tensors, %s of weights (%s), %.2fB parameters\n",
              path.c_str(), s.name.c_str(), s.arch.c_str(), s.layers, s.hidden_size, s.attention_heads, s.kv_heads,
              s.max_context, m->tensors.size(), format_bytes(bytes).c_str(), m->quant.c_str(), s.params_total / 1e9);
  return 0;
}

int run_inspect(const CatalogFlags& f) {
  std::string ext = fs::path(f.file).extension().string();
  if (ext == ".gguf") return inspect_gguf(f.file);
  if (ext == ".safetensors") {
    auto h = catalog::read_safetensors(f.file);
    if (!h) return print_error(h.error());
    double bytes = 0;
    for (const auto& t : h->tensors) bytes += static_cast<double>(t.bytes());
    std::printf("safetensors %s\n  %zu tensors, %s\n", f.file.c_str(), h->tensors.size(), format_bytes(bytes).c_str());
    return 0;
  }
  auto m = catalog::load_hf_model(f.file);
  if (!m) return print_error(m.error());
  show_model(m->spec);
  for (const auto& n : m->notes) std::printf("  note: %s\n", n.c_str());
  return 0;
}

}  // namespace

void register_catalog(CLI::App& app, CommandContext& ctx) {
  auto f = std::make_shared<CatalogFlags>();
  auto* cmd = app.add_subcommand("catalog", "the bundled catalogs of models, devices and cloud prices");
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "list models, devices and cloud prices");
  list->add_option("what", f->what, "models, devices, prices or all")->capture_default_str();
  list->callback([f, &ctx] { ctx.exit_code = run_list(*f); });
  auto* show = cmd->add_subcommand("show", "show one model, device or cloud price");
  show->add_option("id", f->id, "catalog id")->required();
  show->callback([f, &ctx] { ctx.exit_code = run_show(*f); });
  auto* imp = cmd->add_subcommand("import-prices", "refresh cloud prices from LiteLLM's model_prices_and_context_window.json");
  imp->add_option("file", f->file, "the JSON file")->required();
  imp->add_option("--out", f->out, "where to write the TOML (default: the user catalog, ~/.local/share/llmux/prices/litellm.toml)");
  imp->add_flag("--all", f->all, "also add chat models the catalog does not know");
  imp->add_option("--provider", f->providers, "with --all: only these litellm_provider values (comma-separated)");
  imp->callback([f, &ctx] { ctx.exit_code = run_import(*f); });
  auto* ins = cmd->add_subcommand("inspect", "read a GGUF, safetensors or config.json file and print what it holds");
  ins->add_option("file", f->file, "the file")->required();
  ins->callback([f, &ctx] { ctx.exit_code = run_inspect(*f); });
}

}  // namespace llmux::cli
