#include "support/http_helper.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>

#include "support/loopback_socket.hpp"

namespace llmux::test {

namespace {

std::string request_text(const std::string& method, const std::string& path, const std::string& hostport,
                         const std::string& body, const std::vector<std::string>& headers) {
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: " + hostport + "\r\nConnection: close\r\n";
  for (const auto& h : headers) req += h + "\r\n";
  if (!body.empty() || method == "POST")
    req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  return req + "\r\n" + body;
}

std::string dechunk(const std::string& s) {
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    auto eol = s.find("\r\n", pos);
    if (eol == std::string::npos) break;
    std::size_t n = std::stoul(s.substr(pos, eol - pos), nullptr, 16);
    if (n == 0) break;
    out += s.substr(eol + 2, n);
    pos = eol + 2 + n + 2;
  }
  return out;
}

}  // namespace

HttpResult http_request(const std::string& method, const std::string& url, const std::string& body,
                        const std::vector<std::string>& headers, int timeout_ms) {
  HttpResult r;
  std::string path, hostport;
  int fd = connect_loopback(url, path, hostport);
  if (fd < 0) return r;
  std::string req = request_text(method, path, hostport, body, headers);
  (void)!write(fd, req.data(), req.size());
  std::string resp;
  char buf[65536];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, left) <= 0) break;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    resp.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  auto head_end = resp.find("\r\n\r\n");
  if (head_end == std::string::npos || resp.size() < 12) return r;
  r.status = std::stoi(resp.substr(9, 3));
  std::size_t pos = resp.find("\r\n") + 2;
  while (pos < head_end) {
    auto eol = resp.find("\r\n", pos);
    auto line = resp.substr(pos, eol - pos);
    auto colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[name] = value;
    pos = eol + 2;
  }
  r.body = resp.substr(head_end + 4);
  if (r.headers["transfer-encoding"] == "chunked") r.body = dechunk(r.body);
  return r;
}

std::string http_read_then_disconnect(const std::string& url, const std::string& body, std::size_t stop_after,
                                      int quiet_ms) {
  std::string path, hostport;
  int fd = connect_loopback(url, path, hostport);
  if (fd < 0) return {};
  std::string req = request_text("POST", path, hostport, body, {});
  (void)!write(fd, req.data(), req.size());
  std::string got;
  char buf[4096];
  while (got.size() < stop_after) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, quiet_ms) <= 0) break;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  linger l{1, 0};  // close with RST: the client is simply gone
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
  return got;
}

}  // namespace llmux::test
