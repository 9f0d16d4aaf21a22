#pragma once
// One version of the gateway's configuration, ready to serve: validated config,
// key store, and per deployment its Endpoint (with auth resolved from the
// environment) and its run-time state. Immutable once built; a reload builds a
// new one and requests in flight keep the one they started with.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/config.hpp"
#include "gateway/deployment_state.hpp"
#include "gateway/keys.hpp"
#include "providers/endpoint.hpp"

namespace llmux::gateway {

// Run-time state by deployment name, kept across reloads so breakers and
// latency averages are not reset by a config change.
class StateRegistry {
 public:
  std::shared_ptr<DeploymentState> get(const std::string& name);
  std::vector<std::shared_ptr<DeploymentState>> all() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<DeploymentState>> states_;
};

struct Deployment {
  const DeploymentConfig* config = nullptr;
  providers::Endpoint endpoint;
  std::shared_ptr<DeploymentState> state;
  // OpenTelemetry's gen_ai.provider.name: its name for the provider preset where it has
  // one (gcp.gemini, azure.ai.openai, mistral_ai), the preset's name, or without a
  // preset the API the deployment speaks.
  std::string provider_name;
};

// `text` with every one of `secrets` in it replaced by "[redacted]": for what an
// upstream says (an error that echoes the key it was sent) before a client or a log sees it.
std::string scrub_secrets(std::string_view text, const std::vector<std::string>& secrets);

struct Snapshot {
  GatewayConfig config;
  KeyStore keys{{}};
  std::vector<Deployment> deployments;  // same order as config.deployments
  std::uint64_t version = 0;
  std::vector<std::string> secrets;     // the deployments' API keys

  const Deployment* deployment(std::string_view name) const;
};

// Resolves keys from the environment or files; problems (a missing key variable) are errors.
tl::expected<std::shared_ptr<const Snapshot>, Problems> build_snapshot(GatewayConfig config, StateRegistry& states,
                                                                      std::uint64_t version);

}  // namespace llmux::gateway
