#include "sim/faults.hpp"

#include "core/text.hpp"

namespace llmux::sim {

FaultPlan draw_faults(const FaultOptions& o, TextGenerator& rng, std::int64_t output_tokens) {
  FaultPlan p;
  p.retry_after_s = o.retry_after_s;
  if (o.error_rate > 0 && rng.next_unit() < o.error_rate) {
    p.status = o.error_statuses[rng.next_u64() % o.error_statuses.size()];
    return p;
  }
  if (o.rate_limit_rate > 0 && rng.next_unit() < o.rate_limit_rate) {
    p.rate_limited = true;
    return p;
  }
  if (o.cut_rate > 0 && rng.next_unit() < o.cut_rate) p.cut_after = o.cut_after_tokens;
  if (o.stall_rate > 0 && rng.next_unit() < o.stall_rate) {
    p.stall = o.stall;
    p.stall_after = o.stall_after_tokens;
  }
  if (o.malformed_rate > 0 && rng.next_unit() < o.malformed_rate)
    p.malformed_at = static_cast<int>(rng.next_u64() % static_cast<std::uint64_t>(std::max<std::int64_t>(1, output_tokens)));
  p.slow_headers = o.slow_headers;
  return p;
}

Result<FaultPlan> parse_fault_header(std::string_view value) {
  FaultPlan p;
  for (auto item : split(value, ';')) {
    item = trim(item);
    if (item.empty()) continue;
    auto eq = item.find('=');
    std::string key = to_lower(trim(item.substr(0, eq)));
    std::string_view arg = eq == std::string_view::npos ? std::string_view{} : trim(item.substr(eq + 1));
    auto need_int = [&]() -> Result<std::int64_t> { return parse_int(arg); };
    auto need_dur = [&]() -> Result<std::int64_t> { return parse_duration_ns(arg, "ms"); };
    if (key == "status") {
      auto v = need_int();
      if (!v || *v < 400 || *v > 599) return fail(ErrorCode::parse, "x-llmux-fault status must be 400-599");
      p.status = static_cast<int>(*v);
    } else if (key == "rate-limit") {
      p.rate_limited = true;
    } else if (key == "retry-after") {
      auto v = need_int();
      if (!v || *v < 0) return fail(ErrorCode::parse, "x-llmux-fault retry-after must be seconds");
      p.retry_after_s = static_cast<int>(*v);
    } else if (key == "cut-after") {
      auto v = need_int();
      if (!v || *v < 0) return fail(ErrorCode::parse, "x-llmux-fault cut-after must be a token count");
      p.cut_after = static_cast<int>(*v);
    } else if (key == "stall") {
      auto v = need_dur();
      if (!v) return fail(ErrorCode::parse, "x-llmux-fault stall must be a duration");
      p.stall = *v;
    } else if (key == "stall-after") {
      auto v = need_int();
      if (!v || *v < 0) return fail(ErrorCode::parse, "x-llmux-fault stall-after must be a token count");
      p.stall_after = static_cast<int>(*v);
    } else if (key == "slow-headers") {
      auto v = need_dur();
      if (!v) return fail(ErrorCode::parse, "x-llmux-fault slow-headers must be a duration");
      p.slow_headers = *v;
    } else if (key == "malformed" || key == "malformed-at") {
      auto v = arg.empty() ? Result<std::int64_t>(0) : need_int();
      if (!v || *v < 0) return fail(ErrorCode::parse, "x-llmux-fault malformed-at must be a token index");
      p.malformed_at = static_cast<int>(*v);
    } else {
      return fail(ErrorCode::parse, "unknown x-llmux-fault '" + key + "'",
                  "use status=, rate-limit, retry-after=, cut-after=, stall=, stall-after=, slow-headers=, malformed");
    }
  }
  return p;
}

}  // namespace llmux::sim
