// llmux serve, llmux config check, llmux keys create, llmux usage.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/signals.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "gateway/config.hpp"
#include "gateway/default_config.hpp"
#include "gateway/gateway.hpp"
#include "gateway/keys.hpp"
#include "gateway/ledger.hpp"
#include "privacy/privacy_config.hpp"

namespace llmux::cli {

namespace {

int print_problems(const gateway::Problems& problems) {
  for (const auto& p : problems) std::fprintf(stderr, "%s: %s\n", p.context.c_str(), p.message.c_str());
  std::fprintf(stderr, "llmux: %zu problem%s found\n", problems.size(), problems.size() == 1 ? "" : "s");
  return 2;
}

struct ServeFlags {
  std::string config, host;
  int port = -1;
  std::string ledger;
};

int run_serve(const ServeFlags& f) {
  raise_fd_limit();
  block_server_signals();
  gateway::GatewayConfig cfg;
  if (!f.config.empty()) {
    auto loaded = gateway::load_config(f.config);
    if (!loaded) return print_problems(loaded.error());
    cfg = std::move(*loaded);
  } else {
    std::fprintf(stderr, "llmux serve: no --config: detecting local runtimes and cloud keys...\n");
    cfg = gateway::default_config(providers::detect_local({}), providers::cloud_keys_present());
  }
  if (!f.host.empty()) cfg.server.host = f.host;
  if (f.port >= 0) cfg.server.port = static_cast<std::uint16_t>(f.port);
  if (!f.ledger.empty()) cfg.ledger.path = f.ledger;
  auto gw = gateway::Gateway::create(std::move(cfg), f.config);
  if (!gw) return print_problems(gw.error());
  if (auto r = (*gw)->start(); !r) return print_error(r.error());
  std::printf("llmux serve listening on %s\n%s", (*gw)->base_url().c_str(), (*gw)->describe().c_str());
  std::fflush(stdout);
  for (;;) {
    int sig = wait_for_signal();
    if (sig != SIGHUP) break;
    (void)(*gw)->reload();
  }
  Nanos grace = (*gw)->shutdown_grace();
  std::fprintf(stderr, "llmux serve: stopping (requests in flight get %s)\n", format_duration_ms(to_ms(grace)).c_str());
  (*gw)->stop(grace);
  return 0;
}

// The classes a request may carry (detectors, then the team's own patterns) with the action each gets.
std::vector<std::pair<std::string, privacy::Action>> privacy_classes(const privacy::PrivacyConfig& p) {
  std::vector<std::pair<std::string, privacy::Action>> out;
  for (const auto& d : p.detectors) out.emplace_back(d, p.action_for(d));
  for (const auto& u : p.patterns) out.emplace_back(u.name, p.action_for(u.name));
  return out;
}

// One line: what is scanned for, and what happens to a request that carries each class.
std::string privacy_summary(const privacy::PrivacyConfig& p) {
  if (!p.enabled) return "  privacy: off (enabled = false): requests are not scanned";
  std::vector<std::string> patterns;
  for (const auto& u : p.patterns) patterns.push_back(u.name);
  std::string line = "  privacy: " + std::to_string(p.detectors.size()) + " detectors (" + join(p.detectors, ", ") + ")";
  if (!patterns.empty()) line += ", " + std::to_string(patterns.size()) + " patterns (" + join(patterns, ", ") + ")";
  for (auto action : {privacy::Action::block, privacy::Action::local_only, privacy::Action::redact}) {
    std::vector<std::string> names;
    for (const auto& [name, a] : privacy_classes(p))
      if (a == action) names.push_back(name);
    if (names.empty()) continue;
    line += "; " + std::string(privacy::to_string(action)) + ": " + join(names, ", ");
    if (action == privacy::Action::redact) line += p.restore ? " (restored in answers)" : " (not restored)";
  }
  return line + "; others: " + std::string(privacy::to_string(p.default_action));
}

// A route with no local deployment can only refuse a request that carries a local-only class.
void warn_routes_without_local(const gateway::GatewayConfig& cfg) {
  if (!cfg.privacy || !cfg.privacy->enabled) return;
  std::vector<std::string> local_only;
  for (const auto& [name, a] : privacy_classes(*cfg.privacy))
    if (a == privacy::Action::local_only) local_only.push_back(name);
  if (local_only.empty()) return;
  for (const auto& r : cfg.routes) {
    bool has_local = std::any_of(r.deployments.begin(), r.deployments.end(), [&](const std::string& name) {
      const auto* d = cfg.deployment(name);
      return d && d->locality == gateway::Locality::local;
    });
    if (!has_local)
      std::fprintf(stderr,
                   "%s:%d: warning: route '%s' has no local deployment: a request on it that carries %s (local-only) "
                   "can only be refused (503); add a local deployment to the route, or change the action\n",
                   cfg.source.c_str(), r.line, r.alias.c_str(), join(local_only, ", ").c_str());
  }
}

int run_check(const std::string& path) {
  auto cfg = gateway::load_config(path);
  if (!cfg) return print_problems(cfg.error());
  std::printf("%s: ok: %zu deployments, %zu routes, %zu keys\n", path.c_str(), cfg->deployments.size(),
              cfg->routes.size(), cfg->keys.size());
  for (const auto& d : cfg->deployments)
    std::printf("  %s: %s (%s%s)\n", d.name.c_str(), d.url.c_str(), std::string(gateway::to_string(d.locality)).c_str(),
                !d.locality_inferred                  ? ""
                : d.locality == gateway::Locality::local ? ", inferred: a loopback URL"
                                                         : ", inferred: not a loopback URL; set locality = \"local\" if it is yours");
  if (cfg->privacy) std::printf("%s\n", privacy_summary(*cfg->privacy).c_str());
  // A team's own class with no action anywhere is allowed everywhere: rarely what was meant.
  if (cfg->privacy && cfg->privacy->enabled)
    for (const auto& u : cfg->privacy->patterns)
      if (!u.action && !cfg->privacy->actions.count(u.name) && cfg->privacy->action_for(u.name) == privacy::Action::allow)
        std::fprintf(stderr,
                     "%s: warning: pattern '%s' has no action and the default is allow: requests that carry it go "
                     "anywhere; give it action = \"local-only\", \"redact\" or \"block\"\n",
                     cfg->source.c_str(), u.name.c_str());
  warn_routes_without_local(*cfg);
  // Secrets are read at start, from this machine's environment: the file may be fine
  // and still not start here. A warning, since the check may run where they are not.
  for (const auto& d : cfg->deployments)
    if (auto secret = gateway::read_secret(d); !secret)
      std::fprintf(stderr, "%s:%d: warning: %s here; llmux serve will not start without it\n", cfg->source.c_str(),
                   d.line, secret.error().message.c_str());
  if (const char* k = std::getenv(cfg->admin.key_env.c_str()); cfg->admin.enabled && !(k && *k))
    std::fprintf(stderr, "%s: warning: [admin] is enabled but $%s is not set here: every admin request would be refused\n",
                 cfg->source.c_str(), cfg->admin.key_env.c_str());
  return 0;
}

struct KeyFlags {
  std::string id, team;
  std::vector<std::string> routes;
};

// A TOML basic string: JSON's escapes are TOML's.
std::string toml_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

int run_keys_create(const KeyFlags& f) {
  if (trim(f.id).empty())
    return print_error(Error{ErrorCode::usage, "--id must name the key (the ledger and usage show it)", "--id", 0});
  auto k = gateway::generate_key();
  std::printf("%s\n", k.secret.c_str());
  std::string entry = "[[keys]]\nid = " + toml_string(f.id) + "\n";
  if (!f.team.empty()) entry += "team = " + toml_string(f.team) + "\n";
  entry += "hash = \"sha256:" + k.sha256_hex + "\"\n";
  if (!f.routes.empty()) {
    std::string list;
    for (const auto& r : f.routes) list += (list.empty() ? "" : ", ") + toml_string(r);
    entry += "routes = [" + list + "]\n";
  }
  std::fprintf(stderr, "\nThis key is shown once. Add it to llmux.toml (only its hash is stored):\n\n%s", entry.c_str());
  return 0;
}

struct UsageFlags {
  std::string since = "7d", by = "key", format = "table", ledger, config;
};

std::string money(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

struct BudgetReport {
  std::string text;
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
};

// Spend today and this month against each configured money limit.
BudgetReport budget_lines(const std::string& ledger, const std::vector<gateway::BudgetConfig>& budgets) {
  BudgetReport r;
  if (budgets.empty()) return r;
  Nanos wall = wall_now();
  auto spend = gateway::query_spend(ledger, gateway::start_of_day(wall) / kNanosPerMilli,
                                    gateway::start_of_month(wall) / kNanosPerMilli);
  for (const auto& b : budgets) {
    gateway::Spend s;
    if (spend && spend->count(b.subject())) s = spend->at(b.subject());
    nlohmann::ordered_json j = {{"subject", b.subject()}, {"spent_today_usd", s.today}, {"spent_month_usd", s.this_month}};
    std::string line = "  " + b.subject() + ":";
    if (b.usd_per_day) {
      j["usd_per_day"] = *b.usd_per_day;
      line += " today $" + money(s.today) + " of $" + money(*b.usd_per_day);
    }
    if (b.usd_per_month) {
      j["usd_per_month"] = *b.usd_per_month;
      line += "  month $" + money(s.this_month) + " of $" + money(*b.usd_per_month);
    }
    if (b.requests_per_minute) line += "  " + std::to_string(*b.requests_per_minute) + " req/min";
    if (b.tokens_per_minute) line += "  " + std::to_string(*b.tokens_per_minute) + " tok/min";
    r.text += line + "\n";
    r.json.push_back(j);
  }
  return r;
}

int run_usage(const UsageFlags& f) {
  // A bare number or an "M" could mean days, seconds, minutes or months: ask for the unit.
  std::string_view s = trim(f.since);
  if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s.back())) || s.back() == '.'))
    return print_error(Error{ErrorCode::usage, "--since " + f.since + " has no unit", "e.g. --since 7d, 12h or 30m", 0});
  if (s.ends_with('M'))
    return print_error(Error{ErrorCode::usage, "--since " + f.since + ": M could be minutes or months",
                             "minutes are m (30m); for a month use 30d", 0});
  auto since = parse_duration_ns(f.since, "d");
  if (!since) return print_error(Error{ErrorCode::usage, since.error().message, "--since", 0});
  std::string path = f.ledger;
  std::vector<gateway::BudgetConfig> budgets;
  if (!f.config.empty()) {
    auto cfg = gateway::load_config(f.config);
    if (!cfg) return print_problems(cfg.error());
    if (path.empty()) path = cfg->ledger.path;
    budgets = cfg->budgets;
  }
  if (path.empty()) path = gateway::default_ledger_path();
  auto rows = gateway::query_usage(path, (wall_now() - *since) / kNanosPerMilli, f.by);
  if (!rows) return print_error(rows.error());
  auto spend = budget_lines(path, budgets);
  if (f.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& g : *rows)
      out.push_back({{f.by, g.key}, {"requests", g.requests}, {"errors", g.errors}, {"prompt_tokens", g.prompt_tokens},
                     {"completion_tokens", g.completion_tokens}, {"cached_tokens", g.cached_tokens},
                     {"cost_local_usd", g.cost_local}, {"cost_cloud_usd", g.cost_cloud},
                     {"avg_ttft_ms", g.avg_ttft_ms}, {"avg_e2e_ms", g.avg_e2e_ms}});
    if (!budgets.empty()) out = {{"groups", out}, {"budgets", spend.json}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  bool csv = f.format == "csv";
  // Group names are what clients sent (a route may be any model name): CSV quotes them
  // (RFC 4180, formulas defused) and the table shows control characters escaped. CSV
  // carries costs at full precision; the table rounds them for reading.
  if (csv)
    std::printf("%s,requests,errors,prompt_tokens,completion_tokens,cost_local_usd,cost_cloud_usd,avg_ttft_ms,avg_e2e_ms\n",
                f.by.c_str());
  else
    std::printf("%-28s %9s %7s %13s %13s %12s %12s %10s %10s\n", f.by.c_str(), "requests", "errors", "prompt_tok",
                "output_tok", "local_usd", "cloud_usd", "ttft_ms", "e2e_ms");
  for (const auto& g : *rows) {
    if (csv)
      std::printf("%s,%lld,%lld,%lld,%lld,%s,%s,%.1f,%.1f\n", csv_field(g.key).c_str(), static_cast<long long>(g.requests),
                  static_cast<long long>(g.errors), static_cast<long long>(g.prompt_tokens),
                  static_cast<long long>(g.completion_tokens), shortest_number(g.cost_local).c_str(),
                  shortest_number(g.cost_cloud).c_str(), g.avg_ttft_ms, g.avg_e2e_ms);
    else
      std::printf("%-28s %9lld %7lld %13lld %13lld %12s %12s %10.1f %10.1f\n", printable(g.key).c_str(),
                  static_cast<long long>(g.requests), static_cast<long long>(g.errors),
                  static_cast<long long>(g.prompt_tokens), static_cast<long long>(g.completion_tokens),
                  money(g.cost_local).c_str(), money(g.cost_cloud).c_str(), g.avg_ttft_ms, g.avg_e2e_ms);
  }
  if (!csv && rows->empty())
    std::printf("(no requests in %s over the last %s)\n", path.c_str(), f.since.c_str());
  if (!csv && !spend.text.empty()) std::printf("\nbudgets (UTC):\n%s", spend.text.c_str());
  return 0;
}

}  // namespace

