#include "gateway/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "core/text.hpp"
#include "gateway/config_reader.hpp"
#include "net/proxy.hpp"
#include "net/url.hpp"
#include "privacy/privacy_config.hpp"
#include "providers/presets.hpp"

namespace llmux::gateway {

std::string_view to_string(Locality l) { return l == Locality::local ? "local" : "cloud"; }

std::string_view to_string(Strategy s) {
  switch (s) {
    case Strategy::priority: return "priority";
    case Strategy::weighted: return "weighted";
    case Strategy::least_outstanding: return "least_outstanding";
    case Strategy::lowest_latency: return "lowest_latency";
  }
  return "priority";
}

const DeploymentConfig* GatewayConfig::deployment(std::string_view name) const {
  for (const auto& d : deployments)
    if (d.name == name) return &d;
  return nullptr;
}

const RouteConfig* GatewayConfig::route(std::string_view alias) const {
  for (const auto& r : routes)
    if (r.alias == alias) return &r;
  return nullptr;
}

std::string default_ledger_path() {
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/llmux/ledger.db";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/llmux/ledger.db";
  return "llmux-ledger.db";
}

namespace {

void read_server(ConfigReader r, ServerSection& s) {
  if (auto v = r.text("host")) s.host = *v;
  if (auto v = r.integer("port", 0, 65535)) s.port = static_cast<std::uint16_t>(*v);
  if (auto v = r.integer("threads", 1, 256)) s.threads = static_cast<int>(*v);
  if (auto v = r.bytes("max_body_bytes")) s.max_body_bytes = *v;
  if (auto v = r.bytes("max_header_bytes")) s.max_header_bytes = *v;
  if (auto v = r.integer("max_connections", 1, 1'000'000)) s.max_connections = static_cast<std::size_t>(*v);
  if (auto v = r.duration("idle_timeout")) s.idle_timeout = *v;
  if (auto v = r.duration("request_timeout")) s.request_timeout = *v;
  if (auto v = r.duration("shutdown_grace")) {
    if (*v < 0 || *v > 3600 * kNanosPerSecond) r.problem("shutdown_grace", "must be between 0 and 1h");
    else s.shutdown_grace = *v;
  }
  if (auto v = r.duration("busy_poll")) {
    if (*v < 0 || *v > 10 * kNanosPerMilli) r.problem("busy_poll", "must be between 0 and 10ms");
    else s.busy_poll = *v;
  }
  r.finish();
}

void read_ledger(ConfigReader r, LedgerSection& s) {
  if (auto v = r.flag("enabled")) s.enabled = *v;
  if (auto v = r.text("path")) s.path = *v;
  if (auto v = r.duration("commit_interval")) {
    if (*v < kNanosPerMilli || *v > 60 * kNanosPerSecond) r.problem("commit_interval", "must be between 1ms and 60s");
    else s.commit_interval = *v;
  }
  r.finish();
}

void read_admin(ConfigReader r, AdminSection& s) {
  if (auto v = r.flag("enabled")) s.enabled = *v;
  if (auto v = r.text("key_env")) s.key_env = *v;
  r.finish();
}

void read_breaker(ConfigReader r, BreakerSection& s) {
  if (auto v = r.integer("failures", 1, 1000)) s.failures = static_cast<int>(*v);
  if (auto v = r.duration("cooldown")) s.cooldown = *v;
  r.finish();
}

void read_log(ConfigReader r, LogSection& s) {
  if (auto v = r.text("access")) s.access = *v;
  r.finish();
}

// Where the deployment runs, when the file does not say: a loopback URL is local;
// anything else counts as cloud (the safe side for privacy rules), a local runtime's
// preset included: `provider = "ollama"` at https://ollama.example.com is another
// machine, and local-only data would go there.
Locality infer_locality(const DeploymentConfig& d) {
  auto url = net::parse_url(d.url);
  if (url && net::is_loopback_host(url->host)) return Locality::local;
  return Locality::cloud;
}

DeploymentConfig read_deployment(ConfigReader r) {
  DeploymentConfig d;
  d.line = r.table_line();
  d.name = r.text("name").value_or("");
  d.provider = r.text("provider").value_or("");
  d.url = r.text("url").value_or("");
  d.model = r.text("model").value_or("");
  d.api_key_env = r.text("api_key_env").value_or("");
  d.api_key_file = r.text("api_key_file").value_or("");
  const providers::Preset* preset = nullptr;
  if (!d.provider.empty()) {
    preset = providers::find_preset(d.provider);
    if (!preset) {
      r.problem("provider", "unknown provider '" + d.provider + "'" + did_you_mean(d.provider, providers::preset_names()));
    }
  }
  if (preset) {
    if (d.url.empty()) d.url = preset->base_url;
    d.dialect = preset->dialect;
    d.accepts_ignore_eos = preset->accepts_ignore_eos;
    if (d.api_key_env.empty() && d.api_key_file.empty()) d.api_key_env = providers::key_env_in_use(*preset);
  }
  if (auto v = r.text("dialect")) {
    if (auto dl = api::parse_dialect(*v)) d.dialect = *dl;
    else r.problem("dialect", "must be openai, anthropic, gemini or ollama");
  }
  if (auto v = r.text("locality")) {
    if (*v == "local") d.locality = Locality::local;
    else if (*v == "cloud") d.locality = Locality::cloud;
    else r.problem("locality", "must be \"local\" or \"cloud\"");
  } else {
    d.locality = infer_locality(d);
    d.locality_inferred = true;
  }
  d.price_input = r.number("price_input", 0, 1e6);
  d.price_output = r.number("price_output", 0, 1e6);
  d.price_cached_input = r.number("price_cached_input", 0, 1e6);
  if (auto v = r.integer("max_concurrent", 0, 1'000'000)) d.max_concurrent = static_cast<int>(*v);
  if (auto v = r.integer("max_queue", 0, 1'000'000)) d.max_queue = static_cast<int>(*v);
  if (auto v = r.duration("timeout")) d.timeout = *v;
  if (auto v = r.duration("connect_timeout")) d.connect_timeout = *v;
  if (auto v = r.duration("read_timeout")) d.read_timeout = *v;
  if (auto v = r.integer("weight", 0, 1'000'000)) d.weight = static_cast<int>(*v);
  if (auto v = r.integer("priority", -1'000'000, 1'000'000)) d.priority = static_cast<int>(*v);
  if (auto v = r.duration("health_interval")) d.health_interval = *v;
  if (auto v = r.strings("headers")) d.headers = *v;
  if (auto v = r.flag("ignore_eos")) d.accepts_ignore_eos = *v;
  if (d.name.empty()) r.problem("name", "every deployment needs a name");
  if (d.model.empty()) r.problem("model", "every deployment needs the upstream model id");
  if (d.url.empty()) r.problem("url", "give url, or a provider preset that has one");
  else if (auto u = net::parse_url(d.url); !u) r.problem("url", u.error().message);
  r.finish();
  return d;
}

Strategy parse_strategy(ConfigReader& r) {
  auto v = r.text("strategy");
  if (!v) return Strategy::priority;
  if (*v == "priority") return Strategy::priority;
  if (*v == "weighted") return Strategy::weighted;
  if (*v == "least_outstanding") return Strategy::least_outstanding;
  if (*v == "lowest_latency") return Strategy::lowest_latency;
  r.problem("strategy", "must be priority, weighted, least_outstanding or lowest_latency");
  return Strategy::priority;
}

RouteConfig read_route(ConfigReader r) {
  RouteConfig rc;
  rc.line = r.table_line();
  rc.alias = r.text("alias").value_or("");
  rc.deployments = r.strings("deployments").value_or(std::vector<std::string>{});
  rc.strategy = parse_strategy(r);
  if (auto v = r.integer("retries", 0, 10)) rc.retries = static_cast<int>(*v);
  if (auto v = r.duration("retry_backoff")) rc.retry_backoff = *v;
  if (rc.alias.empty()) r.problem("alias", "every route needs an alias (the model name clients send)");
  if (rc.deployments.empty()) r.problem("deployments", "a route needs at least one deployment");
  r.finish();
  return rc;
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

KeyConfig read_key(ConfigReader r) {
  KeyConfig k;
  k.line = r.table_line();
  k.id = r.text("id").value_or("");
  k.team = r.text("team").value_or("");
  std::string hash = r.text("hash").value_or("");
  if (hash.rfind("sha256:", 0) == 0 && is_sha256_hex(hash.substr(7))) k.sha256_hex = to_lower(hash.substr(7));
  else r.problem("hash", "must be \"sha256:<64 hex digits>\" as printed by `llmux keys create`");
  k.routes = r.strings("routes").value_or(std::vector<std::string>{});
  if (k.id.empty()) r.problem("id", "every key needs an id");
  r.finish();
  return k;
}

BudgetConfig read_budget(ConfigReader r) {
  BudgetConfig b;
  b.line = r.table_line();
  b.key = r.text("key").value_or("");
  b.team = r.text("team").value_or("");
  b.requests_per_minute = r.integer("requests_per_minute", 1, 100'000'000);
  b.tokens_per_minute = r.integer("tokens_per_minute", 1, 100'000'000'000);
  b.usd_per_day = r.number("usd_per_day", 0, 1e9);
  b.usd_per_month = r.number("usd_per_month", 0, 1e12);
  if (b.key.empty() == b.team.empty()) r.problem("key", "a budget applies to exactly one of key = \"id\" or team = \"name\"");
  if (!b.requests_per_minute && !b.tokens_per_minute && !b.usd_per_day && !b.usd_per_month)
    r.problem("usd_per_day", "a budget needs at least one limit: requests_per_minute, tokens_per_minute, usd_per_day, usd_per_month");
  r.finish();
  return b;
}

// [privacy]: parsed by the privacy library (every problem, in line order), and
// compiled now so that a bad pattern fails `config check` with its line rather than
// the first request. `enabled = false` turns the stage off: no scanner, no verdicts.
void read_privacy(const toml::table& t, GatewayConfig& c, Problems& problems) {
  auto cfg = privacy::read_privacy_config(t, c.source);
  if (!cfg) {
    problems.insert(problems.end(), cfg.error().begin(), cfg.error().end());
    return;
  }
  c.privacy = *cfg;
  if (!cfg->enabled) return;
  auto scanner = privacy::Scanner::compile(*cfg);
  if (!scanner) {
    problems.push_back(scanner.error());
    return;
  }
  c.scanner = std::make_shared<const privacy::Scanner>(std::move(*scanner));
}

template <class T, class F>
void read_array(ConfigReader& root, std::string_view key, std::vector<T>& out, const std::string& file,
                Problems& problems, F read_one) {
  const toml::array* arr = root.array(key);
  if (!arr) return;
  std::size_t i = 0;
  for (const auto& item : *arr) {
    std::string section = std::string(key) + "[" + std::to_string(i++) + "]";
    if (const toml::table* t = item.as_table()) out.push_back(read_one(ConfigReader(*t, section, file, problems)));
    else problems.push_back(Error{ErrorCode::config, section + " must be a table ([[" + std::string(key) + "]])",
                                  file + ":" + std::to_string(item.source().begin.line), 0});
  }
}

// Names unique, references resolve.
void cross_check(const GatewayConfig& c, Problems& problems) {
  auto at = [&](int line) { return c.source + ":" + std::to_string(line); };
  std::set<std::string> names, aliases, ids;
  for (const auto& d : c.deployments)
    if (!d.name.empty() && !names.insert(d.name).second)
      problems.push_back(Error{ErrorCode::config, "deployment name '" + d.name + "' is used twice", at(d.line), 0});
  std::vector<std::string> all(names.begin(), names.end());
  for (const auto& r : c.routes) {
    if (!r.alias.empty() && !aliases.insert(r.alias).second)
      problems.push_back(Error{ErrorCode::config, "route alias '" + r.alias + "' is used twice", at(r.line), 0});
    for (const auto& d : r.deployments)
      if (!names.count(d))
        problems.push_back(Error{ErrorCode::config,
                                 "route '" + r.alias + "' names unknown deployment '" + d + "'" + did_you_mean(d, all),
                                 at(r.line), 0});
  }
  std::set<std::string> teams;
  for (const auto& k : c.keys) teams.insert(k.team);
  for (const auto& b : c.budgets) {
    if (!b.key.empty() && std::none_of(c.keys.begin(), c.keys.end(), [&](const KeyConfig& k) { return k.id == b.key; }))
      problems.push_back(Error{ErrorCode::config, "budget for unknown key '" + b.key + "'", at(b.line), 0});
    if (!b.team.empty() && !teams.count(b.team))
      problems.push_back(Error{ErrorCode::config, "budget for team '" + b.team + "', which no key belongs to", at(b.line), 0});
  }
  for (const auto& k : c.keys) {
    if (!k.id.empty() && !ids.insert(k.id).second)
      problems.push_back(Error{ErrorCode::config, "key id '" + k.id + "' is used twice", at(k.line), 0});
    for (const auto& a : k.routes)
      if (!aliases.count(a))
        problems.push_back(Error{ErrorCode::config, "key '" + k.id + "' allows unknown route '" + a + "'", at(k.line), 0});
  }
}

}  // namespace

tl::expected<GatewayConfig, Problems> parse_config(std::string_view text, const std::string& source) {
  Problems problems;
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    problems.push_back(Error{ErrorCode::config, "not valid TOML: " + std::string(e.description()),
                             source + ":" + std::to_string(e.source().begin.line), 0});
    return tl::unexpected(problems);
  }
  GatewayConfig c;
  c.source = source;
  ConfigReader r(root, "", source, problems);
  if (auto* t = r.table("server")) read_server(ConfigReader(*t, "server", source, problems), c.server);
  if (auto* t = r.table("ledger")) read_ledger(ConfigReader(*t, "ledger", source, problems), c.ledger);
  if (auto* t = r.table("admin")) read_admin(ConfigReader(*t, "admin", source, problems), c.admin);
  if (auto* t = r.table("breaker")) read_breaker(ConfigReader(*t, "breaker", source, problems), c.breaker);
  if (auto* t = r.table("log")) read_log(ConfigReader(*t, "log", source, problems), c.log);
  read_array(r, "deployments", c.deployments, source, problems, read_deployment);
  read_array(r, "routes", c.routes, source, problems, read_route);
  read_array(r, "keys", c.keys, source, problems, read_key);
  read_array(r, "budgets", c.budgets, source, problems, read_budget);
  if (auto* t = r.table("privacy")) read_privacy(*t, c, problems);
  r.finish();
  if (c.ledger.path.empty()) c.ledger.path = default_ledger_path();
  cross_check(c, problems);
  if (!problems.empty()) {
    // In line order, as an editor walks the file (sections are read one after another).
    auto line_of = [](const Error& e) {
      auto colon = e.context.rfind(':');
      if (colon == std::string::npos) return std::numeric_limits<long>::max();
      char* end = nullptr;
      long n = std::strtol(e.context.c_str() + colon + 1, &end, 10);
      return end && *end == '\0' && end != e.context.c_str() + colon + 1 ? n : std::numeric_limits<long>::max();
    };
    std::stable_sort(problems.begin(), problems.end(), [&](const Error& a, const Error& b) { return line_of(a) < line_of(b); });
    return tl::unexpected(problems);
  }
  return c;
}

Result<std::string> read_secret(const DeploymentConfig& d) {
  if (!d.api_key_file.empty()) {
    std::ifstream in(d.api_key_file);
    if (!in)
      return fail(ErrorCode::config, "deployment '" + d.name + "': api_key_file " + d.api_key_file + " cannot be read",
                  "check that the file exists and this user may read it");
    std::stringstream ss;
    ss << in.rdbuf();
    return std::string(trim(ss.str()));
  }
  if (d.api_key_env.empty()) return std::string();
  const char* v = std::getenv(d.api_key_env.c_str());
  if (!v || !*v)
    return fail(ErrorCode::config, "deployment '" + d.name + "': environment variable " + d.api_key_env + " is not set",
                "export it, or remove the deployment");
  return std::string(v);
}

tl::expected<GatewayConfig, Problems> load_config(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return tl::unexpected(Problems{Error{ErrorCode::config, "is a directory, not a config file; give the path of a .toml file", path, 0}});
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(Problems{Error{ErrorCode::config, "cannot read config file", path, 0}});
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().size() > (4u << 20)) return tl::unexpected(Problems{Error{ErrorCode::config, "config file over 4 MiB", path, 0}});
  auto c = parse_config(ss.str(), path);
  if (!c) return c;
  // A file that routes nothing (empty, truncated, half-written) would answer every request
  // with a 404: refused, so that a reload keeps the running config.
  Problems problems;
  if (c->deployments.empty())
    problems.push_back(Error{ErrorCode::config,
                             "no [[deployments]]: a config needs at least one; add one (docs/gateway.md), or run "
                             "llmux serve without --config to use the runtimes it finds",
                             path, 0});
  if (c->routes.empty())
    problems.push_back(Error{ErrorCode::config,
                             "no [[routes]]: nothing would be served (every model a 404); add a [[routes]] entry "
                             "with an alias and its deployments",
                             path, 0});
  if (!problems.empty()) return tl::unexpected(problems);
  return c;
}

}  // namespace llmux::gateway
