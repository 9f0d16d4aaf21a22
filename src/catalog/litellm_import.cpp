#include "catalog/litellm_import.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "catalog/json_guard.hpp"
#include "core/text.hpp"

namespace llmux::catalog {

namespace {

using json = nlohmann::json;

struct Figures {
  double input = 0, output = 0, cached = -1;
  int context = 0;
  std::string provider;
};

bool plausible(double per_token) { return std::isfinite(per_token) && per_token >= 0 && per_token < 0.01; }

// Token prices of one LiteLLM entry; false when it is not a priced chat model.
bool figures_of(const json& e, Figures& f) {
  if (!e.is_object()) return false;
  std::string mode = e.value("mode", std::string("chat"));
  if (mode != "chat" && mode != "completion" && mode != "responses") return false;
  auto in = e.find("input_cost_per_token"), out = e.find("output_cost_per_token");
  if (in == e.end() || out == e.end() || !in->is_number() || !out->is_number()) return false;
  f.input = in->get<double>();
  f.output = out->get<double>();
  if (!plausible(f.input) || !plausible(f.output)) return false;
  if (auto c = e.find("cache_read_input_token_cost"); c != e.end() && c->is_number() && plausible(c->get<double>()))
    f.cached = c->get<double>();
  for (const char* k : {"max_input_tokens", "max_tokens"}) {
    auto it = e.find(k);
    if (it != e.end() && it->is_number_unsigned() && it->get<std::uint64_t>() < (1u << 31)) {
      f.context = static_cast<int>(it->get<std::uint64_t>());
      break;
    }
  }
  f.provider = e.value("litellm_provider", std::string("unknown"));
  return true;
}

const CloudPrice* match_known(const std::string& key, const std::vector<CloudPrice>& known) {
  for (const auto& p : known) {
    if (equals_icase(p.id, key)) return &p;
    for (const auto& a : p.aliases)
      if (equals_icase(a, key)) return &p;
  }
  return nullptr;
}

void apply(CloudPrice& p, const Figures& f, const PriceImportOptions& o) {
  p.input_per_m = f.input * 1e6;
  p.output_per_m = f.output * 1e6;
  p.cached_input_per_m = f.cached >= 0 ? f.cached * 1e6 : -1;
  if (f.context > 0) p.context = f.context;
  p.source = o.source;
  p.date = o.date;
}

bool wanted_provider(const std::string& provider, const PriceImportOptions& o) {
  if (o.providers.empty()) return true;
  for (const auto& p : o.providers)
    if (equals_icase(p, provider)) return true;
  return false;
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string toml_number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

}  // namespace

Result<PriceImport> import_litellm_prices(const std::string& json_text, const std::vector<CloudPrice>& known,
                                          const PriceImportOptions& opts) {
  if (!json_depth_ok(json_text, 64)) return fail(ErrorCode::parse, "price file nests too deeply to be LiteLLM's format");
  json root = json::parse(json_text, nullptr, false);
  if (root.is_discarded() || !root.is_object())
    return fail(ErrorCode::parse, "not LiteLLM's model_prices_and_context_window.json (expected one JSON object)");
  PriceImport out;
  std::map<std::string, bool> done;  // known ids already updated (first match wins)
  for (const auto& [key, entry] : root.items()) {
    Figures f;
    if (key == "sample_spec" || !figures_of(entry, f)) {
      out.skipped += key == "sample_spec" ? 0 : 1;
      continue;
    }
    if (const CloudPrice* k = match_known(key, known)) {
      if (done[k->id]) continue;
      done[k->id] = true;
      CloudPrice p = *k;
      apply(p, f, opts);
      out.prices.push_back(std::move(p));
      ++out.updated;
    } else if (opts.add_unknown && wanted_provider(f.provider, opts)) {
      CloudPrice p;
      p.id = p.name = key;
      p.provider = f.provider;
      apply(p, f, opts);
      out.prices.push_back(std::move(p));
      ++out.added;
    }
  }
  for (const auto& k : known)
    if (!done[k.id]) out.unmatched_known.push_back(k.id);
  if (out.updated == 0 && out.added == 0)
    return fail(ErrorCode::parse, "no priced chat models found that match the catalog",
                "is this LiteLLM's model_prices_and_context_window.json? use --all to import every chat model");
  return out;
}

std::string prices_to_toml(const std::vector<CloudPrice>& prices, const std::string& header_comment) {
  std::string out = "# " + header_comment + "\n";
  for (const auto& p : prices) {
    out += "\n[[price]]\nid = " + toml_string(p.id) + "\nname = " + toml_string(p.name) +
           "\nprovider = " + toml_string(p.provider) + "\ninput_per_m = " + toml_number(p.input_per_m) +
           "\noutput_per_m = " + toml_number(p.output_per_m) + "\n";
    if (p.cached_input_per_m >= 0) out += "cached_input_per_m = " + toml_number(p.cached_input_per_m) + "\n";
    if (p.context > 0) out += "context = " + std::to_string(p.context) + "\n";
    if (!p.open_model.empty()) out += "open_model = " + toml_string(p.open_model) + "\n";
    if (!p.aliases.empty()) {
      out += "aliases = [";
      for (std::size_t i = 0; i < p.aliases.size(); ++i) out += (i ? ", " : "") + toml_string(p.aliases[i]);
      out += "]\n";
    }
    out += "source = " + toml_string(p.source) + "\ndate = " + toml_string(p.date) + "\n";
  }
  return out;
}

}  // namespace llmux::catalog
