#include "sim/responder.hpp"

#include <simdjson.h>

#include <cmath>
#include <vector>

#include "core/json_writer.hpp"
#include "sim/routes.hpp"
#include "sim/tokenizer.hpp"

namespace llmux::sim {

namespace {

using TimePoint = asio::steady_timer::time_point;
TimePoint at(Nanos t) { return TimePoint(std::chrono::nanoseconds(t)); }

asio::awaitable<void> sleep_until(Nanos t) {
  if (t <= mono_now()) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, at(t));
  error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

SimServer::Impl::Impl(SimOptions o) : opts(std::move(o)) {
  codec = api::make_server_codec(opts.dialect, opts.annotate);
  openai_codec = api::make_server_codec(api::Dialect::openai, opts.annotate);
}

SimStats SimServer::Impl::snapshot() const {
  SimStats s;
  s.dialect = std::string(api::to_string(opts.dialect));
  s.requests = requests.load();
  s.completed = completed.load();
  s.faults_injected = faults.load();
  s.rejected = rejected.load();
  s.client_gone = client_gone.load();
  s.active_streams = active.load();
  s.peak_streams = peak.load();
  s.tokens = tokens.load();
  s.lateness_count = lateness.count();
  s.lateness_mean = lateness.mean();
  s.lateness_p50 = lateness.quantile(0.5);
  s.lateness_p99 = lateness.quantile(0.99);
  s.lateness_p999 = lateness.quantile(0.999);
  s.lateness_max = lateness.max();
  return s;
}

Pacer& SimServer::Impl::pacer_for(const asio::any_io_executor& ex) {
  std::lock_guard lock(pacers_mu);
  for (auto& p : pacers)
    if (p->executor() == ex) return *p;
  pacers.push_back(std::make_unique<Pacer>(ex, opts.spin));
  return *pacers.back();
}

void SimServer::Impl::stream_started() {
  auto now = active.fetch_add(1) + 1;
  auto p = peak.load();
  while (now > p && !peak.compare_exchange_weak(p, now)) {
  }
}

void SimServer::Impl::stream_ended() { active.fetch_sub(1); }

Nanos SimServer::Impl::gap(int tokens, TextGenerator& rng) const {
  double base = static_cast<double>(opts.fixed.itl) * tokens;
  if (opts.fixed.jitter > 0) base *= 1.0 + opts.fixed.jitter * (2.0 * rng.next_unit() - 1.0);
  return static_cast<Nanos>(base);
}

asio::awaitable<void> SimServer::Impl::send_error(net::ResponseWriter& w, int status, std::string type,
                                                  std::string message, const net::Headers* extra,
                                                  const api::ServerCodec* c) {
  api::ApiError e;
  e.http_status = status;
  e.type = std::move(type);
  e.message = std::move(message);
  const api::ServerCodec* answering = c;
  if (!answering) answering = codec.get();
  std::string body = answering->encode_error(e);
  co_await w.send(status, "application/json", body, extra);
}

asio::awaitable<void> SimServer::Impl::handle(net::ServerRequest& req, net::ResponseWriter& w) {
  auto path = req.path();
  if (auto d = generation_dialect(opts.dialect, req.method, path)) {
    const api::ServerCodec* c = codec.get();
    if (*d != opts.dialect) c = openai_codec.get();  // an Ollama sim's /v1
    co_return co_await generate(req, w, *c);
  }
  if (req.method == "GET" && (path == "/health" || path == "/v1/health"))
    co_return co_await w.send(200, "application/json", R"({"status":"ok"})");
  if (auto body = side_endpoint(opts, req.method, path)) co_return co_await w.send(200, "application/json", *body);
  if (req.method == "POST" && (path == "/tokenize" || path == "/v1/tokenize")) co_return co_await tokenize(req, w);
  if (req.method == "POST" && path == "/v1/messages/count_tokens" && opts.dialect == api::Dialect::anthropic)
    co_return co_await count_message_tokens(req, w);
  if (req.method == "POST" && path == "/api/show" && opts.dialect == api::Dialect::ollama) co_return co_await show(req, w);
  if (req.method == "POST" && path == "/v1/embeddings" &&
      (opts.dialect == api::Dialect::openai || opts.dialect == api::Dialect::ollama))
    co_return co_await embeddings(req, w);
  if (req.method == "POST" && path == "/api/embed" && opts.dialect == api::Dialect::ollama)
    co_return co_await embeddings(req, w);
  if (req.method == "GET" && path == "/sim/received") {
    std::string out;
    JsonWriter j(out);
    j.begin_array();
    {
      std::lock_guard lock(received_mu);
      for (const auto& b : received) j.value(b);
    }
    j.end_array();
    co_return co_await w.send(200, "application/json", out);
  }
  if (req.method == "GET" && path == "/sim/stats")
    co_return co_await w.send(200, "application/json", snapshot().to_json());
  if (req.method == "POST" && path == "/sim/reset") {
    lateness.reset();
    co_return co_await w.send(200, "application/json", R"({"reset":true})");
  }
  co_await send_error(w, 404, "invalid_request_error",
                      "no route for " + req.method + " " + std::string(path) + "; this " +
                          std::string(api::to_string(opts.dialect)) + " sim serves " + served_paths(opts.dialect) +
                          ", POST /tokenize, GET /health, /sim/stats");
}

asio::awaitable<void> SimServer::Impl::tokenize(net::ServerRequest& req, net::ResponseWriter& w) {
  // vLLM sends {"prompt": ...} or {"messages": [...]}; llama.cpp sends {"content": ...}.
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(req.body).get(doc) != simdjson::SUCCESS)
    co_return co_await send_error(w, 400, "invalid_request_error", "tokenize body is not JSON");
  std::string text;
  std::string_view s;
  if (doc["prompt"].get(s) == simdjson::SUCCESS || doc["content"].get(s) == simdjson::SUCCESS) {
    text = std::string(s);
  } else if (doc["messages"].is_array()) {
    auto parsed = openai_codec->decode_request("/v1/chat/completions", req.body);
    if (!parsed) {
      std::string body = "{\"model\":\"x\"," + req.body.substr(req.body.find('{') + 1);
      parsed = openai_codec->decode_request("/v1/chat/completions", body);
    }
    if (!parsed) co_return co_await send_error(w, 400, "invalid_request_error", parsed.error().message);
    text = parsed->all_text();
  } else {
    co_return co_await send_error(w, 400, "invalid_request_error", "tokenize needs prompt, content or messages");
  }
  auto ids = token_ids(text);
  std::string out;
  JsonWriter j(out);
  j.begin_object().field("count", static_cast<std::int64_t>(ids.size())).field("max_model_len", opts.max_context);
  j.key("tokens").begin_array();
  for (auto id : ids) j.value(id);
  j.end_array().end_object();
  co_await w.send(200, "application/json", out);
}

void SimServer::Impl::record(const std::string& body) {
  if (!opts.record) return;
  std::lock_guard lock(received_mu);
  if (received.size() < 100000) received.push_back(body);
}

asio::awaitable<void> SimServer::Impl::count_message_tokens(net::ServerRequest& req, net::ResponseWriter& w) {
  record(req.body);
  auto decoded = codec->decode_request(req.path(), req.body);
  if (!decoded) co_return co_await send_error(w, 400, "invalid_request_error", decoded.error().message);
  std::string out;
  JsonWriter j(out);
  j.begin_object().field("input_tokens", static_cast<std::int64_t>(count_tokens(decoded->all_text()))).end_object();
  co_await w.send(200, "application/json", out);
}

// The model's details and GGUF metadata, as Ollama answers them: what --model gave the
// sim (see SimOptions::ollama_show), else only that it is llmux sim.
asio::awaitable<void> SimServer::Impl::show(net::ServerRequest& req, net::ResponseWriter& w) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view name;
  bool named = parser.parse(req.body).get(doc) == simdjson::SUCCESS &&
               (doc["model"].get(name) == simdjson::SUCCESS || doc["name"].get(name) == simdjson::SUCCESS);
  if (!named) co_return co_await send_error(w, 400, "invalid_request_error", "show needs {\"model\": NAME}");
  auto bare = [](std::string_view n) { return n.ends_with(":latest") ? n.substr(0, n.size() - 7) : n; };
  bool known = std::any_of(opts.models.begin(), opts.models.end(), [&](const std::string& m) { return bare(m) == bare(name); });
  if (!known) co_return co_await send_error(w, 404, "not_found_error", "model '" + std::string(name) + "' not found");
  if (!opts.ollama_show.empty()) co_return co_await w.send(200, "application/json", opts.ollama_show);
  co_await w.send(200, "application/json",
                  R"({"details":{"format":"gguf","family":"llmux-sim"},"model_info":{"general.architecture":"llmux-sim"},)"
                  R"("capabilities":["completion"]})");
}

