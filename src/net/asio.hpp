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
}  // namespace net
}  // namespace llmux
