#include "bench/runner.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <thread>
#include <unordered_set>

#include "net/asio.hpp"
#include "providers/chat_client.hpp"

namespace llmux::bench {

std::string LoadLevel::label() const {
  if (mode == Mode::concurrency) return "c=" + std::to_string(static_cast<long long>(value));
  char buf[48];
  std::snprintf(buf, sizeof buf, "rate=%g/s", value);
  return buf;
}

void LiveCounters::reset() {
  started = completed = failed = in_flight = output_tokens = cancelled = rejections = 0;
}

api::ChatRequest build_request(const RequestSpec& spec, const providers::Endpoint& ep, const RunOptions& options) {
  api::ChatRequest req;
  req.model = ep.model;
  req.endpoint = options.completions ? api::EndpointKind::completion : api::EndpointKind::chat;
  if (options.completions) req.prompt = spec.prompt.empty() && !spec.messages.empty() ? spec.messages.back().text() : spec.prompt;
  else req.messages = spec.messages;
  req.sampling.max_tokens = spec.max_tokens;
  req.stream = options.stream;
  req.include_usage = options.stream;  // always ask for the server's own counts
  if (options.ignore_eos && ep.accepts_ignore_eos) req.ignore_eos = true;
  return req;
}

namespace {

// Records timestamps and token events for one request as they arrive.
class Recorder final : public providers::ChatObserver {
 public:
  // Room for the planned tokens up front (at most 4,096): growing the vector while
  // tokens arrive moves it several times per request.
  explicit Recorder(RequestRecord& r) : r_(r) {
    r_.events.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(r_.output_tokens_planned, 0, 4096)));
  }
  void on_sent(Nanos t) override { r_.sent = t; }
  void on_head(int status, const net::Headers&, Nanos t) override {
    r_.headers = t;
    r_.http_status = status;
  }
  void on_events(std::vector<api::StreamEvent>& events, Nanos t) override {
    using K = api::StreamEvent::Kind;
    if (!r_.first_event) r_.first_event = t;
    for (auto& e : events) {
      if (e.is_token()) {
        if (!r_.first_token) r_.first_token = t;
        if (e.kind == K::content_delta && !r_.first_content) r_.first_content = t;
        r_.last_token = t;
        r_.events.push_back(TokenEvent{t, e.server_time_ns, e.tokens, static_cast<std::uint32_t>(e.text.size()), e.kind});
        r_.output_chars += e.text.size();
      } else if (e.kind == K::usage) {
        r_.usage = e.usage;
      } else if (e.kind == K::finish) {
        r_.finish = e.finish;
      } else if (e.kind == K::error) {
        stream_error_ = e.error.message.empty() ? std::string("error event in the stream") : e.error.message;
      }
    }
  }
  const std::string& stream_error() const { return stream_error_; }

 private:
  RequestRecord& r_;
  std::string stream_error_;
};

// Everything one I/O thread owns.
struct Worker {
  asio::io_context ctx{1};
  std::unique_ptr<providers::ChatClient> client;
  std::vector<RequestRecord> records;
  std::int64_t in_flight = 0;
  std::unique_ptr<asio::steady_timer> slot;  // woken when a request finishes (in-flight cap)
  asio::steady_timer* arrival = nullptr;      // open loop: the wait for the next send
  std::unordered_set<net::CancelSignal*> active;  // requests in flight, to abort on stop
  int tasks = 0;                              // users / dispatchers / requests still running
};

// On stop (Ctrl-C): aborts the requests in flight and wakes the open loop's waits.
// Repeated each tick: a request still connecting has nothing to abort yet.
void abort_on_stop(Worker& w) {
  for (auto* c : w.active) c->cancel();
  if (w.arrival) w.arrival->cancel();
  if (w.slot) w.slot->cancel();
}

