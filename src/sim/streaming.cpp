// The sim's answers over time: streamed chunk by chunk on schedule, or whole.
#include "sim/responder.hpp"

namespace llmux::sim {

namespace {

// A chunk that does not decode, in the dialect's framing (SSE, or an NDJSON line for Ollama).
std::string_view broken_chunk(const api::ServerCodec& c) {
  if (c.dialect() == api::Dialect::ollama) return "{\"model\": \"broken\", \"message\": [\n";
  return "data: {\"id\": \"broken\", \"choices\": [\n\n";
}

// When the sim's tokens went out, for the server-side durations some APIs report (Ollama).
struct WriteTimes {
  Nanos start = 0, first = 0, last = 0;
  void token(Nanos t) {
    if (!first) first = t;
    last = t;
  }
  api::ServerTiming timing(Nanos now) const {
    api::ServerTiming s;
    s.prompt_eval_ns = first ? first - start : 0;
    s.eval_ns = first ? last - first : 0;
    s.total_ns = now - start;
    return s;
  }
};

// The events that close a stream: finish reason, usage, terminal marker.
void append_tail(api::StreamEncoder& enc, const Generation& g, const WriteTimes& times, std::string& buf) {
  auto finish = api::StreamEvent::finished(g.finish);
  finish.text = g.stop_sequence;  // Anthropic reports which sequence ended it
  enc.encode(finish, buf);
  api::Usage u = g.usage();
  u.timing = times.timing(mono_now());
  enc.encode(api::StreamEvent::usage_of(u), buf);
  enc.finish(buf);
}

// The role event carries the prompt's usage (Anthropic's message_start reports it).
void append_role(api::StreamEncoder& enc, const Generation& g, std::string& buf) {
  api::StreamEvent role;
  role.kind = api::StreamEvent::Kind::role_start;
  role.usage = g.usage();
  role.usage.completion_tokens = 0;
  role.usage.reasoning_tokens = 0;
  enc.encode(role, buf);
}

// Where a chunk must end so that a fault applies exactly at its token count.
bool at_fault_boundary(const FaultPlan& f, std::int64_t emitted, bool stalled) {
  return (f.cut_after >= 0 && emitted >= f.cut_after) || (f.stall && !stalled && emitted >= f.stall_after);
}

}  // namespace

asio::awaitable<void> SimServer::Impl::stream_fixed(Generation& g, const api::ServerCodec& c, net::ResponseWriter& w,
                                                    Nanos start) {
  TokenSource src(g);
  auto enc = c.stream_encoder(g.request, g.meta);
  TextGenerator jitter_rng(g.seed ^ 0x5bd1e995ull);
  WriteTimes times{start};
  std::string buf;
  buf.reserve(512);
  append_role(*enc, g, buf);
  bool open = co_await w.begin_stream(200, enc->content_type());
  if (!open) co_return;
  bool zero_delay = opts.fixed.ttft == 0 && opts.fixed.itl == 0;
  if (!zero_delay) {  // the role chunk goes out at once, as vLLM does
    bool sent = co_await w.write(buf);
    if (!sent) co_return;
    buf.clear();
  }
  const int per_chunk = opts.fixed.tokens_per_chunk;
  Nanos ttft = opts.fixed.ttft;
  if (opts.fixed.jitter > 0) ttft = static_cast<Nanos>(static_cast<double>(ttft) * (1.0 + opts.fixed.jitter * (2.0 * jitter_rng.next_unit() - 1.0)));
  Nanos due = start + ttft;
  auto ex = co_await asio::this_coro::executor;
  Pacer& pacer = pacer_for(ex);
  bool stalled = false;
  while (!src.done()) {
    const FaultPlan& f = g.faults;
    if (f.cut_after >= 0 && src.emitted() >= f.cut_after) {
      if (!buf.empty()) co_await w.write(buf);
      w.abort();
      co_return;
    }
    if (f.stall && !stalled && src.emitted() >= f.stall_after) {
      stalled = true;
      due += f.stall;
    }
    if (due > mono_now()) co_await pacer.until(due);
    Nanos now = mono_now();
    do {  // every chunk already due goes out in this one write
      if (!zero_delay) lateness.record(now - due);
      api::StreamEvent ev;
      std::int64_t before = src.emitted();
      int k = src.next(per_chunk, ev);
      ev.server_time_ns = now;
      times.token(now);
      if (f.malformed_at >= before && f.malformed_at < before + k) buf += broken_chunk(c);
      else enc->encode(ev, buf);
      due += gap(k, jitter_rng);
    } while (!src.done() && due <= now && !at_fault_boundary(f, src.emitted(), stalled));
    if (src.done()) {  // the last tokens, the tail and the end go out in one write
      append_tail(*enc, g, times, buf);
      break;
    }
    bool sent = co_await w.write(buf);
    if (!sent) co_return;
    buf.clear();
  }
  co_await w.end_stream(buf);
  if (w.client_gone()) co_return;
  tokens.fetch_add(static_cast<std::uint64_t>(src.emitted()), std::memory_order_relaxed);
  completed.fetch_add(1, std::memory_order_relaxed);
}

asio::awaitable<void> SimServer::Impl::stream_batch(Generation& g, const api::ServerCodec& c, net::ResponseWriter& w,
                                                    std::shared_ptr<Sequence> seq, Nanos start) {
  TokenSource src(g);
  auto enc = c.stream_encoder(g.request, g.meta);
  WriteTimes times{start};
  std::string buf;
  append_role(*enc, g, buf);
  bool open = co_await w.begin_stream(200, enc->content_type());
  if (open) open = co_await w.write(buf);  // (no co_await inside ||: g++ 12 miscompiles it)
  if (!open) {
    seq->cancelled = true;
    co_return;
  }
  buf.clear();
  bool stalled = false;
  while (!src.done()) {
    co_await seq->wait_tokens();
    if (seq->token_times.empty()) break;
    buf.clear();
    const FaultPlan& f = g.faults;
    for (std::size_t i = 0; i < seq->token_times.size() && !src.done(); ++i) {
      if (f.cut_after >= 0 && src.emitted() >= f.cut_after) {
        if (!buf.empty()) co_await w.write(buf);
        seq->cancelled = true;
        w.abort();
        co_return;
      }
      api::StreamEvent ev;
      std::int64_t before = src.emitted();
      src.next(1, ev);
      ev.server_time_ns = seq->token_times[i];
      times.token(ev.server_time_ns);
      if (f.malformed_at == before) buf += broken_chunk(c);
      else enc->encode(ev, buf);
    }
    seq->token_times.clear();
    seq->token_due.clear();
    if (g.faults.stall && !stalled && src.emitted() >= g.faults.stall_after) {
      stalled = true;
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::nanoseconds(g.faults.stall));
      error_code ec;
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (src.done()) {
      append_tail(*enc, g, times, buf);
      break;
    }
    bool sent = co_await w.write(buf);
    if (!sent) {
      seq->cancelled = true;
      co_return;
    }
    buf.clear();
  }
  co_await w.end_stream(buf);
  if (w.client_gone()) co_return;
  tokens.fetch_add(static_cast<std::uint64_t>(src.emitted()), std::memory_order_relaxed);
  completed.fetch_add(1, std::memory_order_relaxed);
}

asio::awaitable<void> SimServer::Impl::answer_whole(Generation& g, const api::ServerCodec& c, net::ResponseWriter& w,
                                                    Nanos start, std::shared_ptr<Sequence> seq) {
  if (seq) {
    while (!seq->finished() && !seq->cancelled) {
      seq->token_times.clear();
      co_await seq->wait_tokens();
    }
  } else {
    Nanos total = opts.fixed.ttft + opts.fixed.itl * std::max<std::int64_t>(0, g.output_tokens - 1) + g.faults.stall;
    if (start + total > mono_now()) {
      auto ex = co_await asio::this_coro::executor;
      co_await pacer_for(ex).until(start + total);
    }
  }
  if (g.faults.cut_after >= 0) {
    w.abort();
    co_return;
  }
  TokenSource src(g);
  auto resp = src.whole();
  resp.usage.timing.total_ns = mono_now() - start;
  if (!seq) {  // the fixed profile's schedule says how the time split
    resp.usage.timing.prompt_eval_ns = opts.fixed.ttft;
    resp.usage.timing.eval_ns = opts.fixed.itl * std::max<std::int64_t>(0, g.output_tokens - 1);
  }
  tokens.fetch_add(static_cast<std::uint64_t>(g.output_tokens), std::memory_order_relaxed);
  std::string body = g.faults.malformed_at >= 0 ? std::string("{\"id\": \"broken\", ") : c.encode_response(resp, g.request);
  co_await w.send(200, "application/json", body);
  completed.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace llmux::sim
