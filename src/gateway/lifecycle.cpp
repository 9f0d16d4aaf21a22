// Start, stop, reload, and the watcher thread: access-log flushing, config file
// changes, and active health checks — all off the I/O threads.
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "api/openai_codec.hpp"
#include "gateway/gateway_impl.hpp"

namespace llmux::gateway {

providers::ChatClient& thread_client(asio::any_io_executor ex) {
  thread_local std::unordered_map<void*, std::unique_ptr<providers::ChatClient>> clients;
  void* key = &asio::query(ex, asio::execution::context);
  auto& c = clients[key];
  if (!c) {
    net::ClientOptions o;
    o.max_idle_per_origin = 100000;
    c = std::make_unique<providers::ChatClient>(ex, o);
  }
  return *c;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_text_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".llmux-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;  // atomic: a reader never sees half a file
}

namespace {

std::int64_t file_mtime_ns(const std::string& path) {
  struct stat st {};
  if (path.empty() || stat(path.c_str(), &st) != 0) return 0;
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * kNanosPerSecond + st.st_mtim.tv_nsec;
}

void log_line(const std::string& s) { std::fprintf(stderr, "llmux serve: %s\n", s.c_str()); }

}  // namespace

Gateway::Gateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Gateway::~Gateway() {
  if (impl_) stop(0);
}

tl::expected<std::unique_ptr<Gateway>, Problems> Gateway::create(GatewayConfig config, std::string config_path) {
  auto impl = std::make_unique<Impl>();
  impl->config_path = std::move(config_path);
  impl->openai_ingress = api::make_server_codec(api::Dialect::openai);
  impl->anthropic_ingress = api::make_server_codec(api::Dialect::anthropic);
  const auto ledger_cfg = config.ledger;
  const auto log_cfg = config.log;
  impl->budgets.configure(config.budgets);
  auto snap = build_snapshot(std::move(config), impl->states, ++impl->version);
  if (!snap) return tl::unexpected(snap.error());
  impl->install(*snap);
  if (ledger_cfg.enabled) {
    auto ledger = Ledger::open(ledger_cfg.path, ledger_cfg.commit_interval, log_line);
    if (!ledger) return tl::unexpected(Problems{ledger.error()});
    impl->ledger = std::move(*ledger);
    Nanos wall = wall_now();
    auto spend = query_spend(ledger_cfg.path, start_of_day(wall) / kNanosPerMilli, start_of_month(wall) / kNanosPerMilli);
    if (spend)
      for (const auto& [subject, s] : *spend) impl->budgets.seed_spend(subject, s.today, s.this_month);
  }
  if (log_cfg.access == "stderr") {
    impl->access_log = stderr;
  } else if (log_cfg.access != "off" && !log_cfg.access.empty()) {
    impl->access_log = std::fopen(log_cfg.access.c_str(), "a");
    if (!impl->access_log)
      return tl::unexpected(Problems{Error{ErrorCode::config, "cannot open access log " + log_cfg.access, "[log] access", 0}});
    impl->own_access_log = true;
  }
  return std::unique_ptr<Gateway>(new Gateway(std::move(impl)));
}

std::size_t connections_within(std::size_t configured, std::uint64_t descriptor_limit) {
  constexpr std::uint64_t kReserved = 64;  // listener, epoll and event fds, ledger (db, wal, shm), logs, stdio
  std::uint64_t fit = descriptor_limit > kReserved ? (descriptor_limit - kReserved) / 2 : 1;
  return static_cast<std::size_t>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(configured, fit)));
}

Result<void> Gateway::start() {
  Impl& im = *impl_;
  auto snap = im.snapshot();
  const auto& s = snap->config.server;
  net::ServerOptions so;
  so.host = s.host;
  so.port = s.port;
  so.threads = s.threads;
  so.max_body_bytes = s.max_body_bytes;
  so.max_header_bytes = s.max_header_bytes;
  so.max_connections = s.max_connections;
  // Past the descriptor limit a client would wait in the listen queue with no answer:
  // stay under it, so that the one more gets a 503.
  if (rlimit rl{}; getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    so.max_connections = connections_within(s.max_connections, rl.rlim_cur);
    if (so.max_connections < s.max_connections)
      log_line("[server] max_connections " + std::to_string(s.max_connections) + " lowered to " +
               std::to_string(so.max_connections) + ": the descriptor limit (ulimit -n) is " +
               std::to_string(rl.rlim_cur) + " and each connection may need a second one for its upstream; raise "
               "ulimit -n to allow more");
  }
  so.idle_timeout = s.idle_timeout;
  so.busy_poll = s.busy_poll;
  so.server = "llmux";
  so.error_body = [p = &im](std::string_view target, int status, std::string_view message) {
    return Impl::error_body(p->codec_for(target.substr(0, target.find('?'))), status, "invalid_request_error",
                            std::string(message));
  };
  im.http = std::make_unique<net::HttpServer>(so, [p = &im](net::ServerRequest& req, net::ResponseWriter& w) {
    return p->handle(req, w);
  });
  for (const auto& d : snap->deployments)
    if (d.config->url.starts_with("https:")) {
      net::HttpClient::preload_tls({});  // so that the first cloud request does not pay for it
      break;
    }
  if (auto r = im.http->start(); !r) return r;
  im.watcher = std::thread([p = &im] { p->watch_loop(); });
  pthread_setname_np(im.watcher.native_handle(), "llmux-reload");
  return {};
}