namespace {
// A unit vector that depends only on the text: the same input embeds the same way.
void write_embedding(JsonWriter& j, std::string_view text, std::int64_t dimensions) {
  TextGenerator numbers(text_hash(text));
  std::vector<double> v(static_cast<std::size_t>(dimensions));
  double norm = 0;
  for (auto& x : v) {
    x = numbers.next_unit() * 2 - 1;
    norm += x * x;
  }
  norm = norm > 0 ? std::sqrt(norm) : 1;
  j.begin_array();
  for (double x : v) j.value(x / norm);
  j.end_array();
}
}  // namespace

// OpenAI's embeddings endpoint, and Ollama's /api/embed in the Ollama dialect: `input`
// a string or an array of strings, optional `dimensions` (default 16), floats only.
asio::awaitable<void> SimServer::Impl::embeddings(net::ServerRequest& req, net::ResponseWriter& w) {
  constexpr std::size_t kMaxInputs = 2048;  // OpenAI's limit per request
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(req.body).get(doc) != simdjson::SUCCESS || !doc.is_object())
    co_return co_await send_error(w, 400, "invalid_request_error", "embeddings body is not a JSON object");
  std::string_view model;
  if (doc["model"].get(model) != simdjson::SUCCESS)
    co_return co_await send_error(w, 400, "invalid_request_error", "embeddings request needs a string \"model\"");
  std::vector<std::string_view> inputs;
  std::string_view one;
  simdjson::dom::array many;
  if (doc["input"].get(one) == simdjson::SUCCESS) {
    inputs.push_back(one);
  } else if (doc["input"].get(many) == simdjson::SUCCESS) {
    for (auto item : many) {
      std::string_view s;
      if (item.get(s) != simdjson::SUCCESS)
        co_return co_await send_error(w, 400, "invalid_request_error", "input: the sim embeds strings only");
      inputs.push_back(s);
    }
  }
  if (inputs.empty() || inputs.size() > kMaxInputs)
    co_return co_await send_error(w, 400, "invalid_request_error",
                                  "input must be a string or an array of 1 to 2048 strings");
  std::int64_t dimensions = 16;
  if (doc["dimensions"].error() != simdjson::NO_SUCH_FIELD &&
      (doc["dimensions"].get(dimensions) != simdjson::SUCCESS || dimensions < 1 || dimensions > 4096))
    co_return co_await send_error(w, 400, "invalid_request_error", "dimensions must be an integer from 1 to 4096");
  constexpr std::int64_t kMaxValues = 1 << 20;  // ~20 MB of JSON: the answer has a limit too
  if (static_cast<std::int64_t>(inputs.size()) * dimensions > kMaxValues)
    co_return co_await send_error(w, 400, "invalid_request_error",
                                  "inputs x dimensions must be at most 1048576 (the answer's size)");
  std::string_view format;
  if (doc["encoding_format"].get(format) == simdjson::SUCCESS && format != "float")
    co_return co_await send_error(w, 400, "invalid_request_error", "encoding_format: the sim writes float only");
  requests.fetch_add(1, std::memory_order_relaxed);
  std::int64_t tokens = 0;
  std::string out;
  JsonWriter j(out);
  if (req.path() == "/api/embed") {  // {"model", "embeddings": [[...]], durations, "prompt_eval_count"}
    j.begin_object().field("model", model).key("embeddings").begin_array();
    for (auto input : inputs) {
      tokens += static_cast<std::int64_t>(count_tokens(input));
      write_embedding(j, input, dimensions);
    }
    j.end_array().field("total_duration", std::int64_t{0}).field("load_duration", std::int64_t{0});
    j.field("prompt_eval_count", tokens).end_object();
    co_return co_await w.send(200, "application/json", out);
  }
  j.begin_object().field("object", "list").key("data").begin_array();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    tokens += static_cast<std::int64_t>(count_tokens(inputs[i]));
    j.begin_object().field("object", "embedding").field("index", static_cast<std::int64_t>(i)).key("embedding");
    write_embedding(j, inputs[i], dimensions);
    j.end_object();
  }
  j.end_array().field("model", model);
  j.key("usage").begin_object().field("prompt_tokens", tokens).field("total_tokens", tokens).end_object();
  j.end_object();
  co_await w.send(200, "application/json", out);
}

