#include "gateway/default_config.hpp"

#include "providers/presets.hpp"

namespace llmux::gateway {

GatewayConfig default_config(const std::vector<providers::DetectedRuntime>& local,
                             const std::vector<providers::CloudKey>& cloud) {
  GatewayConfig c;
  c.source = "(built-in default)";
  c.ledger.path = default_ledger_path();
  auto add_route = [&](const std::string& alias, const std::string& deployment) {
    if (auto* r = const_cast<RouteConfig*>(c.route(alias))) {
      r->deployments.push_back(deployment);  // the same model on two runtimes: fall back between them
      return;
    }
    RouteConfig r;
    r.alias = alias;
    r.deployments = {deployment};
    c.routes.push_back(r);
  };
  for (const auto& rt : local) {
    for (const auto& model : rt.models) {
      DeploymentConfig d;
      d.name = rt.runtime + ":" + std::to_string(rt.port) + "/" + model;
      d.url = rt.base_url;
      d.model = model;
      d.locality = Locality::local;
      d.accepts_ignore_eos = rt.runtime == "llama.cpp" || rt.runtime == "vllm" || rt.runtime == "sglang" ||
                             rt.runtime == "llmux-sim";
      d.price_input = d.price_output = 0.0;
      c.deployments.push_back(d);
      add_route(model, d.name);
    }
  }
  for (const auto& k : cloud) {
    const providers::Preset* p = providers::find_preset(k.provider);
    if (!p || p->default_model.empty() || p->base_url.empty()) continue;
    DeploymentConfig d;
    d.name = p->name;
    d.provider = p->name;
    d.url = p->base_url;
    d.model = p->default_model;
    d.api_key_env = k.env;
    d.locality = Locality::cloud;
    c.deployments.push_back(d);
    add_route(p->name + "/" + p->default_model, d.name);
  }
  return c;
}

}  // namespace llmux::gateway
