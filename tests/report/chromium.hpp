#pragma once
// Drives a real headless Chromium (Debian's `chromium`, installed by
// scripts/setup.sh) from the tests: load a page and dump its DOM, take
// screenshots, print to PDF. Every request the page would make goes through a
// loopback proxy the test owns (loopback included), so "no network requests"
// is a count of zero; Chromium's own background services are switched off or
// pointed at a closed loopback port, so they never reach the proxy.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace llmux::test {

// $LLMUX_CHROMIUM, else /usr/bin/chromium; empty when not installed.
std::string chromium_path();

// A loopback HTTP proxy that answers nothing and remembers each request line.
class CountingProxy {
 public:
  CountingProxy();
  ~CountingProxy();
  int port() const { return port_; }
  std::vector<std::string> requests();

 private:
  void serve();
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::string> requests_;
  std::mutex mutex_;
};

struct ChromiumRun {
  int status = -1;
  std::string out;   // stdout (the DOM with --dump-dom)
  std::string err;   // stderr: console messages are the lines with "CONSOLE"
};

// Runs chromium headless on `url` with `args` added, a fresh profile under
// `profile_dir`, and every request sent to the proxy on `proxy_port`.
ChromiumRun run_chromium(const std::vector<std::string>& args, const std::string& url, const std::string& profile_dir, int proxy_port);

// Lines of Chromium's log that are page console messages (errors, CSP violations, logs).
std::vector<std::string> console_lines(const std::string& err);

// Width and height of a PNG file (from its IHDR chunk); {0, 0} when not a PNG.
std::pair<int, int> png_size(const std::string& path);

}  // namespace llmux::test
