#pragma once
// A socket read started on Asio's reactor directly, for messages that arrive spaced
// in time: the tokens of a streamed response (net/http_client.cpp), and the requests
// on a kept-alive connection with the watch for a client that goes away
// (net/http_server.cpp). Include from .cpp files only (it pulls in Asio's reactor).
//
// Why: Asio's own async_read_some first tries the socket, and on a stream of tokens
// that recvmsg finds nothing nearly every time, one wasted system call per token.
// Waiting first instead (async_wait) costs one epoll_ctl per read, since Boost 1.74
// re-arms the descriptor for every wait. A read here tries the socket first only
// when it may hold something: after a read that filled its buffer, or once the
// reactor has seen the socket become ready since the last read drained it.
//
// "Drained" needs all three of: recvmsg returned less than it was asked for (TCP
// hands over everything queued up to the size asked, so no bytes were left); the
// kernel's TCP_INQ hint says nothing is left, not even an end of stream (after a
// FIN the hint is non-zero, so a FIN that came with the last bytes is read next);
// and the reactor has seen no error or hang-up on the socket since the last drained
// read (a reset that came with the last bytes would otherwise go unread, as no
// event follows it). The reactor keeps the "try first" bit per descriptor
// (`try_speculative_`) and learns of a drained socket from a read that reports
// `done_and_exhausted`; any later byte, end or error makes the edge-triggered epoll
// registration fire and sets the bit again. So a token costs one recvmsg plus its
// share of epoll_wait.
//
// This uses Boost 1.74's reactor interface and internals (Debian 12's Boost). Other
// versions, or a build with LLMUX_PORTABLE_READS defined, get a plain
// try-then-wait read.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/version.hpp>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>

#include "net/asio.hpp"

#if BOOST_VERSION == 107400 && defined(BOOST_ASIO_HAS_EPOLL) && !defined(LLMUX_PORTABLE_READS)
#define LLMUX_REACTOR_READ 1
#include <boost/asio/detail/reactor.hpp>
#else
#define LLMUX_REACTOR_READ 0
#endif

namespace llmux::net {

// Who hears of each successful receive: its message, control data included, goes to
// `fn`, while the socket is still open.
struct RecvHook {
  void (*fn)(void* ctx, const msghdr& msg) = nullptr;
  void* ctx = nullptr;
};

// What one read receives into, and who hears of it.
struct RecvSpec {
  int fd = -1;
  std::array<iovec, 8> iov{};
  std::size_t count = 0;
  std::size_t total = 0;
  RecvHook hook;
};

template <class Buffers>
RecvSpec recv_spec(int fd, const Buffers& b) {
  RecvSpec s;
  s.fd = fd;
  for (auto it = asio::buffer_sequence_begin(b); it != asio::buffer_sequence_end(b) && s.count < s.iov.size();
       ++it) {
    asio::mutable_buffer m = *it;
    if (m.size() == 0) continue;
    s.iov[s.count++] = iovec{m.data(), m.size()};
    s.total += m.size();
  }
  return s;
}

// Asks the kernel to say, with every read of `fd`, how much is left to read
// (TCP_INQ, Linux 4.18+). Without it no read counts as having drained the socket.
inline void ask_inq(int fd) {
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_INQ, &on, sizeof on);
}

enum class Recv { nothing, got, drained };  // drained: see the top of this file

// What a receive that returned `r` <= 0 means: the end (eof) or an error (both Recv::got: there is
// an answer), or Recv::nothing while the socket is empty; nullopt when a signal interrupted it.
inline std::optional<Recv> took_nothing(ssize_t r, error_code& ec) {
  if (r == 0) {
    ec = asio::error::eof;
    return Recv::got;
  }
  if (errno == EINTR) return std::nullopt;
  if (errno == EAGAIN || errno == EWOULDBLOCK) return Recv::nothing;
  ec = error_code(errno, asio::error::get_system_category());
  return Recv::got;
}

