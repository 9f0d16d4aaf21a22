#include "cli/compare_targets.hpp"

#include <cctype>
#include <cstdlib>

#include "bench/bench.hpp"
#include "catalog/try.hpp"
#include "core/text.hpp"
#include "providers/detect.hpp"
#include "providers/presets.hpp"

namespace llmux::cli {

namespace {

// The API model id for a catalog price id: its "-latest" alias when it has one
// (claude-3-5-haiku -> claude-3-5-haiku-latest), else the id as given.
std::string api_model(const catalog::CloudPrice* price, const std::string& given) {
  if (!price || price->id != given) return given;
  for (const auto& a : price->aliases)
    if (a.size() > 7 && a.compare(a.size() - 7, 7, "-latest") == 0) return a;
  return given;
}

Result<CompareTarget> cloud_preset_target(std::string_view item, const catalog::Catalog& cat) {
  auto colon = item.find(':');
  std::string provider(trim(item.substr(0, colon)));
  const providers::Preset* p = providers::find_preset(provider);
  if (!p || p->local)
    return fail(ErrorCode::usage, "unknown cloud provider '" + provider + "'" + did_you_mean(provider, providers::preset_names()),
                "--cloud takes provider:model, e.g. openai:gpt-4o-mini");
  if (p->base_url.empty()) return fail(ErrorCode::usage, provider + " has no fixed URL", "use --cloud-url NAME=URL,price=ID for it");
  std::string model = colon == std::string_view::npos ? p->default_model : std::string(trim(item.substr(colon + 1)));
  CompareTarget t;
  t.name = provider + ":" + model;
  t.provider = provider, t.url = p->base_url, t.dialect = std::string(api::to_string(p->dialect));
  t.key_env = providers::key_env_in_use(*p);  // the preset's variable, else another that holds its key
  // A model the catalog does not price would be neither measured without a key nor
  // costed with one, and would drop out of the answer without a word: most often a typo.
  auto price = cat.price(model);
  if (!price)
    return fail(ErrorCode::usage, "--cloud " + t.name + ": " + price.error().message,
                "see `llmux catalog list prices`; to measure a model it lacks, --cloud-url NAME=URL,model=M,price=ID");
  t.price_id = (*price)->id;
  t.model = api_model(*price, model);
  if (!providers::env_set(t.key_env))
    t.not_measured = providers::key_env_names(*p) + " is not set, so it was priced from the catalog";
  return t;
}

// NAME=URL,dialect=openai,price=gpt-4o-mini,model=M,key-env=VAR
Result<CompareTarget> cloud_url_target(const std::string& spec, const catalog::Catalog& cat) {
  auto parts = split(spec, ',');
  auto eq = parts.front().find('=');
  if (eq == std::string_view::npos)
    return fail(ErrorCode::usage, "--cloud-url '" + spec + "' has no NAME=URL", "e.g. --cloud-url myapi=https://host/v1,price=gpt-4o-mini");
  CompareTarget t;
  t.name = std::string(trim(parts.front().substr(0, eq)));
  t.url = std::string(trim(parts.front().substr(eq + 1)));
  t.provider = t.name;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    auto kv = parts[i];
    auto e = kv.find('=');
    std::string key(trim(kv.substr(0, e))), value(e == std::string_view::npos ? "" : trim(kv.substr(e + 1)));
    if (key == "dialect") t.dialect = value;
    else if (key == "price") t.price_id = value;
    else if (key == "model") t.model = value;
    else if (key == "key-env") t.key_env = value;
    else return fail(ErrorCode::usage, "--cloud-url: unknown key '" + key + "'", "keys: dialect, price, model, key-env");
  }
  if (t.url.rfind("http://", 0) != 0 && t.url.rfind("https://", 0) != 0)
    return fail(ErrorCode::usage, "--cloud-url " + t.name + ": '" + t.url + "' is not an http(s) URL");
  if (!t.price_id.empty()) {
    auto price = cat.price(t.price_id);
    if (!price) return fail(ErrorCode::usage, "--cloud-url " + t.name + ": " + price.error().message, "price= takes a catalog price id");
    t.price_id = (*price)->id;
  }
  if (t.model.empty()) t.model = t.price_id.empty() ? t.name : t.price_id;
  if (!t.key_env.empty() && !std::getenv(t.key_env.c_str())) t.not_measured = t.key_env + " is not set";
  return t;
}

std::string local_name(const CompareTarget& t) {
  std::string where = t.runtime.empty() ? t.url : t.runtime;
  if (t.runtime.empty() && t.url.find("://") != std::string::npos) {
    where = t.url.substr(t.url.find("://") + 3);
    where = where.substr(0, where.find('/'));
  }
  return "local: " + (t.model.empty() ? where : t.model + (t.runtime.empty() ? " @ " : " on ") + where);
}

CompareTarget local_url_target(const std::string& url, const std::string& model, const std::string& runtime, bool ignore_eos) {
  CompareTarget t;
  t.local = true;
  t.url = url, t.model = model, t.runtime = runtime, t.accepts_ignore_eos = ignore_eos;
  t.name = local_name(t);
  return t;
}

std::vector<CompareTarget> detected_targets() {
  std::vector<CompareTarget> out;
  for (const auto& rt : providers::detect_local({})) {
    std::string model = !rt.loaded.empty() ? rt.loaded.front() : !rt.models.empty() ? rt.models.front() : "";
    const providers::Preset* p = providers::find_preset(rt.runtime);
    // A sim of Anthropic's or Gemini's API has no OpenAI endpoint: bench it in its own.
    bool own_api = rt.base_url.empty();
    CompareTarget t = local_url_target(own_api ? rt.native_url : rt.base_url, model, rt.runtime,
                                       p ? p->accepts_ignore_eos : true);
    if (own_api) t.dialect = rt.dialect;
    t.simulated = rt.simulated;  // found running: benched as it is, but no model runs behind it
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Result<std::vector<CompareTarget>> resolve_cloud(const std::string& cloud, const std::vector<std::string>& cloud_urls,
                                                  const catalog::Catalog& cat) {
  std::vector<CompareTarget> out;
  if (to_lower(trim(cloud)) != "none")
    for (auto item : split(cloud, ',')) {
      if (trim(item).empty()) continue;
      CompareTarget t;
      LLMUX_TRY_ASSIGN(t, cloud_preset_target(item, cat));
      out.push_back(std::move(t));
    }
  for (const auto& spec : cloud_urls) {
    CompareTarget t;
    LLMUX_TRY_ASSIGN(t, cloud_url_target(spec, cat));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<CompareTarget>> resolve_local(const std::string& local, const std::string& model) {
  std::vector<CompareTarget> out;
  for (auto raw : split(local, ',')) {
    std::string item = std::string(trim(raw));
    if (item.empty() || item == "none") continue;
    if (item == "auto") {
      for (auto& t : detected_targets()) out.push_back(std::move(t));
    } else if (item == "sim") {
      CompareTarget t;
      t.name = "local (simulated)";
      t.local = t.simulated = true;
      out.push_back(t);
    } else if (item.rfind("http://", 0) == 0 || item.rfind("https://", 0) == 0) {
      out.push_back(local_url_target(item, model, "", true));  // a bare host:port gets /v1 (make_endpoint)
    } else if (const providers::Preset* p = providers::find_preset(item); p && p->local) {
      out.push_back(local_url_target(p->base_url, model, p->name, p->accepts_ignore_eos));
    } else {
      return fail(ErrorCode::usage, "--local '" + item + "' is not auto, none, sim, a URL or a local runtime" +
                                        did_you_mean(item, providers::preset_names()),
                  "e.g. --local http://127.0.0.1:8080/v1 or --local ollama");
    }
  }
  return out;
}

void name_local_models(std::vector<CompareTarget>& targets) {
  for (auto& t : targets) {
    if (!t.local || t.simulated || !t.model.empty()) continue;
    auto ep = providers::make_endpoint({t.url, api::Dialect::openai, "", "", {}});
    if (!ep) continue;
    net::ClientOptions client;
    client.connect_timeout = client.total_timeout = client.read_timeout = 5 * kNanosPerSecond;
    auto models = bench::list_models(*ep, client);
    if (models && !models->empty()) t.model = models->front();
    t.name = local_name(t);
  }
}

std::string slug(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
    if (keep) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "target" : out;
}

}  // namespace llmux::cli
