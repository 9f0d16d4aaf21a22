#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/command.hpp"

#ifndef LLMUX_SOURCE_DATA_DIR
#define LLMUX_SOURCE_DATA_DIR ""
#endif
#ifndef LLMUX_INSTALL_DATA_DIR
#define LLMUX_INSTALL_DATA_DIR ""
#endif

namespace llmux::cli {

int print_error(const Error& e) {
  std::fprintf(stderr, "llmux: error: %s\n", e.describe().c_str());
  return exit_code(e);
}

std::string data_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("LLMUX_DATA_DIR"); env && *env) return env;
  std::error_code ec;
  // Next to the binary's prefix: <prefix>/bin/llmux -> <prefix>/share/llmux.
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto share = exe.parent_path().parent_path() / "share" / "llmux";
    if (fs::exists(share / "models", ec)) return share.string();
  }
  if (*LLMUX_INSTALL_DATA_DIR && fs::exists(LLMUX_INSTALL_DATA_DIR, ec)) return LLMUX_INSTALL_DATA_DIR;
  return LLMUX_SOURCE_DATA_DIR;
}

void raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) getrlimit(RLIMIT_NOFILE, &rl);
  }
  // Grow the kernel's descriptor table to its full size now, while this process has one
  // thread. Linux doubles the table as descriptors are opened (at 256, 512, 1024, ...
  // connections) and, in a process with several threads, waits for an RCU grace period
  // each time: here 15-25 ms during which the accepting or connecting thread, and every
  // stream on its loop, stands still. A descriptor duplicated to the top of the range
  // and closed again leaves the table at that size (8 bytes a slot: 512 KiB at the cap).
  constexpr rlim_t kTableCap = 65536;
  rlim_t top = std::min(rl.rlim_cur, kTableCap);
  if (top > 1024) {
    int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, static_cast<int>(top - 1));
    if (fd >= 0) close(fd);
  }
}

bool interactive_stderr() {
  const char* ci = std::getenv("CI");
  if (ci && *ci && std::string(ci) != "false" && std::string(ci) != "0") return false;
  return isatty(STDERR_FILENO) != 0;
}

}  // namespace llmux::cli
