#include "cli/signals.hpp"

#include <signal.h>
#include <unistd.h>

namespace llmux::cli {

namespace {
std::atomic<int> g_interrupts{0};
std::atomic<int> g_signal{0};
std::atomic<std::atomic<bool>*> g_stop{nullptr};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<std::atomic<bool>*>::is_always_lock_free,
              "set from a signal handler");

void on_interrupt(int sig) {
  if (g_interrupts.fetch_add(1) >= 1) _exit(128 + sig);
  g_signal.store(sig);
  if (auto* stop = g_stop.load()) stop->store(true);
}
}  // namespace

int interrupt_signal() { return g_signal.load(); }

StopOnInterrupt::StopOnInterrupt(std::atomic<bool>& stop) {
  install_interrupt_handler();
  g_stop.store(&stop);
  if (interrupted()) stop.store(true);
}

StopOnInterrupt::~StopOnInterrupt() { g_stop.store(nullptr); }

std::atomic<int>& install_interrupt_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return g_interrupts;
}

bool interrupted() { return g_interrupts.load() > 0; }

void block_server_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) == 0) return sig;
  }
}

}  // namespace llmux::cli