void register_serve(CLI::App& app, CommandContext& ctx) {
  auto sf = std::make_shared<ServeFlags>();
  auto* serve = app.add_subcommand("serve", "run the OpenAI-compatible gateway over local runtimes and cloud APIs");
  serve->add_option("--config,-f", sf->config, "llmux.toml (none: detect local runtimes and cloud keys)");
  serve->add_option("--host", sf->host, "listen address (default 127.0.0.1, or [server] host)");
  serve->add_option("--port", sf->port, "listen port (default 4000, or [server] port; 0 picks one)")
      ->check(CLI::Validator(check_port, "PORT"));
  serve->add_option("--ledger", sf->ledger, "SQLite ledger path (default: [ledger] path or the user's data directory)");
  serve->footer("Reloads its config on SIGHUP and when the file changes; an invalid config is rejected and the old one stays.");
  serve->callback([sf, &ctx] { ctx.exit_code = run_serve(*sf); });

  auto path = std::make_shared<std::string>();
  auto* config = app.add_subcommand("config", "check a gateway config file");
  config->require_subcommand(1);
  auto* check = config->add_subcommand("check", "report every problem with file:line; exit 2 if any");
  check->add_option("file", *path, "llmux.toml")->required();
  check->callback([path, &ctx] { ctx.exit_code = run_check(*path); });

  auto kf = std::make_shared<KeyFlags>();
  auto* keys = app.add_subcommand("keys", "manage virtual keys");
  keys->require_subcommand(1);
  auto* create = keys->add_subcommand("create", "create a virtual key: prints it once, and the config entry with its hash");
  create->add_option("--id", kf->id, "name for the key (shown in the ledger)")->required();
  create->add_option("--team", kf->team, "team the key belongs to");
  create->add_option("--routes", kf->routes, "route aliases the key may use (default: all)");
  create->callback([kf, &ctx] { ctx.exit_code = run_keys_create(*kf); });

  auto uf = std::make_shared<UsageFlags>();
  auto* usage = app.add_subcommand("usage", "summarise the gateway's ledger: requests, tokens, cost local vs cloud");
  usage->add_option("--since", uf->since, "how far back (7d, 24h, 30m)")->capture_default_str();
  usage->add_option("--by", uf->by, "group by key, team, route, deployment, locality or day")
      ->check(CLI::IsMember({"key", "team", "route", "deployment", "locality", "day"}))->capture_default_str();
  usage->add_option("--format", uf->format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}))->capture_default_str();
  usage->add_option("--ledger", uf->ledger, "ledger path (default: from --config, else the user's data directory)");
  usage->add_option("--config,-f", uf->config, "read the ledger path from this config");
  usage->callback([uf, &ctx] { ctx.exit_code = run_usage(*uf); });
}

}  // namespace llmux::cli
