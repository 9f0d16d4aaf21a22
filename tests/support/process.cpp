#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace llmux::test {

namespace {
using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}
}  // namespace

Process::Process(std::vector<std::string> argv, std::vector<std::string> extra_env) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
  for (auto& e : extra_env) env_store.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  int rc = posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out_pipe[1]);
  close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  if (rc != 0) throw std::runtime_error("posix_spawn " + argv[0] + ": " + std::strerror(rc));
}

Process::~Process() {
  if (!exited_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

void Process::pump(int fd, std::string& into, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return;
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) into.append(buf, static_cast<std::size_t>(n));
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto nl = pending_.find('\n');
    if (nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return line;
    }
    int left = remaining_ms(deadline);
    if (left == 0) return std::nullopt;
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (poll(fds, 2, left) <= 0) continue;
    char buf[65536];
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(err_fd_, buf, sizeof buf);
      if (n > 0) err_.append(buf, static_cast<std::size_t>(n));
    }
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n <= 0) return std::nullopt;  // EOF
      out_.append(buf, static_cast<std::size_t>(n));
      pending_.append(buf, static_cast<std::size_t>(n));
    }
  }
}

int Process::wait(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!exited_) {
    int st = 0;
    pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (remaining_ms(deadline) == 0) return -1;
    // Drain output meanwhile so the child never blocks on a full pipe.
    std::string sink;
    pump(out_fd_, sink, std::chrono::milliseconds(5));
    out_ += sink;
    pending_ += sink;
    pump(err_fd_, err_, std::chrono::milliseconds(5));
  }
  // Collect what is left in the pipes.
  for (;;) {
    std::size_t before = out_.size() + err_.size();
    std::string sink;
    pump(out_fd_, sink, std::chrono::milliseconds(0));
    out_ += sink;
    pending_ += sink;
    pump(err_fd_, err_, std::chrono::milliseconds(0));
    if (out_.size() + err_.size() == before) break;
  }
  return status_;
}

void Process::signal(int sig) {
  if (!exited_) kill(pid_, sig);
}

std::string Process::err() {
  pump(err_fd_, err_, std::chrono::milliseconds(0));
  return err_;
}

RunResult run(std::vector<std::string> argv, std::chrono::milliseconds timeout, std::vector<std::string> extra_env) {
  Process p(std::move(argv), std::move(extra_env));
  int st = p.wait(timeout);
  return RunResult{st, p.out(), p.err()};
}

TempDir::TempDir() {
  std::string tmpl = std::filesystem::temp_directory_path().string() + "/llmux-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

long long proc_field(int pid, const std::string& file, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) != 0) continue;
    std::istringstream rest(line.substr(key.size()));
    for (std::string word; rest >> word;)
      if (std::isdigit(static_cast<unsigned char>(word[0]))) return std::stoll(word);
    return -1;
  }
  return -1;
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string binary() { return LLMUX_BINARY; }
std::string source_dir() { return LLMUX_SOURCE_DIR; }

}  // namespace llmux::test