// Keeps a timer due soonest while the worker runs, so the per-operation timeouts
// never reprogram the loop's timerfd (see net/io_pool.cpp); ends with the work.
// Also watches the stop flag, so a stop takes effect within a tick.
asio::awaitable<void> heartbeat(Worker& w, const std::atomic<bool>& stop) {
  asio::steady_timer t(w.ctx);
  error_code ec;
  while (w.tasks > 0) {
    if (stop.load(std::memory_order_relaxed)) abort_on_stop(w);
    t.expires_after(std::chrono::milliseconds(25));
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

struct Shared {
  const providers::Endpoint& ep;
  const Workload& workload;
  const RunOptions& opts;
  LiveCounters& live;
  std::atomic<std::int64_t> next_index{0};
  std::int64_t total = 0;  // warm-up + measured; 0 = until deadline
  Nanos deadline = 0;      // 0 = none
  Nanos start = 0;
};

// Warm-up requests always go; measured ones until the count or the deadline, whichever comes first.
bool may_start(const Shared& s, std::int64_t index) {
  if (s.live.stop.load(std::memory_order_relaxed)) return false;
  if (s.total > 0 && index >= s.total) return false;
  return index < s.opts.warmup || !s.deadline || mono_now() < s.deadline;
}

asio::awaitable<void> one_request(Shared& s, Worker& w, std::int64_t index, Nanos scheduled) {
  RequestRecord r;
  r.index = index;
  r.warmup = index < s.opts.warmup;
  r.streamed = s.opts.stream;
  RequestSpec spec = s.workload.make(index);
  r.input_tokens_planned = spec.input_tokens;
  r.output_tokens_planned = spec.max_tokens;
  api::ChatRequest req = build_request(spec, s.ep, s.opts);
  Recorder rec(r);
  s.live.started.fetch_add(1, std::memory_order_relaxed);
  s.live.in_flight.fetch_add(1, std::memory_order_relaxed);
  r.scheduled = scheduled ? scheduled : mono_now();
  net::CancelSignal cancel;
  w.active.insert(&cancel);
  auto res = co_await w.client->send(s.ep, req, rec, &cancel);
  w.active.erase(&cancel);
  r.done = mono_now();
  if (!r.sent) r.sent = r.done;  // never got to send (connect failed): zero-length timings
  if (!res) {
    r.error = classify(res.error());
    r.error_message = res.error().describe();
    if (res.error().http_status) r.http_status = res.error().http_status;
  } else if (!rec.stream_error().empty()) {
    r.error = ErrorKind::stream_error;
    r.error_message = rec.stream_error();
  }
  s.live.in_flight.fetch_sub(1, std::memory_order_relaxed);
  if (!res && cancel.cancelled()) {  // stopped by the user: neither a result nor a failure of the server
    s.live.cancelled.fetch_add(1, std::memory_order_relaxed);
    co_return;
  }
  (r.ok() ? s.live.completed : s.live.failed).fetch_add(1, std::memory_order_relaxed);
  bool client_error = r.error == ErrorKind::http_4xx && r.http_status != 408;
  if (client_error && s.live.completed.load(std::memory_order_relaxed) == 0 &&
      s.live.rejections.fetch_add(1, std::memory_order_relaxed) + 1 >= LiveCounters::kRejectionsToStop) {
    s.live.rejected.store(true);
    s.live.stop.store(true);
  }
  if (r.ok()) s.live.output_tokens.fetch_add(r.usage.present() ? r.usage.completion_tokens : static_cast<std::int64_t>(r.events.size()), std::memory_order_relaxed);
  w.records.push_back(std::move(r));
}

asio::awaitable<void> closed_loop_user(Shared& s, Worker& w) {
  // Every user starts at the level's start (the origin of the per-request times), not before it.
  asio::steady_timer start(w.ctx, asio::steady_timer::time_point(std::chrono::nanoseconds(s.start)));
  error_code ec;
  co_await start.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  for (;;) {
    std::int64_t index = s.next_index.fetch_add(1);
    if (!may_start(s, index)) break;
    co_await one_request(s, w, index, 0);
  }
  --w.tasks;
}

// Arrival offsets from the level's start: constant spacing or exponential gaps.
std::vector<Nanos> arrival_schedule(const RunOptions& o, double rate, std::int64_t count) {
  std::vector<Nanos> out;
  out.reserve(static_cast<std::size_t>(count));
  std::mt19937_64 rng(o.seed * 31 + 7);
  std::exponential_distribution<double> gap(rate);
  double t = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    out.push_back(static_cast<Nanos>(t * 1e9));
    t += o.poisson ? gap(rng) : 1.0 / rate;
  }
  return out;
}

asio::awaitable<void> tracked_request(Shared& s, Worker& w, std::int64_t index, Nanos scheduled) {
  ++w.in_flight;
  co_await one_request(s, w, index, scheduled);
  --w.in_flight;
  --w.tasks;
  if (w.slot) w.slot->cancel();
}

asio::awaitable<void> open_loop_thread(Shared& s, Worker& w, const std::vector<Nanos>& schedule, int thread,
                                       int threads, std::int64_t cap) {
  asio::steady_timer timer(w.ctx);
  w.arrival = &timer;
  w.slot = std::make_unique<asio::steady_timer>(w.ctx);
  error_code ec;
  for (std::size_t k = static_cast<std::size_t>(thread); k < schedule.size(); k += static_cast<std::size_t>(threads)) {
    Nanos when = s.start + schedule[k];
    if (s.deadline && when >= s.deadline && static_cast<std::int64_t>(k) >= s.opts.warmup) break;
    if (s.live.stop.load()) break;
    timer.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(when)));
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    while (cap > 0 && w.in_flight >= cap && !s.live.stop.load()) {  // the send waits for a slot: lag is recorded
      w.slot->expires_at(asio::steady_timer::time_point::max());
      co_await w.slot->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (s.live.stop.load()) break;
    ++w.tasks;
    asio::co_spawn(w.ctx, tracked_request(s, w, static_cast<std::int64_t>(k), when), asio::detached);
  }
  w.arrival = nullptr;
  --w.tasks;
}

}  // namespace

