// [[device]] entries -> DeviceSpec.
#include "catalog/catalog.hpp"
#include "catalog/toml_records.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

std::string_view to_string(DeviceKind k) {
  switch (k) {
    case DeviceKind::gpu: return "gpu";
    case DeviceKind::unified: return "unified";
    case DeviceKind::cpu: return "cpu";
  }
  return "gpu";
}

namespace {

Result<DeviceKind> parse_kind(const std::string& s, const std::string& where) {
  if (s == "gpu") return DeviceKind::gpu;
  if (s == "unified") return DeviceKind::unified;
  if (s == "cpu") return DeviceKind::cpu;
  return fail(ErrorCode::config, "kind '" + s + "' must be gpu, unified or cpu", where);
}

Result<void> read_throughput(FieldReader& f, DeviceSpec& d) {
  LLMUX_TRY_ASSIGN(d.memory_gib, f.number("memory_gib"));
  LLMUX_TRY_ASSIGN(d.bandwidth_gbs, f.number("bandwidth_gbs"));
  LLMUX_TRY_ASSIGN(d.fp16_tflops, f.number("fp16_tflops"));
  LLMUX_TRY_ASSIGN(d.bf16_tflops, f.number_or("bf16_tflops", 0));
  LLMUX_TRY_ASSIGN(d.fp8_tflops, f.number_or("fp8_tflops", 0));
  LLMUX_TRY_ASSIGN(d.int8_tops, f.number_or("int8_tops", 0));
  LLMUX_TRY_ASSIGN(d.power_watts, f.number("power_watts"));
  LLMUX_TRY_ASSIGN(d.price_usd, f.number("price_usd"));
  LLMUX_TRY_ASSIGN(d.interconnect_gbs, f.number_or("interconnect_gbs", 0));
  LLMUX_TRY_ASSIGN(d.usable_fraction, f.number_or("usable_fraction", 0));
  double threads = 0;
  LLMUX_TRY_ASSIGN(threads, f.number_or("threads", 0));
  d.threads = static_cast<int>(threads);
  return {};
}

}  // namespace

Result<DeviceSpec> device_from_record(const Record& r) {
  FieldReader f(r);
  DeviceSpec d;
  LLMUX_TRY_ASSIGN(d.id, f.text("id"));
  d.name = f.text_or("name", d.id);
  LLMUX_TRY_ASSIGN(d.vendor, f.text("vendor"));
  std::string kind;
  LLMUX_TRY_ASSIGN(kind, f.text("kind"));
  LLMUX_TRY_ASSIGN(d.kind, parse_kind(kind, r.where()));
  LLMUX_TRY_ASSIGN(d.backend, f.text("backend"));
  d.segment = f.text_or("segment", "");
  LLMUX_TRY_VOID(read_throughput(f, d));
  d.released = f.text_or("released", "");
  LLMUX_TRY_ASSIGN(d.source, f.text("source"));
  LLMUX_TRY_ASSIGN(d.date, f.text("date"));
  LLMUX_TRY_ASSIGN(d.aliases, f.strings_or("aliases"));
  LLMUX_TRY_ASSIGN(d.detect_names, f.strings_or("detect_names"));
  LLMUX_TRY_VOID(f.finish());
  if (d.memory_gib <= 0 || d.bandwidth_gbs <= 0 || d.fp16_tflops <= 0)
    return fail(ErrorCode::config, "device '" + d.id + "': memory_gib, bandwidth_gbs and fp16_tflops must be > 0",
                r.where());
  if (d.usable_fraction > 1)
    return fail(ErrorCode::config, "device '" + d.id + "': usable_fraction must be at most 1", r.where());
  return d;
}

}  // namespace llmux::catalog
