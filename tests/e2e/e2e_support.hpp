#pragma once
// Helpers for end-to-end tests: start `llmux sim` on port 0 and read the URL it
// prints; run `llmux bench` and load its JSON result.
#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace llmux::test {

class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> args);
  ~SimProcess();
  const std::string& url() const { return url_; }  // http://127.0.0.1:PORT/v1 (/v1beta, /api by dialect)
  std::string root() const { return url_.substr(0, url_.find('/', 7)); }  // http://127.0.0.1:PORT
  int port() const { return std::stoi(url_.substr(url_.rfind(':') + 1)); }
  Process& process() { return *proc_; }
  // The sim's /sim/stats, fetched with `llmux`-independent plain HTTP.
  nlohmann::json stats();

 private:
  std::unique_ptr<Process> proc_;
  std::string url_;
};

struct BenchRun {
  int status = -1;
  std::string out, err;
  nlohmann::json result;  // parsed --output, or null
};

// Runs llmux bench with the args plus -o into a temp file.
BenchRun run_bench(std::vector<std::string> args, const TempDir& dir);

// A tiny blocking HTTP/1.1 GET against 127.0.0.1 (for checks outside llmux's own client).
std::string http_get(const std::string& url);

}  // namespace llmux::test
