#pragma once
// The one place that includes Asio and Beast for llmux's .cpp files. Never
// include this from a public header of another module: Asio/Beast are compiled
// once (asio_impl.cpp) and kept out of headers so the two-core build stays fast.
#include <utility>  // Boost 1.74's awaitable header misses this include under g++ 12.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/post.hpp>

namespace llmux {
namespace asio = boost::asio;
using boost::system::error_code;
namespace net {
using tcp = boost::asio::ip::tcp;

// One send on the spot, for a socket in non-blocking mode: what went out, 0 when its
// buffer is full; ec is set only for a real error. A message that fits goes out with
// one system call and no trip through the loop; the caller waits for the rest.
template <class Buffers>
std::size_t send_now(tcp::socket& s, const Buffers& bufs, error_code& ec) {
  std::size_t n = s.send(bufs, 0, ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    ec = {};
    n = 0;
  }
  return n;
}
}  // namespace net
}  // namespace llmux
