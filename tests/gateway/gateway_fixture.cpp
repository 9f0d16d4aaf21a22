#include "gateway/gateway_fixture.hpp"

#include <signal.h>

#include <stdexcept>

namespace llmux::test {

GatewayProcess::GatewayProcess(const TempDir& dir, const std::string& config, std::vector<std::string> extra_env,
                               const std::string& server)
    : config_path_(dir.file("llmux.toml")), ledger_(dir.file("ledger.db")) {
  write_file(config_path_, "[server]\nport = 0\n" + server + "\n[ledger]\npath = \"" + ledger_ + "\"\ncommit_interval = \"50ms\"\n" +
                               "[log]\naccess = \"off\"\n" + config);
  proc_ = std::make_unique<Process>(std::vector<std::string>{binary(), "serve", "-f", config_path_}, extra_env);
  for (;;) {
    auto line = proc_->read_line(std::chrono::seconds(20));
    if (!line) throw std::runtime_error("llmux serve did not start: " + proc_->err());
    if (auto p = line->find("listening on "); p != std::string::npos) {
      url_ = line->substr(p + 13);
      break;
    }
  }
}

GatewayProcess::~GatewayProcess() {
  proc_->signal(SIGTERM);
  proc_->wait(std::chrono::seconds(20));
}

std::string GatewayProcess::metrics() { return http_request("GET", url_.substr(0, url_.size() - 3) + "/metrics").body; }

HttpResult GatewayProcess::chat(const std::string& body, std::vector<std::string> headers) {
  return http_request("POST", url_ + "/chat/completions", body, headers);
}

std::string deployment(const std::string& name, const std::string& url, const std::string& extra) {
  return "[[deployments]]\nname = \"" + name + "\"\nurl = \"" + url + "\"\nmodel = \"m-" + name + "\"\n" + extra + "\n";
}

std::string route(const std::string& alias, const std::vector<std::string>& deps, const std::string& extra) {
  std::string list;
  for (const auto& d : deps) list += (list.empty() ? "\"" : ", \"") + d + "\"";
  return "[[routes]]\nalias = \"" + alias + "\"\ndeployments = [" + list + "]\n" + extra + "\n";
}

std::string key_entry(const std::string& id, const std::string& team, std::string& secret) {
  auto created = run({binary(), "keys", "create", "--id", id, "--team", team});
  secret = created.out.substr(0, created.out.find('\n'));
  auto at = created.err.find("sha256:");
  return "[[keys]]\nid = \"" + id + "\"\nteam = \"" + team + "\"\nhash = \"" + created.err.substr(at, 71) + "\"\n";
}

double metric(const std::string& text, const std::string& series) {
  auto p = text.find(series + " ");
  if (p == std::string::npos) return 0;
  return std::stod(text.substr(p + series.size() + 1));
}

}  // namespace llmux::test