std::uint16_t Gateway::port() const { return impl_->http ? impl_->http->port() : 0; }

Nanos Gateway::shutdown_grace() const { return impl_->snapshot()->config.server.shutdown_grace; }

std::string Gateway::base_url() const {
  auto host = impl_->snapshot()->config.server.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  return "http://" + host + ":" + std::to_string(port()) + "/v1";
}

Metrics& Gateway::metrics() { return impl_->metrics; }

namespace {

// The settings a reload cannot change (the listening socket and its threads, the ledger,
// the access log) that differ between `running` and `next`, comma-separated.
std::string settings_fixed_at_start(const GatewayConfig& running, const GatewayConfig& next) {
  std::string out;
  auto note = [&](bool differs, const char* name) {
    if (!differs) return;
    if (!out.empty()) out += ", ";
    out += name;
  };
  const auto& a = running.server;
  const auto& b = next.server;
  note(a.host != b.host, "server.host");
  note(a.port != b.port, "server.port");
  note(a.threads != b.threads, "server.threads");
  note(a.max_body_bytes != b.max_body_bytes, "server.max_body_bytes");
  note(a.max_header_bytes != b.max_header_bytes, "server.max_header_bytes");
  note(a.max_connections != b.max_connections, "server.max_connections");
  note(a.idle_timeout != b.idle_timeout, "server.idle_timeout");
  note(a.busy_poll != b.busy_poll, "server.busy_poll");
  note(running.ledger.enabled != next.ledger.enabled, "ledger.enabled");
  note(running.ledger.path != next.ledger.path, "ledger.path");
  note(running.ledger.commit_interval != next.ledger.commit_interval, "ledger.commit_interval");
  note(running.log.access != next.log.access, "log.access");
  return out;
}

}  // namespace

tl::expected<void, Problems> Gateway::reload() { return impl_->reload(); }

tl::expected<void, Problems> Gateway::Impl::reload() {
  if (config_path.empty()) return tl::unexpected(Problems{Error{ErrorCode::config, "no config file to reload", {}, 0}});
  // The version of the file read now: the watcher does not read it again for the same
  // change (an edit followed by SIGHUP reloaded twice).
  loaded_mtime.store(file_mtime_ns(config_path));
  auto cfg = load_config(config_path);
  if (!cfg) {
    for (const auto& p : cfg.error()) log_line("reload rejected, keeping the running config: " + p.describe());
    return tl::unexpected(cfg.error());
  }
  auto snap = build_snapshot(std::move(*cfg), states, version.fetch_add(1) + 1);
  if (!snap) {
    for (const auto& p : snap.error()) log_line("reload rejected, keeping the running config: " + p.describe());
    return tl::unexpected(snap.error());
  }
  budgets.configure((*snap)->config.budgets);
  std::string needs_restart = settings_fixed_at_start(snapshot()->config, (*snap)->config);
  install(*snap);
  log_line("reloaded " + config_path + " (config version " + std::to_string((*snap)->version) + ")");
  if (!needs_restart.empty())
    log_line("changed settings that take effect only at the next start (the running ones stay): " + needs_restart);
  return {};
}

namespace {
thread_local std::vector<InFlightRegistration*> in_flight_here;
}  // namespace

InFlightRegistration::InFlightRegistration(net::CancelSignal& cancel) : cancel_(cancel) {
  in_flight_here.push_back(this);
}

InFlightRegistration::~InFlightRegistration() { std::erase(in_flight_here, this); }

std::size_t InFlightRegistration::end_all_for_shutdown() {
  auto all = in_flight_here;  // cancelling runs handlers that may unregister
  for (auto* r : all) {
    r->shutdown_ = true;
    r->cancel_.cancel();
  }
  return all.size();
}

