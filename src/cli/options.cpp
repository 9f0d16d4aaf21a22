#include "cli/options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>

namespace llmux::cli {

std::string check_port(std::string& text) {
  int port = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec == std::errc{} && end == text.data() + text.size() && port >= 0 && port <= 65535) return {};
  return "must be a port number from 0 to 65535 (0 picks a free one), not '" + text + "'";
}

void add_timing_flags(CLI::App& cmd, SimTimingFlags& f) {
  cmd.add_option("--profile", f.profile, "timing profile: fixed or batch (continuous batching)")
      ->check(CLI::IsMember({"fixed", "batch"}))
      ->capture_default_str();
  cmd.add_option("--ttft", f.ttft, "fixed: time to first token")->capture_default_str();
  cmd.add_option("--itl", f.itl, "fixed: inter-token latency")->capture_default_str();
  cmd.add_option("--jitter", f.jitter, "fixed: relative jitter of each gap, in [0, 1)")->capture_default_str();
  cmd.add_option("--tokens-per-chunk", f.tokens_per_chunk, "fixed: tokens per streamed chunk")->capture_default_str();
  cmd.add_option("--spin", f.spin,
                 "the longest the sim polls before a token (or a batch step) is due instead of sleeping (it learns how "
                 "early this machine needs to wake; precise timing for some CPU; 0 sleeps until due)")
      ->capture_default_str();
  cmd.add_option("--max-batch", f.max_batch, "batch: sequences decoded together")->capture_default_str();
  cmd.add_option("--max-queue", f.max_queue, "batch: waiting requests before 503")->capture_default_str();
  cmd.add_option("--prefill-per-token", f.prefill_per_token, "batch: prefill time per prompt token")->capture_default_str();
  cmd.add_option("--decode-base", f.decode_base, "batch: decode step time at batch size 1")->capture_default_str();
  cmd.add_option("--decode-per-seq", f.decode_per_seq, "batch: added step time per running sequence")->capture_default_str();
  cmd.add_option("--kv-tokens", f.kv_tokens, "batch: KV-cache capacity in tokens (0 = unlimited)")->capture_default_str();
}

Result<void> apply_timing(const SimTimingFlags& f, sim::SimOptions& o) {
  auto dur = [](const std::string& text, const char* flag) -> Result<Nanos> {
    auto v = parse_duration_ns(text, "ms");
    if (!v) return fail(ErrorCode::usage, v.error().message, flag);
    return *v;
  };
  o.profile = f.profile == "batch" ? sim::ProfileKind::batch : sim::ProfileKind::fixed;
  auto ttft = dur(f.ttft, "--ttft");
  auto itl = dur(f.itl, "--itl");
  auto pre = dur(f.prefill_per_token, "--prefill-per-token");
  auto base = dur(f.decode_base, "--decode-base");
  auto per = dur(f.decode_per_seq, "--decode-per-seq");
  auto spin = dur(f.spin, "--spin");
  for (auto* r : {&ttft, &itl, &pre, &base, &per, &spin})
    if (!*r) return tl::unexpected(r->error());
  o.fixed.ttft = *ttft;
  o.fixed.itl = *itl;
  o.fixed.jitter = f.jitter;
  o.fixed.tokens_per_chunk = f.tokens_per_chunk;
  o.spin = *spin;
  o.batch.max_batch = f.max_batch;
  o.batch.max_queue = f.max_queue;
  o.batch.prefill_per_token = *pre;
  o.batch.decode_base = *base;
  o.batch.decode_per_seq = *per;
  o.batch.kv_tokens = f.kv_tokens;
  if (o.profile == sim::ProfileKind::fixed) {
    o.description = "fixed profile: TTFT " + f.ttft + ", ITL " + f.itl +
                    (f.jitter > 0 ? ", jitter " + std::to_string(f.jitter).substr(0, 4) : "") +
                    (f.tokens_per_chunk > 1 ? ", " + std::to_string(f.tokens_per_chunk) + " tokens per chunk" : "");
  } else {
    o.description = "batch profile: max batch " + std::to_string(f.max_batch) + ", prefill " + f.prefill_per_token +
                    "/token, decode step " + f.decode_base + " + " + f.decode_per_seq + " per sequence";
  }
  return sim::validate(o);
}

}  // namespace llmux::cli
