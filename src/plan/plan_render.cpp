// Terminal and Markdown renderings of the plan's sections, and the engine
// command line for its primary option.
#include "plan/plan_render.hpp"

#include <algorithm>
#include <cstdio>

#include "core/text.hpp"

namespace llmux::plan {

namespace {

// Display width of UTF-8 text (counts code points; our tables hold no wide glyphs).
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, std::size_t w, bool right) {
  std::string fill(w > width(s) ? w - width(s) : 0, ' ');
  return right ? fill + s : s + fill;
}

void text_table(const Section& s, std::string& out) {
  std::vector<std::size_t> w(s.header.size(), 0);
  for (std::size_t i = 0; i < s.header.size(); ++i) w[i] = width(s.header[i]);
  for (const auto& r : s.rows)
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l = " ";
    for (std::size_t i = 0; i < cells.size() && i < w.size(); ++i) l += " " + pad(cells[i], w[i], i > 0);
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(s.header);
  for (const auto& r : s.rows) line(r);
}

void md_escape_into(const std::string& s, std::string& out) {
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out += c;
  }
}

void md_table(const Section& s, std::string& out) {
  auto row = [&](const std::vector<std::string>& cells) {
    out += "|";
    for (const auto& c : cells) {
      out += " ";
      md_escape_into(c.empty() ? " " : c, out);
      out += " |";
    }
    out += "\n";
  };
  row(s.header);
  out += "|";
  for (std::size_t i = 0; i < s.header.size(); ++i) out += i == 0 ? "---|" : "---:|";
  out += "\n";
  for (const auto& r : s.rows) row(r);
}

std::string llama_cpp_command(const PlanResult& p) {
  const auto& m = p.chosen().config.memory;
  bool from_file = p.model_origin.rfind("gguf ", 0) == 0;
  std::string base = p.model.id.substr(p.model.id.find_last_of('/') + 1);  // a Hub id "org/name" -> name
  std::string file = from_file ? p.model_origin.substr(5) : base + "-" + p.chosen().config.quant.name + ".gguf";
  std::string cmd = "llama-server -m " + file + " -c " +
                    std::to_string(p.ctx * p.concurrency) + " -np " + std::to_string(p.concurrency) + " -ngl " +
                    std::to_string(p.device->kind == catalog::DeviceKind::cpu ? 0 : m.offloaded ? m.gpu_layers : 999);
  if (p.flash_attention) cmd += " -fa on";
  if (p.kv.name != "f16") cmd += " -ctk " + p.kv.name + " -ctv " + p.kv.name;
  if (p.gpus > 1) {
    std::string split;
    for (int i = 0; i < p.gpus; ++i) split += i ? ",1" : "1";
    cmd += " --split-mode layer --tensor-split " + split;
  }
  return cmd;
}

std::string ollama_command(const PlanResult& p) {
  std::string env = "OLLAMA_NUM_PARALLEL=" + std::to_string(p.concurrency) + " OLLAMA_CONTEXT_LENGTH=" + std::to_string(p.ctx);
  if (p.flash_attention) env += " OLLAMA_FLASH_ATTENTION=1";
  if (p.kv.name != "f16") env += " OLLAMA_KV_CACHE_TYPE=" + p.kv.name;
  return env + " ollama serve";
}

std::string vllm_command(const PlanResult& p) {
  std::string repo = p.model.hf_repo.empty() ? p.model.id : p.model.hf_repo;
  std::string cmd = "vllm serve " + repo + " --max-model-len " + std::to_string(p.ctx) + " --tensor-parallel-size " +
                    std::to_string(p.gpus) + " --max-num-seqs " + std::to_string(std::max(p.concurrency, 1));
  const std::string& q = p.chosen().config.quant.name;
  if (q == "FP8") cmd += " --quantization fp8";
  if (p.kv.name == "fp8") cmd += " --kv-cache-dtype fp8";
  if (q == "AWQ" || q == "GPTQ" || q == "INT8") cmd += "   # use a pre-quantized " + q + " checkpoint";
  return cmd;
}

}  // namespace

Result<OutputFormat> parse_output_format(std::string_view s) {
  std::string l = to_lower(s);
  if (l == "text" || l == "table") return OutputFormat::text;
  if (l == "json") return OutputFormat::json;
  if (l == "markdown" || l == "md") return OutputFormat::markdown;
  return fail(ErrorCode::usage, "unknown format '" + std::string(s) + "'", "use --format text, json or markdown");
}

std::string engine_command(const PlanResult& p) {
  switch (p.engine) {
    case Engine::llama_cpp: return llama_cpp_command(p);
    case Engine::ollama: return ollama_command(p);
    case Engine::vllm: return vllm_command(p);
  }
  return {};
}

std::string render_text(const PlanResult& p) {
  std::string out;
  auto sections = plan_sections(p);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const auto& s = sections[i];
    out += i == 0 ? s.title + "\n" : "\n" + s.title + "\n";
    if (!s.header.empty()) text_table(s, out);
    for (const auto& l : s.lines) out += (s.bullets ? "  - " : "  ") + l + "\n";
  }
  return out;
}

std::string render_markdown(const PlanResult& p) {
  std::string out;
  auto sections = plan_sections(p);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const auto& s = sections[i];
    out += (i == 0 ? "# " : "\n## ") + s.title + "\n\n";
    if (!s.header.empty()) {
      md_table(s, out);
      if (!s.lines.empty()) out += "\n";
    }
    for (const auto& l : s.lines) {
      out += s.bullets ? "- " : "";
      md_escape_into(l, out);
      out += s.bullets ? "\n" : "  \n";
    }
  }
  return out;
}

std::string render(const PlanResult& p, OutputFormat f) {
  switch (f) {
    case OutputFormat::text: return render_text(p);
    case OutputFormat::markdown: return render_markdown(p);
    case OutputFormat::json: return render_json(p);
  }
  return {};
}

}  // namespace llmux::plan
