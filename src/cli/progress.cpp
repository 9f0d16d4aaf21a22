#include "cli/progress.hpp"

#include <chrono>
#include <cstdio>

#include "cli/signals.hpp"

namespace llmux::cli {

ProgressLine::ProgressLine(std::function<std::string()> render, bool interactive)
    : render_(std::move(render)), interactive_(interactive) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { loop(); });
}

void ProgressLine::finish() {
  if (!running_.exchange(false)) return;
  if (thread_.joinable()) thread_.join();
  if (interactive_) std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

void ProgressLine::loop() {
  using namespace std::chrono;
  auto last_plain = steady_clock::now();
  while (running_.load()) {
    std::this_thread::sleep_for(milliseconds(interactive_ ? 200 : 100));
    if (!running_.load()) break;
    if (interactive_) {
      std::fprintf(stderr, "\r\033[K%s", render_().c_str());
      std::fflush(stderr);
    } else if (steady_clock::now() - last_plain >= seconds(5)) {
      last_plain = steady_clock::now();
      std::fprintf(stderr, "%s\n", render_().c_str());
      std::fflush(stderr);
    }
  }
}

}  // namespace llmux::cli
