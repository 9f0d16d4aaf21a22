#pragma once
// Live progress for long runs: a line redrawn in place on a terminal, plain
// lines every few seconds otherwise (CI logs). Runs on its own thread.
#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace llmux::cli {

class ProgressLine {
 public:
  // `render` is called on the progress thread and returns the current text.
  explicit ProgressLine(std::function<std::string()> render, bool interactive);
  ~ProgressLine();
  void start();
  // Stops the thread and clears the line (interactive) so a summary can follow.
  void finish();

 private:
  void loop();
  std::function<std::string()> render_;
  bool interactive_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace llmux::cli