// One recvmsg without blocking.
inline Recv receive_once(const RecvSpec& s, error_code& ec, std::size_t& n) {
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec)) * 2 + CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(s.iov.data());
  msg.msg_iovlen = s.count;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  n = 0;
  ec = {};
  for (;;) {
    ssize_t r = ::recvmsg(s.fd, &msg, MSG_DONTWAIT);
    if (r > 0) {
      n = static_cast<std::size_t>(r);
      if (s.hook.fn) s.hook.fn(s.hook.ctx, msg);
      if (n == s.total) return Recv::got;
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != IPPROTO_TCP || c->cmsg_type != TCP_CM_INQ) continue;
        int left = 0;
        std::memcpy(&left, CMSG_DATA(c), sizeof left);
        return left == 0 ? Recv::drained : Recv::got;
      }
      return Recv::got;  // no hint: maybe more
    }
    if (auto o = took_nothing(r, ec)) return *o;
  }
}

// One look at the socket's next byte without taking it: Recv::got once there is an
// answer (a byte: no error; the end: eof; or an error), Recv::nothing while there is none.
inline Recv peek_once(int fd, error_code& ec) {
  char byte;
  ec = {};
  for (;;) {
    ssize_t r = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (r > 0) return Recv::got;
    if (auto o = took_nothing(r, ec)) return *o;
  }
}

namespace reactor_read_detail {

// The two things a read operation here does each time it is performed.
struct Receive {  // one receive of `spec`
  RecvSpec spec;
  Recv operator()(error_code& ec, std::size_t& n) const { return receive_once(spec, ec, n); }
};
struct Watch {  // see start_watch
  int fd;
  const std::uint64_t* current;
  std::uint64_t gen;
  Recv operator()(error_code& ec, std::size_t& n) const {
    n = 0;
    ec = {};
    if (*current != gen) return Recv::got;  // stale: done without a look at the socket
    return peek_once(fd, ec);
  }
};

}  // namespace reactor_read_detail

#if LLMUX_REACTOR_READ

namespace reactor_read_detail {

using Reactor = asio::detail::epoll_reactor;

// The socket's reactor registration (protected in basic_socket).
struct SocketAccess : tcp::socket {
  static auto& impl(tcp::socket& s) { return (s.*&SocketAccess::impl_).get_implementation(); }
};

// The registration's "try first" bits (private in the reactor): named through an
// explicit instantiation, where access rules do not apply.
struct TryFirstBits {
  using type = bool (Reactor::descriptor_state::*)[Reactor::max_ops];
  friend type member(TryFirstBits);
};
template <class Tag, typename Tag::type M>
struct Expose {
  friend typename Tag::type member(Tag) { return M; }
};
template struct Expose<TryFirstBits, &Reactor::descriptor_state::try_speculative_>;

// A read operation queued on the reactor, performing `Action` until it has an answer.
template <class Action, class Handler>
class ReadOp : public asio::detail::reactor_op {
 public:
  ReadOp(const Action& action, Handler h, asio::any_io_executor ex, Reactor::per_descriptor_data desc)
      : reactor_op(error_code(), &ReadOp::perform_op, &ReadOp::complete_op),
        action_(action),
        handler_(std::move(h)),
        ex_(std::move(ex)),
        desc_(desc) {}

 private:
  // Runs in the reactor with the descriptor's lock held (Asio's start_op and
  // perform_io). The except-op bit, which nothing here uses otherwise, records an
  // error or hang-up: the reactor sets it on every such event, before it performs
  // the read; a drained read clears it.
  static status perform_op(reactor_op* base) {
    auto* o = static_cast<ReadOp*>(base);
    Recv r = o->action_(o->ec_, o->bytes_transferred_);
    if (r == Recv::nothing) return not_done;
    if (r == Recv::got) return done;
    bool& error_seen = (o->desc_->*member(TryFirstBits{}))[Reactor::except_op];
    if (error_seen) {
      error_seen = false;
      return done;  // the next read tries first and so meets the error or end
    }
    return done_and_exhausted;
  }

