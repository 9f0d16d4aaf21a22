#include "e2e/canned_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace llmux::test {

namespace {

int listen_loopback(int& port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("cannot listen on 127.0.0.1");
  port = ntohs(a.sin_port);
  return fd;
}

// Reads one request (head, then a Content-Length body) and returns its first line.
std::string read_request(int fd, std::string& head) {
  std::string in;
  char buf[4096];
  std::size_t head_end;
  while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return {};
    in.append(buf, static_cast<std::size_t>(n));
  }
  std::size_t body = 0;
  for (const char* key : {"Content-Length:", "content-length:"})
    if (auto at = in.find(key); at != std::string::npos && at < head_end) body = std::stoul(in.substr(at + 15));
  while (in.size() < head_end + 4 + body) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    in.append(buf, static_cast<std::size_t>(n));
  }
  head = in.substr(0, head_end);
  auto line = in.substr(0, in.find("\r\n"));
  return line.substr(0, line.rfind(' '));  // "POST /v1/chat/completions"
}

}  // namespace

CannedServer::CannedServer(std::function<std::string(const std::string&)> respond) : respond_(std::move(respond)) {
  fd_ = listen_loopback(port_);
  thread_ = std::thread([this] { serve(); });
}

CannedServer CannedServer::silent() {
  CannedServer s;
  s.fd_ = listen_loopback(s.port_);
  return s;
}

CannedServer::CannedServer(CannedServer&& other) noexcept
    : fd_(other.fd_), port_(other.port_), respond_(std::move(other.respond_)) {
  other.fd_ = -1;  // only a silent server (no thread) is ever moved
}

CannedServer::~CannedServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (int c : hanging_) close(c);
  if (fd_ >= 0) close(fd_);
}

std::vector<std::string> CannedServer::heads() const {
  std::lock_guard lock(mu_);
  return heads_;
}

std::string CannedServer::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

std::string CannedServer::response(int status, const std::string& content_type, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void CannedServer::serve() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c >= 0) answer(c);
  }
}

void CannedServer::answer(int fd) {
  std::string head;
  std::string line = read_request(fd, head);
  {
    std::lock_guard lock(mu_);
    heads_.push_back(head);
  }
  std::string out = line.empty() ? std::string() : respond_(line);
  if (out == kHang) {
    hanging_.push_back(fd);
    return;
  }
  (void)!write(fd, out.data(), out.size());
  close(fd);
}

}  // namespace llmux::test
