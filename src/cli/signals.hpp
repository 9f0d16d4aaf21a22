#pragma once
// Ctrl-C handling for long commands: the first SIGINT/SIGTERM asks the command to
// wrap up (finish in-flight work, print what it has); a second one exits at once.
#include <atomic>

namespace llmux::cli {

// Installs the handlers; returns the flag they raise.
std::atomic<int>& install_interrupt_handler();
bool interrupted();
// The signal that asked to wrap up (SIGINT or SIGTERM); 0 when none did.
int interrupt_signal();

// While alive, SIGINT/SIGTERM also set `stop`, from the handler itself: a run stops at
// once, not when something next polls the flag. Installs the handlers; sets `stop` now
// when a signal came before.
class StopOnInterrupt {
 public:
  explicit StopOnInterrupt(std::atomic<bool>& stop);
  ~StopOnInterrupt();
  StopOnInterrupt(const StopOnInterrupt&) = delete;
  StopOnInterrupt& operator=(const StopOnInterrupt&) = delete;
};

// For servers: blocks SIGINT/SIGTERM/SIGHUP in this thread (and threads started after),
// then waits for one. Returns the signal number (SIGHUP included: servers reload on it).
void block_server_signals();
int wait_for_signal();

}  // namespace llmux::cli
