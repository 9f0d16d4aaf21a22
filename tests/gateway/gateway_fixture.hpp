#pragma once
// Runs `llmux serve` on port 0 with a config written for the test.
#include <memory>
#include <string>
#include <vector>

#include "support/http_helper.hpp"
#include "support/process.hpp"

namespace llmux::test {

class GatewayProcess {
 public:
  // `server`: more lines for the [server] table.
  GatewayProcess(const TempDir& dir, const std::string& config, std::vector<std::string> extra_env = {},
                 const std::string& server = "");
  ~GatewayProcess();
  const std::string& url() const { return url_; }
  const std::string& config_path() const { return config_path_; }
  const std::string& ledger() const { return ledger_; }
  Process& process() { return *proc_; }
  std::string metrics();
  HttpResult chat(const std::string& body, std::vector<std::string> headers = {});

 private:
  std::string config_path_, ledger_, url_;
  std::unique_ptr<Process> proc_;
};

std::string deployment(const std::string& name, const std::string& url, const std::string& extra = "");
std::string route(const std::string& alias, const std::vector<std::string>& deps, const std::string& extra = "");
double metric(const std::string& text, const std::string& series);
// A key made with `llmux keys create` for the config, its secret in `secret`.
std::string key_entry(const std::string& id, const std::string& team, std::string& secret);

}  // namespace llmux::test