  // owner is null when the io_context is destroyed with the read pending: the
  // handler is dropped, as Asio's own operations do.
  static void complete_op(void* owner, asio::detail::scheduler_operation* base, const error_code&, std::size_t) {
    std::unique_ptr<ReadOp> o(static_cast<ReadOp*>(base));
    if (!owner) return;
    error_code ec = o->ec_;
    std::size_t n = o->bytes_transferred_;
    Handler h = std::move(o->handler_);
    auto ex = asio::get_associated_executor(h, o->ex_);
    o.reset();
    // Completes inline when the handler's executor is this loop's, as Asio's do.
    asio::dispatch(ex, [h = std::move(h), ec, n]() mutable { std::move(h)(ec, n); });
  }

  Action action_;
  Handler handler_;
  asio::any_io_executor ex_;
  Reactor::per_descriptor_data desc_;
};

template <class Action, class Handler>
void start_read_op(tcp::socket& sock, const Action& action, Handler&& handler) {
  using Op = ReadOp<Action, std::decay_t<Handler>>;
  auto& impl = SocketAccess::impl(sock);
  auto& reactor =
      asio::use_service<asio::detail::reactor>(asio::query(sock.get_executor(), asio::execution::context));
  auto* op = new Op(action, std::forward<Handler>(handler), sock.get_executor(), impl.reactor_data_);
  reactor.start_op(asio::detail::reactor::read_op, impl.socket_, impl.reactor_data_, op, false, true);
}

}  // namespace reactor_read_detail

#else  // portable: try the socket, wait for it to be readable when nothing is there

namespace reactor_read_detail {

template <class Action>
struct TryThenWait {
  tcp::socket& sock;
  Action action;
  bool waited = false;
  template <class Self>
  void operator()(Self& self, error_code ec = {}) {
    if (ec) return self.complete(ec, 0);
    std::size_t n = 0;
    if (action(ec, n) != Recv::nothing) {
      if (!waited)
        return asio::post(sock.get_executor(),
                          [self = std::move(self), ec, n]() mutable { self.complete(ec, n); });
      return self.complete(ec, n);
    }
    waited = true;
    sock.async_wait(tcp::socket::wait_read, std::move(self));
  }
};

template <class Action, class Handler>
void start_read_op(tcp::socket& sock, const Action& action, Handler&& handler) {
  asio::async_compose<Handler, void(error_code, std::size_t)>(TryThenWait<Action>{sock, action}, handler, sock);
}

}  // namespace reactor_read_detail

#endif

// Starts one read of `spec` on `sock`; the handler gets (error_code, bytes).
// Cancelling or closing the socket completes it with operation_aborted, as for Asio's
// own reads.
template <class Handler>
void start_recv(tcp::socket& sock, const RecvSpec& spec, Handler&& handler) {
  reactor_read_detail::start_read_op(sock, reactor_read_detail::Receive{spec}, std::forward<Handler>(handler));
}

// Watches a connection that has nothing to read for its peer going away, without
// taking anything from it: the handler gets (eof or an error, 0) when the peer closed
// or reset it, (no error, 0) when more bytes came, and operation_aborted when the
// socket is cancelled or closed. The watch is stale once `*current` no longer equals
// `gen`; a stale watch completes with no error at the next look at the socket (on the
// reactor, without a system call), and a read queued behind it goes on. So a server
// can leave a request's watch in place and read the next request behind it.
template <class Handler>
void start_watch(tcp::socket& sock, const std::uint64_t* current, std::uint64_t gen, Handler&& handler) {
  reactor_read_detail::start_read_op(sock, reactor_read_detail::Watch{sock.native_handle(), current, gen},
                                     std::forward<Handler>(handler));
}

// async_read_some for a stream type: reads `sock` with start_recv.
template <class Buffers, class Token>
auto async_recv_some(tcp::socket& sock, const Buffers& b, RecvHook hook, Token&& token) {
  return asio::async_initiate<Token, void(error_code, std::size_t)>(
      [&sock, hook](auto handler, const Buffers& bufs) {
        RecvSpec spec = recv_spec(sock.native_handle(), bufs);
        spec.hook = hook;
        if (spec.total == 0) {  // a read of nothing completes at once
          auto ex = asio::get_associated_executor(handler, sock.get_executor());
          asio::post(ex, [h = std::move(handler)]() mutable { std::move(h)(error_code(), std::size_t{0}); });
          return;
        }
        start_recv(sock, spec, std::move(handler));
      },
      token, b);
}

}  // namespace llmux::net
