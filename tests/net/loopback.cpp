#include "net/loopback.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>

namespace llmux::net::test {

ClientOptions local_options() {
  ClientOptions o;
  o.proxy = ProxyEnv{};
  o.connect_timeout = 10 * kNanosPerSecond;
  o.read_timeout = 20 * kNanosPerSecond;
  o.total_timeout = 25 * kNanosPerSecond;
  return o;
}

HttpRequest request(std::string method, std::uint16_t port, std::string target, std::string body,
                    std::string host, std::string scheme) {
  HttpRequest r;
  r.method = std::move(method);
  r.url.scheme = std::move(scheme);
  r.url.host = std::move(host);
  r.url.port = port;
  r.url.target = std::move(target);
  r.body = std::move(body);
  return r;
}

void Gate::open() {
  std::function<void()> fire;
  {
    std::lock_guard lock(mu_);
    open_ = true;
    fire = std::move(waiter_);
    waiter_ = nullptr;
  }
  if (fire) fire();
}

bool Gate::is_open() {
  std::lock_guard lock(mu_);
  return open_;
}

asio::awaitable<void> Gate::wait() {
  auto ex = co_await asio::this_coro::executor;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this, ex](auto handler) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        auto resume = [h, ex] { asio::post(ex, std::move(*h)); };
        std::unique_lock lock(mu_);
        if (open_) {
          lock.unlock();
          resume();
          return;
        }
        waiter_ = resume;
      },
      asio::use_awaitable);
}

RawServer::RawServer(asio::io_context& ctx, OnConn on_conn)
    : state_(std::make_shared<State>(State{tcp::acceptor(ctx), std::move(on_conn), 0})) {
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(ep.protocol());
  state_->acceptor.bind(ep);
  state_->acceptor.listen();
  port_ = state_->acceptor.local_endpoint().port();
  asio::co_spawn(ctx, accept_loop(state_), asio::detached);
}

RawServer::~RawServer() {
  error_code ec;
  state_->acceptor.close(ec);
}

asio::awaitable<void> RawServer::accept_loop(std::shared_ptr<State> st) {
  for (;;) {
    error_code ec;
    tcp::socket sock = co_await st->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    ++st->accepted;
    asio::co_spawn(st->acceptor.get_executor(), st->on_conn(std::move(sock)), asio::detached);
  }
}

asio::awaitable<bool> read_head(tcp::socket& s, std::string& buf, std::string& head) {
  error_code ec;
  std::size_t n = co_await asio::async_read_until(s, asio::dynamic_buffer(buf), "\r\n\r\n",
                                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  head = buf.substr(0, n);
  buf.erase(0, n);
  co_return true;
}

asio::awaitable<tcp::socket> connect_to(std::uint16_t port) {
  tcp::socket s(co_await asio::this_coro::executor);
  co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
  co_return s;
}

asio::awaitable<std::string> read_to_eof(tcp::socket& s) {
  std::string out;
  error_code ec;
  co_await asio::async_read(s, asio::dynamic_buffer(out), asio::redirect_error(asio::use_awaitable, ec));
  co_return out;
}

asio::awaitable<bool> write_all(tcp::socket& s, std::string_view bytes) {
  error_code ec;
  co_await asio::async_write(s, asio::buffer(bytes.data(), bytes.size()),
                             asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

std::unique_ptr<HttpServer> start_server(Handler handler, ServerOptions opts) {
  opts.host = "127.0.0.1";
  opts.port = 0;
  auto server = std::make_unique<HttpServer>(std::move(opts), std::move(handler));
  auto r = server->start();
  EXPECT_TRUE(r) << r.error().describe();
  return server;
}

}  // namespace llmux::net::test