Result<LevelRun> run_level(const providers::Endpoint& ep, const Workload& workload, const LoadLevel& level,
                           const RunOptions& options, LiveCounters& live) {
  if (level.value <= 0) return fail(ErrorCode::usage, "load level " + level.label() + " must be positive");
  int threads = std::max(1, options.threads);
  Shared s{ep, workload, options, live};
  s.total = options.requests > 0 ? options.requests + options.warmup : 0;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    auto w = std::make_unique<Worker>();
    net::ClientOptions client = options.client;
    client.stamp_arrivals = true;  // token times are arrivals at this host, not when a busy loop read them
    w->client = std::make_unique<providers::ChatClient>(w->ctx.get_executor(), client);
    workers.push_back(std::move(w));
  }
  std::vector<Nanos> schedule;
  if (level.mode == LoadLevel::Mode::rate) {
    // Arrivals up to the request count, or to the deadline when that comes first.
    std::int64_t count = s.total;
    if (options.duration > 0) {
      auto in_time = options.warmup + static_cast<std::int64_t>(std::ceil(level.value * to_seconds(options.duration))) + 1;
      count = count > 0 ? std::min(count, in_time) : in_time;
    }
    schedule = arrival_schedule(options, level.value, count);
  }
  s.start = mono_now() + 5 * kNanosPerMilli;  // a moment for the threads to start
  s.deadline = options.duration > 0 ? s.start + options.duration : 0;
  for (int t = 0; t < threads; ++t) {
    Worker& w = *workers[static_cast<std::size_t>(t)];
    if (level.mode == LoadLevel::Mode::concurrency) {
      auto users = static_cast<std::int64_t>(level.value);
      for (std::int64_t u = t; u < users; u += threads) {
        ++w.tasks;
        asio::co_spawn(w.ctx, closed_loop_user(s, w), asio::detached);
      }
    } else {
      std::int64_t cap = options.max_inflight > 0 ? (options.max_inflight + threads - 1) / threads : 0;
      ++w.tasks;
      asio::co_spawn(w.ctx, open_loop_thread(s, w, schedule, t, threads, cap), asio::detached);
    }
    if (w.tasks > 0) asio::co_spawn(w.ctx, heartbeat(w, live.stop), asio::detached);
  }
  std::vector<std::thread> pool;
  for (auto& w : workers) pool.emplace_back([&w] { w->ctx.run(); });
  for (auto& t : pool) t.join();

  LevelRun run;
  run.level = level;
  for (auto& w : workers)
    for (auto& r : w->records) run.records.push_back(std::move(r));
  std::sort(run.records.begin(), run.records.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  run.started = s.start;
  run.finished = mono_now();
  return run;
}

}  // namespace llmux::bench