asio::awaitable<void> SimServer::Impl::generate(net::ServerRequest& req, net::ResponseWriter& w,
                                                const api::ServerCodec& c) {
  Nanos start = req.received_at;
  requests.fetch_add(1, std::memory_order_relaxed);
  record(req.body);
  auto decoded = c.decode_request(req.path(), req.body);
  if (!decoded) {
    rejected.fetch_add(1);
    co_return co_await send_error(w, 400, "invalid_request_error", decoded.error().message, nullptr, &c);
  }
  auto fault_header = req.headers.get("x-llmux-fault").value_or("");
  std::uint64_t number = counter.fetch_add(1);
  auto planned = plan_generation(std::move(*decoded), opts, number, fault_header);
  if (!planned) {
    rejected.fetch_add(1);
    api::ApiError e;
    e.http_status = 400;
    e.type = "invalid_request_error";
    e.message = planned.error().message;
    if (planned.error().code == ErrorCode::limit) {  // as OpenAI names it
      e.code = "context_length_exceeded";
      e.param = "messages";
    }
    co_return co_await w.send(400, "application/json", c.encode_error(e));
  }
  Generation& g = *planned;
  g.meta.id = response_id(c.dialect(), number);
  g.meta.created = wall_now() / kNanosPerSecond;
  if (g.faults.any()) faults.fetch_add(1, std::memory_order_relaxed);
  if (g.faults.slow_headers) co_await sleep_until(start + g.faults.slow_headers);
  if (g.faults.status) {
    std::string type = "server_error";
    if (g.faults.status == 503) type = "overloaded_error";
    co_return co_await send_error(w, g.faults.status, type,
                                  "simulated failure (HTTP " + std::to_string(g.faults.status) + ")", nullptr, &c);
  }
  if (g.faults.rate_limited) {
    net::Headers h;
    h.add("Retry-After", std::to_string(g.faults.retry_after_s));
    co_return co_await send_error(w, 429, "rate_limit_error", "simulated rate limit; retry later", &h, &c);
  }
  std::shared_ptr<Sequence> seq;
  if (opts.profile == ProfileKind::batch) {
    auto ex = co_await asio::this_coro::executor;
    if (!engine) {
      engine = std::make_unique<BatchEngine>(ex, opts.batch, lateness, pacer_for(ex));
      engine->start();
    }
    seq = std::make_shared<Sequence>(ex);
    seq->prompt_tokens = g.prompt_tokens;
    seq->output_tokens = g.output_tokens;
    if (!engine->submit(seq)) {
      rejected.fetch_add(1);
      co_return co_await send_error(w, 503, "overloaded_error", "simulated server queue is full", nullptr, &c);
    }
  }
  stream_started();
  if (!g.request.stream) co_await answer_whole(g, c, w, start, seq);
  else if (seq) co_await stream_batch(g, c, w, seq, start);
  else co_await stream_fixed(g, c, w, start);
  stream_ended();
  if (w.client_gone()) {
    if (seq) seq->cancelled = true;
    client_gone.fetch_add(1);
  }
}

}  // namespace llmux::sim
