#include "report/chromium.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "support/process.hpp"

namespace llmux::test {

std::string chromium_path() {
  const char* env = std::getenv("LLMUX_CHROMIUM");
  std::string path = env && *env ? env : "/usr/bin/chromium";
  return std::filesystem::exists(path) ? path : "";
}

CountingProxy::CountingProxy() {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = 0;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  listen(fd_, 64);
  socklen_t len = sizeof a;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { serve(); });
}

CountingProxy::~CountingProxy() {
  stop_ = true;
  thread_.join();
  close(fd_);
}

void CountingProxy::serve() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int c = accept(fd_, nullptr, nullptr);
    if (c < 0) continue;
    char buf[2048];
    pollfd pc{c, POLLIN, 0};
    ssize_t n = poll(&pc, 1, 1000) > 0 ? read(c, buf, sizeof buf) : 0;
    std::string line = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("<connection without a request>");
    line = line.substr(0, line.find("\r\n"));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(line);
    }
    close(c);
  }
}

std::vector<std::string> CountingProxy::requests() {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

ChromiumRun run_chromium(const std::vector<std::string>& args, const std::string& url, const std::string& profile_dir, int proxy_port) {
  // Chromium's own services (updates, sign-in, time, safe browsing) are turned off or sent to a closed loopback port.
  std::string closed = "http://127.0.0.1:9";
  std::vector<std::string> argv = {chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                   "--disable-sync", "--disable-default-apps", "--disable-extensions", "--no-pings",
                                   "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--disable-breakpad",
                                   "--metrics-recording-only", "--safebrowsing-disable-auto-update", "--password-store=basic",
                                   "--use-mock-keychain", "--disable-quic", "--hide-scrollbars",
                                   "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,"
                                   "AutofillServerCommunication,CertificateTransparencyComponentUpdater",
                                   "--gaia-url=" + closed, "--google-apis-url=" + closed, "--lso-url=" + closed,
                                   "--component-updater=url-source=" + closed,
                                   "--proxy-server=http://127.0.0.1:" + std::to_string(proxy_port), "--proxy-bypass-list=<-loopback>",
                                   "--user-data-dir=" + profile_dir, "--enable-logging=stderr", "--v=0"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(url);
  auto r = run(argv, std::chrono::seconds(90), {"HOME=" + profile_dir});
  return {r.status, r.out, r.err};
}

std::vector<std::string> console_lines(const std::string& err) {
  std::vector<std::string> out;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);)
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) out.push_back(line);
  return out;
}

std::pair<int, int> png_size(const std::string& path) {
  std::string data = read_file(path);
  if (data.size() < 24 || data.compare(1, 3, "PNG") != 0) return {0, 0};
  auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned char>(data[at]) << 24) | (static_cast<unsigned char>(data[at + 1]) << 16) |
           (static_cast<unsigned char>(data[at + 2]) << 8) | static_cast<unsigned char>(data[at + 3]);
  };
  return {be32(16), be32(20)};
}

}  // namespace llmux::test