void Gateway::stop(Nanos grace) {
  Impl& im = *impl_;
  if (im.stopping.exchange(true)) return;
  if (im.http)
    im.http->stop(grace, [&im] { im.ended_by_shutdown += InFlightRegistration::end_all_for_shutdown(); });
  if (auto n = im.ended_by_shutdown.load())
    log_line(std::to_string(n) + " request(s) still running when the stop's grace period ended were ended: a 503, "
             "or an error event that closed the stream (ledger error kind \"shutdown\")");
  {
    std::lock_guard lock(im.watch_mu);
  }
  im.watch_cv.notify_all();
  if (im.watcher.joinable()) im.watcher.join();
  if (im.ledger) im.ledger->close();
  std::lock_guard lock(im.log_mu);
  if (im.access_log && !im.log_buffer.empty()) std::fwrite(im.log_buffer.data(), 1, im.log_buffer.size(), im.access_log);
  im.log_buffer.clear();
  if (im.own_access_log && im.access_log) std::fclose(im.access_log);
  im.access_log = nullptr;
}

void Gateway::Impl::watch_loop() {
  loaded_mtime.store(file_mtime_ns(config_path));
  Nanos next_file_check = 0;
  std::unordered_map<std::string, Nanos> next_health;
  while (!stopping.load()) {
    {
      std::unique_lock lock(watch_mu);
      watch_cv.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping.load(); });
    }
    std::string out;
    {
      std::lock_guard lock(log_mu);
      out.swap(log_buffer);
    }
    if (access_log && !out.empty()) {
      std::fwrite(out.data(), 1, out.size(), access_log);
      std::fflush(access_log);
    }
    Nanos now = mono_now();
    if (!config_path.empty() && now >= next_file_check) {
      next_file_check = now + kNanosPerSecond;
      if (auto m = file_mtime_ns(config_path); m && m != loaded_mtime.load()) (void)reload();
    }
    auto snap = snapshot();
    for (const auto& d : snap->deployments) {
      auto interval = d.config->health_interval;
      if (interval <= 0) continue;
      auto& due = next_health[d.config->name];
      if (now < due) continue;
      due = now + interval;
      check_health(*snap);
      break;  // one deployment per tick keeps the loop responsive
    }
  }
}

void Gateway::Impl::check_health(const Snapshot& snap) {
  // Probes every deployment that is due, on a private loop: GET <base>/models.
  asio::io_context ctx{1};
  net::ClientOptions o;
  o.connect_timeout = 3 * kNanosPerSecond;
  o.total_timeout = 5 * kNanosPerSecond;
  providers::ChatClient client(ctx.get_executor(), o);
  for (const auto& d : snap.deployments) {
    if (d.config->health_interval <= 0) continue;
    asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
      auto r = co_await client.get(d.endpoint, "models");
      // Reachable and not failing is healthy: a 404 (no /models) still means the server is up.
      bool healthy = r && r->status < 500;
      if (d.state->healthy.exchange(healthy) != healthy)
        log_line("deployment " + d.config->name + (healthy ? " is healthy again" : " failed its health check"));
    }, asio::detached);
  }
  ctx.run();
}

std::string Gateway::describe() const {
  auto snap = impl_->snapshot();
  std::ostringstream o;
  o << "config: " << snap->config.source << "\n";
  if (snap->deployments.empty())
    o << "  no deployments: every request will get 404 (no such model). Start a local runtime (Ollama,\n"
         "  llama.cpp, LM Studio, vLLM, SGLang) or set a cloud key (e.g. OPENAI_API_KEY) and restart, or\n"
         "  write a config (docs/gateway.md) and pass --config.\n";
  for (const auto& d : snap->deployments)
    o << "  deployment " << d.config->name << ": " << d.config->url << " model " << d.config->model << " ("
      << to_string(d.config->locality) << (d.config->locality_inferred ? ", inferred" : "") << ", "
      << api::to_string(d.config->dialect) << ")\n";
  for (const auto& r : snap->config.routes) {
    o << "  route " << r.alias << " -> ";
    for (std::size_t i = 0; i < r.deployments.size(); ++i) o << (i ? ", " : "") << r.deployments[i];
    o << " (" << to_string(r.strategy) << ")\n";
  }
  o << "  keys: " << (snap->config.keys.empty() ? "none (no authentication)" : std::to_string(snap->config.keys.size()))
    << "\n  ledger: " << (impl_->ledger ? impl_->ledger->path() : "off") << "\n";
  o << "  access log: " << snap->config.log.access << "\n";
  const auto& a = snap->config.admin;
  const char* admin_key = std::getenv(a.key_env.c_str());
  if (!a.enabled) o << "  admin endpoints: off\n";
  else if (admin_key && *admin_key) o << "  admin endpoints: on (/admin/..., key from $" << a.key_env << ")\n";
  else
    o << "  admin endpoints: on, but $" << a.key_env << " is not set here: every admin request is refused (401)\n";
  if (snap->config.privacy && snap->config.privacy->enabled) o << "  privacy rules: on (see [privacy])\n";
  return o.str();
}

}  // namespace llmux::gateway
