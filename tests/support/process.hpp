#pragma once
// Runs the built binary as a child process for end-to-end tests: arguments,
// captured stdout/stderr, a line reader with a deadline, and a kill on scope exit.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace llmux::test {

class Process {
 public:
  // Starts `argv[0]` with the given arguments; extra_env entries are "NAME=value".
  explicit Process(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Next line of stdout, or nullopt at EOF or when the deadline passes.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Waits for exit and returns the exit status (or 128+signal); -1 on timeout.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(120));
  void signal(int sig);
  int pid() const { return pid_; }
  // Everything read from stdout so far (including lines consumed by read_line) and all of stderr.
  const std::string& out() const { return out_; }
  std::string err();

 private:
  void pump(int fd, std::string& into, std::chrono::milliseconds timeout);
  int pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string pending_;  // stdout not yet returned by read_line
  std::string err_;
  bool exited_ = false;
  int status_ = 0;
};

// Runs to completion; returns {status, stdout, stderr}.
struct RunResult {
  int status;
  std::string out;
  std::string err;
};
RunResult run(std::vector<std::string> argv, std::chrono::milliseconds timeout = std::chrono::seconds(120),
              std::vector<std::string> extra_env = {});

// A fresh directory under the build tree, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path);
// The first number on the line of /proc/<pid>/<file> that starts with `key` ("VmRSS:" in
// status, "Max open files" in limits); -1 when there is none.
long long proc_field(int pid, const std::string& file, const std::string& key);
void write_file(const std::string& path, const std::string& content);

// Path of the built llmux binary and of the source tree.
std::string binary();
std::string source_dir();

}  // namespace llmux::test
