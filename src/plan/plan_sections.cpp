// The plan as sections of tables and sentences, shared by the terminal and
// Markdown renderers so both say the same thing.
#include <cmath>
#include <cstdio>

#include "core/text.hpp"
#include "plan/format.hpp"
#include "plan/plan_render.hpp"

namespace llmux::plan {

namespace {


std::string short_label(const DeviceUsage& d) {
  auto pos = d.label.find(" (");
  return pos == std::string::npos ? d.label : d.label.substr(0, pos);
}

Section header_section(const PlanResult& p) {
  Section s;
  const auto& o = p.chosen();
  s.title = "llmux plan: " + p.model.name + " (" + p.model.id + ") on " + std::to_string(p.gpus) + " x " + p.device->name;
  s.lines.push_back("engine " + std::string(to_string(p.engine)) + ", weights " + o.config.quant.name + " (" +
                    gib_text(o.config.weights.file_bytes()) + fmt(", %.2f bits/weight", o.config.weights.bits_per_weight()) + ")");
  s.lines.push_back("context " + thousands(p.ctx) + " tokens x " + std::to_string(p.concurrency) + " concurrent, KV cache " +
                    p.kv.name + ", flash attention " + (p.flash_attention ? "on" : "off"));
  s.lines.push_back("workload: " + describe(p.workload));
  if (!p.detected.empty()) s.lines.push_back("detected: " + p.detected);
  for (const auto& w : p.warnings) s.lines.push_back("warning: " + w);
  if (!p.model_origin.empty() && p.model_origin != "catalog") s.lines.push_back("model read from " + p.model_origin);
  return s;
}

Section quant_table(const PlanResult& p) {
  Section s;
  s.title = "Quantizations";
  s.header = {"quant", "size", "fit", "GPU layers", "decode/user", "TTFT", "$/1M tokens"};
  for (std::size_t i = 0; i < p.options.size(); ++i) {
    const auto& o = p.options[i];
    bool fits = o.config.memory.fits;
    s.rows.push_back({o.config.quant.name + (i == p.primary ? " *" : ""), gib_text(o.config.weights.file_bytes()), o.verdict,
                      fits ? std::to_string(o.config.memory.gpu_layers) + "/" + std::to_string(o.config.memory.layers) : "-",
                      fits ? tps_text(o.speed.user_tps) : "-", fits ? seconds_text(o.speed.ttft_s) : "-",
                      fits ? money(o.cost.per_million) + (o.cost.keeps_up ? "" : " (cap)") : "-"});
  }
  s.lines.push_back("* the option the rest of this plan describes: " + p.primary_reason +
                    " (--quant picks another); (cap): cannot serve the whole workload, cost at capacity");
  return s;
}

Section memory_section(const PlanResult& p) {
  const auto& m = p.chosen().config.memory;
  Section s;
  s.title = "Memory (" + p.chosen().config.quant.name + ")";
  s.header = {""};
  for (const auto& d : m.devices) s.header.push_back(short_label(d));
  auto row = [&](const char* name, auto get) {
    std::vector<std::string> r{name};
    for (const auto& d : m.devices) r.push_back(get(d));
    s.rows.push_back(r);
  };
  row("layers", [](const DeviceUsage& d) { return std::to_string(d.layers); });
  row("weights", [](const DeviceUsage& d) { return gib_text(d.weights); });
  row("KV cache", [](const DeviceUsage& d) { return gib_text(d.kv); });
  row("compute buffers", [](const DeviceUsage& d) { return gib_text(d.compute); });
  row("runtime overhead", [](const DeviceUsage& d) { return gib_text(d.overhead); });
  row("total", [](const DeviceUsage& d) { return gib_text(d.used()); });
  row("free", [](const DeviceUsage& d) { return gib_text(d.free); });
  row("fits", [](const DeviceUsage& d) { return std::string(d.fits() ? "yes" : "NO"); });
  return s;
}

void memory_lines(const PlanResult& p, Section& s) {
  const auto& m = p.chosen().config.memory;
  if (m.fits && p.engine == Engine::vllm)
    s.lines.push_back("verdict: fits; vLLM fills the " + gib_text(m.headroom) + " the weights leave (of its 90% share) with KV cache");
  else if (m.fits && !m.offloaded) s.lines.push_back("verdict: fits, " + gib_text(m.headroom) + " to spare on the fullest device");
  else if (m.fits && m.layers_given)
    s.lines.push_back("verdict: runs with " + std::to_string(m.gpu_layers) + " of " + std::to_string(m.layers) +
                      " layers on the GPU" + (p.gpus > 1 ? "s" : "") + " (partial offload, as --gpu-layers asks); the rest run on the CPU" +
                      (m.gpu_shortfall > 0 ? "" : "; all of them would fit on the GPU, leave --gpu-layers out for full speed"));
  else if (m.fits)
    s.lines.push_back("verdict: does not fit on the GPU" + std::string(p.gpus > 1 ? "s" : "") + " (short by " + gib_text(m.gpu_shortfall) +
                      "); fits with CPU offload: " + std::to_string(m.gpu_layers) + " of " + std::to_string(m.layers) + " layers on GPU");
  else s.lines.push_back("verdict: does not fit (short by " + gib_text(std::max(m.gpu_shortfall, -m.headroom)) + ")");
  // Sliding-window layers keep only their window: per token of context, the cache
  // then costs less than every layer's full figure (Gemma 3: 496 KiB full, ~80 KiB
  // on average at 131,072 tokens).
  double kv_total = 0;
  for (const auto& d : m.devices) kv_total += d.kv;
  double per_token = m.kv_tokens > 0 ? kv_total / m.kv_tokens : 0;
  std::string per = per_token > 0 && per_token < 0.95 * m.kv_bytes_per_token
                        ? fmt("%.0f KiB per token on average", per_token / 1024) +
                              fmt(" (%.0f KiB if every layer kept every token; sliding-window layers keep only their window)",
                                  m.kv_bytes_per_token / 1024)
                        : fmt("%.0f KiB per token", m.kv_bytes_per_token / 1024);
  s.lines.push_back("KV cache: " + per + ", " + thousands(m.kv_tokens) + " tokens held" +
                    (p.engine == Engine::vllm ? fmt(m.max_sequences == 1 ? " (room for %.0f request of your length)"
                                                                           : " (room for %.0f requests of your length)",
                                                     m.max_sequences)
                                               : ""));
  for (const auto& n : m.notes) s.lines.push_back(n);
  if (m.fits) s.lines.push_back("start it with: " + engine_command(p));
  else s.lines.push_back("no start command: this setup cannot run here (see Alternatives)");
}

Section speed_section(const PlanResult& p) {
  const auto& sp = p.chosen().speed;
  Section s;
  s.title = "Speed";
  s.header = {"", "estimate", "range"};
  s.rows.push_back({"time to first token (" + thousands(p.workload.input_tokens) + "-token prompt)", seconds_text(sp.ttft_s),
                    seconds_text(sp.ttft_lo) + " - " + seconds_text(sp.ttft_hi)});
  s.rows.push_back({"prefill", tps_text(sp.prefill_tps), ""});
  s.rows.push_back({"decode per user at " + std::to_string(p.concurrency) + " concurrent", tps_text(sp.user_tps),
                    tps_text(sp.user_lo) + " - " + tps_text(sp.user_hi)});
  s.rows.push_back({"output total at " + std::to_string(p.concurrency) + " concurrent", tps_text(sp.total_tps),
                    tps_text(sp.total_lo) + " - " + tps_text(sp.total_hi)});
  s.rows.push_back({"decode, one user alone", tps_text(sp.single_tps), ""});
  s.rows.push_back({"capacity", thousands(sp.capacity_rps * 86400) + " requests/day", ""});
  if (!p.chosen().config.memory.fits) s.lines.push_back("(hypothetical: the model does not fit this hardware)");
  s.lines.push_back(fmt("error band +/-%.0f%% decode, ", 100 * sp.band_decode) + fmt("+/-%.0f%% prefill: ", 100 * sp.band_prefill) + p.efficiency.basis);
  if (p.calibration)
    s.lines.push_back(fmt("calibrated with your bench results: decode x%.2f, ", p.calibration->decode_scale) +
                      fmt("prefill x%.2f", p.calibration->prefill_scale) + " (" + p.calibration->source + ")");
  return s;
}

}  // namespace

std::vector<Section> plan_sections(const PlanResult& p);

namespace detail {
std::vector<Section> cost_and_advice_sections(const PlanResult& p);
}

std::vector<Section> plan_sections(const PlanResult& p) {
  std::vector<Section> out{header_section(p)};
  if (p.quant_table) out.push_back(quant_table(p));
  Section mem = memory_section(p);
  memory_lines(p, mem);
  out.push_back(mem);
  out.push_back(speed_section(p));
  for (auto& s : detail::cost_and_advice_sections(p)) out.push_back(std::move(s));
  return out;
}

}  // namespace llmux::plan
