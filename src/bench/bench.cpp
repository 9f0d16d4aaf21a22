#include "bench/bench.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "net/asio.hpp"
#include "providers/chat_client.hpp"

namespace llmux::bench {

namespace {

LevelSummary run_one(const BenchConfig& cfg, const Workload& w, const LoadLevel& level, LiveCounters& live,
                     const BenchHooks& hooks, BenchResult& result) {
  live.reset();
  if (hooks.level_started) hooks.level_started(level);
  auto run = run_level(cfg.endpoint, w, level, cfg.run, live);
  LevelSummary s = run ? summarize_level(*run, cfg.slos) : LevelSummary{};
  if (run) result.runs.push_back(std::move(*run));
  if (hooks.level_finished) hooks.level_finished(s);
  result.levels.push_back(s);
  return s;
}

// Doubles the load while every SLO holds, then bisects between the last pass and the first miss.
SearchResult search_levels(const BenchConfig& cfg, const Workload& w, LiveCounters& live, const BenchHooks& hooks,
                           BenchResult& result) {
  bool rate = !cfg.levels.empty() && cfg.levels.front().mode == LoadLevel::Mode::rate;
  SearchResult sr;
  sr.mode = rate ? "rate" : "concurrency";
  double start = cfg.levels.empty() ? 1 : cfg.levels.front().value;
  double max = cfg.search_max > 0 ? cfg.search_max : (rate ? 1000 : 1024);
  // A level with more users than requests never has them all in flight (c=32 with -n 20
  // runs as c=20): such probes would repeat the cap's figures under larger labels.
  if (!rate && cfg.run.requests > 0 && static_cast<double>(cfg.run.requests) < max) {
    max = static_cast<double>(cfg.run.requests);
    sr.capped_at = max;
  }
  auto probe = [&](double x) {
    LoadLevel l{rate ? LoadLevel::Mode::rate : LoadLevel::Mode::concurrency, x};
    bool met = run_one(cfg, w, l, live, hooks, result).slos_met;
    sr.probes.emplace_back(x, met);
    return met;
  };
  double lo = 0, hi = 0;
  for (double x = std::min(start, max); !live.stop; x *= 2) {
    x = std::min(x, max);
    if (!probe(x)) {
      hi = x;
      break;
    }
    lo = x;
    if (x >= max) break;
  }
  while (lo > 0 && hi > 0 && !live.stop) {
    double gap = hi - lo;
    if (rate ? gap / lo < 0.1 : gap <= 1) break;
    double mid = rate ? (lo + hi) / 2 : std::floor((lo + hi) / 2);
    (probe(mid) ? lo : hi) = mid;
  }
  sr.found = lo > 0;
  sr.best = lo;
  return sr;
}

}  // namespace

bool unreachable(const Error& e) {
  return e.code == ErrorCode::connect || e.code == ErrorCode::tls || e.code == ErrorCode::timeout;
}

Nanos side_request_timeout(const net::ClientOptions& client, Nanos limit) {
  return std::min({limit, client.read_timeout, client.total_timeout});
}

namespace {

// The client's options with every wait of a side request held to `limit` (or the client's own, if shorter).
net::ClientOptions bounded(net::ClientOptions client, Nanos limit) {
  limit = side_request_timeout(client, limit);
  client.read_timeout = client.total_timeout = limit;
  client.connect_timeout = std::min(client.connect_timeout, limit);
  return client;
}

}  // namespace

Error unreachable_error(const providers::Endpoint& ep, const Error& e, const net::ClientOptions& client) {
  if (e.code != ErrorCode::timeout)
    return Error{e.code, "cannot reach " + ep.base_url + ": " + e.message,
                 "check --url and that the server is running", 0};
  char waited[32];
  std::snprintf(waited, sizeof waited, "%g s", to_seconds(side_request_timeout(client, kModelLookupTimeout)));
  // Without --model the lookup picks the model; with it, the lookup only checks the server
  // before the run. Either way --model would not help: the run would wait on the same server.
  std::string why = ep.model.empty() ? "sent to pick a model as no --model was given"
                                     : "sent to check the server before the run";
  return Error{
      e.code, "cannot reach " + ep.base_url + ": " + e.message,
      std::string("no answer to GET /models within ") + waited + ", " + why +
          ": the server accepts connections but does not answer; check that --url points at the API and "
          "that the server is not stuck or still loading",
      0};
}

Result<std::vector<std::string>> list_models(const providers::Endpoint& ep, net::ClientOptions client,
                                             std::string* server, const std::atomic<bool>* stop) {
  // A server that accepts but never answers must not hold the run for the full --read-timeout.
  client = bounded(client, kModelLookupTimeout);
  // Each API lists its models in its own place and shape: OpenAI and Anthropic
  // {"data":[{"id"}]}, Gemini {"models":[{"name":"models/x"}]}, Ollama /api/tags {"models":[{"name"}]}.
  bool ollama = ep.dialect == api::Dialect::ollama;
  std::string path = ollama ? "tags" : "models";
  auto resp =
      providers::run_side_request([&](providers::ChatClient& cc, net::CancelSignal* cancel) { return cc.get(ep, path, cancel); },
               client, stop);
  if (!resp) return tl::unexpected(resp.error());
  if (server) *server = resp->headers.get("server").value_or("");
  if (resp->status != 200)
    return fail(ErrorCode::http_status, "GET /" + path + " answered HTTP " + std::to_string(resp->status), ep.base_url);
  auto doc = nlohmann::json::parse(resp->body, nullptr, false);
  if (doc.is_discarded()) {
    auto type = resp->headers.get("content-type").value_or("no Content-Type");
    return fail(ErrorCode::malformed, "GET /" + path + " answered " + std::string(type) + ", not JSON: --url may not be the API's base URL (e.g. http://host:8080/v1)",
                ep.base_url);
  }
  std::vector<std::string> ids;
  auto collect = [&](const char* list, const char* key) {
    if (!doc.is_object() || !doc.contains(list) || !doc[list].is_array()) return;
    for (const auto& m : doc[list])
      if (m.is_object() && m.contains(key) && m[key].is_string()) ids.push_back(m[key].get<std::string>());
  };
  collect("data", "id");
  collect("models", "name");
  for (auto& id : ids)
    if (id.starts_with("models/")) id.erase(0, 7);
  return ids;
}

std::optional<double> measure_tokens_per_word(const providers::Endpoint& ep, const Workload& w,
                                              net::ClientOptions client, const std::atomic<bool>* stop) {
  constexpr std::size_t kWords = 200;
  // Optional: a server that does not answer soon only leaves the prompt lengths estimated.
  client = bounded(client, kCalibrationTimeout);
  std::string sample = w.sample_text(kWords);
  providers::Endpoint root = ep;
  root.base_url = providers::server_root(ep.base_url);  // where /tokenize lives
  for (const char* field : {"prompt", "content"}) {  // vLLM/SGLang/sim, then llama.cpp
    nlohmann::json body = {{"model", ep.model}, {field, sample}};
    auto resp = providers::run_side_request(
        [&](providers::ChatClient& cc, net::CancelSignal* cancel) {
          return cc.post_json(root, "tokenize", body.dump(), cancel);
        },
        client, stop);
    if (!resp) return std::nullopt;  // no answer (or stopped): the other shape would get none either
    if (resp->status != 200) continue;
    auto doc = nlohmann::json::parse(resp->body, nullptr, false);
    if (!doc.is_object()) continue;
    double count = 0;
    if (doc.contains("count") && doc["count"].is_number()) count = doc["count"].get<double>();
    else if (doc.contains("tokens") && doc["tokens"].is_array()) count = static_cast<double>(doc["tokens"].size());
    if (count > 0) return count / kWords;
  }
  return std::nullopt;
}

Result<BenchResult> run_bench(BenchConfig cfg, LiveCounters& live, const BenchHooks& hooks) {
  auto workload = cfg.prepared ? Result<Workload>(std::move(*cfg.prepared)) : Workload::create(cfg.workload);
  if (!workload) return tl::unexpected(workload.error());
  BenchResult result;
  result.started_at = iso_now();
  result.command = cfg.command;
  result.endpoint.url = cfg.endpoint.base_url;
  result.endpoint.model = cfg.endpoint.model;
  result.endpoint.dialect = std::string(api::to_string(cfg.endpoint.dialect));
  result.endpoint.api_key_env = cfg.endpoint.api_key_env;
  result.endpoint.simulated = cfg.endpoint.simulated;
  result.endpoint.simulated_profile = cfg.simulated_profile;
  result.run = cfg.run;
  result.slos = cfg.slos;
  // Fail fast when the server cannot be reached at all, instead of timing out request by request.
  std::string server;
  if (cfg.probed_server) {
    server = *cfg.probed_server;  // the caller looked the models up already (to pick one)
  } else if (auto probe = list_models(cfg.endpoint, cfg.run.client, &server, &live.stop);
             !probe && unreachable(probe.error())) {
    return tl::unexpected(unreachable_error(cfg.endpoint, probe.error(), cfg.run.client));
  }
  // Ctrl-C before the first level: nothing was measured, so there is nothing to keep.
  auto stopped = [] {
    return fail(ErrorCode::cancelled, "interrupted before the run started: nothing was measured");
  };
  if (live.stop) return stopped();
  // An llmux sim given by URL says what it is in its Server header: its figures are labelled simulated too.
  if (!result.endpoint.simulated && server.starts_with(api::kSimServerName)) {
    result.endpoint.simulated = true;
    result.endpoint.simulated_profile = server + " at " + cfg.endpoint.base_url;
  }
  if (cfg.calibrate && cfg.workload.prompts_jsonl.empty() && cfg.workload.sharegpt_json.empty()) {
    if (auto tpw = measure_tokens_per_word(cfg.endpoint, *workload, cfg.run.client, &live.stop)) {
      workload->calibrate(*tpw);
      if (hooks.info) hooks.info("calibrated prompts with the server's tokenizer: " + std::to_string(*tpw).substr(0, 5) + " tokens per word");
    }
    if (live.stop) return stopped();
  }
  result.tokens_per_word = workload->tokens_per_word();
  result.input_calibrated = workload->calibrated() || !cfg.workload.prompts_jsonl.empty() || !cfg.workload.sharegpt_json.empty();
  result.workload = workload->describe();
  if (cfg.search) {
    result.search = search_levels(cfg, *workload, live, hooks, result);
  } else {
    for (const auto& level : cfg.levels) {
      if (live.stop) break;
      run_one(cfg, *workload, level, live, hooks, result);
    }
  }
  add_derived_notes(result);
  return result;
}

}  // namespace llmux::bench
