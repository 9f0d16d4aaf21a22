// Micro-benchmarks of the hot client path: SSE framing and OpenAI chunk decoding,
// in process (no sockets). Figures: bytes/s and chunks/s on one core.
#include <benchmark/benchmark.h>

#include "api/openai_codec.hpp"
#include "net/sse_parser.hpp"

namespace {

std::string openai_stream(int chunks) {
  std::string s;
  for (int i = 0; i < chunks; ++i)
    s += "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
         "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"finish_reason\":null}]}\n\n";
  s += "data: [DONE]\n\n";
  return s;
}

void BM_SseParse(benchmark::State& state) {
  std::string body = openai_stream(1000);
  for (auto _ : state) {
    llmux::net::SseParser p;
    std::size_t n = 0;
    (void)p.feed(body, [&](const llmux::net::SseEvent&) { ++n; });
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(state.iterations() * 1001);
}
BENCHMARK(BM_SseParse);

void BM_OpenAiStreamDecode(benchmark::State& state) {
  std::string body = openai_stream(1000);
  std::vector<llmux::api::StreamEvent> events;
  for (auto _ : state) {
    auto dec = llmux::api::openai::make_stream_decoder(llmux::api::EndpointKind::chat);
    events.clear();
    (void)dec->feed(body, events);
    benchmark::DoNotOptimize(events.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_OpenAiStreamDecode);

void BM_OpenAiStreamEncode(benchmark::State& state) {
  llmux::api::ChatRequest req;
  req.model = "m";
  req.stream = true;
  auto enc = llmux::api::openai::make_stream_encoder(req, {"chatcmpl-1", "m", 1}, false);
  std::string out;
  auto ev = llmux::api::StreamEvent::content(" token", 1);
  for (auto _ : state) {
    out.clear();
    for (int i = 0; i < 100; ++i) enc->encode(ev, out);
    benchmark::DoNotOptimize(out.size());
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_OpenAiStreamEncode);

}  // namespace

BENCHMARK_MAIN();
