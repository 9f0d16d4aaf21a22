#include "e2e/e2e_support.hpp"

#include <signal.h>
#include <unistd.h>

#include <stdexcept>

#include "support/loopback_socket.hpp"

namespace llmux::test {

SimProcess::SimProcess(std::vector<std::string> args) {
  std::vector<std::string> argv = {binary(), "sim", "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  proc_ = std::make_unique<Process>(argv);
  auto line = proc_->read_line(std::chrono::seconds(20));
  const std::string marker = "listening on ";
  if (!line || line->find(marker) == std::string::npos)
    throw std::runtime_error("llmux sim did not start: " + line.value_or("<no output>") + " / " + proc_->err());
  url_ = line->substr(line->find(marker) + marker.size());
}

SimProcess::~SimProcess() {
  proc_->signal(SIGTERM);
  proc_->wait(std::chrono::seconds(10));
}

nlohmann::json SimProcess::stats() { return nlohmann::json::parse(http_get(root() + "/sim/stats"), nullptr, false); }

BenchRun run_bench(std::vector<std::string> args, const TempDir& dir) {
  static int counter = 0;
  std::string out = dir.file("bench-" + std::to_string(counter++) + ".json");
  std::vector<std::string> argv = {binary(), "bench", "-q", "-o", out};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run(argv, std::chrono::seconds(240));
  BenchRun b{r.status, r.out, r.err, nullptr};
  auto text = read_file(out);
  if (!text.empty()) b.result = nlohmann::json::parse(text, nullptr, false);
  return b;
}

std::string http_get(const std::string& url) {
  std::string path, hostport;
  int fd = connect_loopback(url, path, hostport);
  if (fd < 0) return {};
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  (void)!write(fd, req.data(), req.size());
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) resp.append(buf, static_cast<std::size_t>(n));
  close(fd);
  auto body = resp.find("\r\n\r\n");
  return body == std::string::npos ? std::string() : resp.substr(body + 4);
}

}  // namespace llmux::test
