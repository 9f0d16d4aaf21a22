#include "gateway/snapshot.hpp"

namespace llmux::gateway {

std::shared_ptr<DeploymentState> StateRegistry::get(const std::string& name) {
  std::lock_guard lock(mu_);
  auto& s = states_[name];
  if (!s) s = std::make_shared<DeploymentState>(name);
  return s;
}

std::vector<std::shared_ptr<DeploymentState>> StateRegistry::all() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<DeploymentState>> out;
  for (const auto& [k, v] : states_) out.push_back(v);
  return out;
}

const Deployment* Snapshot::deployment(std::string_view name) const {
  for (const auto& d : deployments)
    if (d.config->name == name) return &d;
  return nullptr;
}

std::string scrub_secrets(std::string_view text, const std::vector<std::string>& secrets) {
  constexpr std::string_view kRedacted = "[redacted]";
  std::string out(text);
  for (const auto& s : secrets) {
    if (s.empty()) continue;
    for (std::size_t at = 0; (at = out.find(s, at)) != std::string::npos; at += kRedacted.size())
      out.replace(at, s.size(), kRedacted);
  }
  return out;
}

namespace {

std::string otel_provider_name(const DeploymentConfig& d) {
  // Preset names, and without a preset the dialect's, where OpenTelemetry names them otherwise.
  static const std::pair<std::string_view, std::string_view> kOtel[] = {
      {"gemini", "gcp.gemini"}, {"azure", "azure.ai.openai"}, {"mistral", "mistral_ai"}, {"ollama-native", "ollama"}};
  std::string_view name = d.provider.empty() ? api::to_string(d.dialect) : std::string_view(d.provider);
  for (const auto& [ours, theirs] : kOtel)
    if (name == ours) return std::string(theirs);
  return std::string(name);
}

}  // namespace

tl::expected<std::shared_ptr<const Snapshot>, Problems> build_snapshot(GatewayConfig config, StateRegistry& states,
                                                                      std::uint64_t version) {
  auto snap = std::make_shared<Snapshot>();
  snap->config = std::move(config);
  snap->keys = KeyStore(snap->config.keys);
  snap->version = version;
  Problems problems;
  for (const auto& d : snap->config.deployments) {
    Deployment dep;
    dep.config = &d;
    providers::EndpointSpec spec{d.url, d.dialect, d.model, "", d.headers};
    auto ep = providers::make_endpoint(spec);
    if (!ep) {
      problems.push_back(Error{ErrorCode::config, "deployment '" + d.name + "': " + ep.error().message,
                               snap->config.source + ":" + std::to_string(d.line), 0});
      continue;
    }
    auto secret = read_secret(d);
    if (!secret) {
      Error e = secret.error();
      e.context = snap->config.source + ":" + std::to_string(d.line);
      problems.push_back(e);
      continue;
    }
    if (!secret->empty()) providers::apply_auth(*ep, *secret);
    if (secret->size() >= 8) snap->secrets.push_back(*secret);  // shorter ones would match everyday words
    ep->name = d.name;
    ep->api_key_env = d.api_key_env;
    ep->accepts_ignore_eos = d.accepts_ignore_eos;
    ep->total_timeout = d.timeout;
    ep->read_timeout = d.read_timeout;
    ep->connect_timeout = d.connect_timeout;
    dep.endpoint = std::move(*ep);
    dep.provider_name = otel_provider_name(d);
    dep.state = states.get(d.name);
    dep.state->limiter.configure(d.max_concurrent, d.max_queue);
    snap->deployments.push_back(std::move(dep));
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return std::shared_ptr<const Snapshot>(snap);
}

}  // namespace llmux::gateway
