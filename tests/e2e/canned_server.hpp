#pragma once
// A loopback HTTP server for end-to-end tests of what bench makes of odd servers: it
// answers each request with a canned raw response chosen by the request line, leaves
// chosen requests hanging, or (silent) accepts connections and never answers. Port 0; one thread.
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace llmux::test {

class CannedServer {
 public:
  // `respond("POST /v1/chat/completions")` returns the whole raw HTTP response (the
  // server adds nothing; it closes the connection after writing it), or kHang: the
  // request is read and never answered (the connection stays open until the server goes).
  explicit CannedServer(std::function<std::string(const std::string& request_line)> respond);
  // Listens but never accepts or answers: connects succeed, reads wait forever.
  static CannedServer silent();
  ~CannedServer();
  CannedServer(CannedServer&& other) noexcept;
  CannedServer& operator=(CannedServer&&) = delete;
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  static inline const std::string kHang = "(hang)";

  std::string url() const;  // http://127.0.0.1:PORT/v1
  // The request line and headers of every request answered so far, in order.
  std::vector<std::string> heads() const;

  // "HTTP/1.1 <status>" with the content type and body, Content-Length and Connection: close.
  static std::string response(int status, const std::string& content_type, const std::string& body);

 private:
  CannedServer() = default;
  void serve();
  void answer(int fd);
  int fd_ = -1;
  int port_ = 0;
  std::function<std::string(const std::string&)> respond_;
  std::vector<int> hanging_;  // connections held open unanswered
  mutable std::mutex mu_;
  std::vector<std::string> heads_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace llmux::test
