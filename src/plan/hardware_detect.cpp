#include "plan/hardware_detect.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/text.hpp"

namespace llmux::plan {

namespace {

std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> out;
  for (auto f : split(line, ',')) out.emplace_back(trim(f));
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  for (auto l : split(text, '\n')) {
    auto t = trim(l);
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

int column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (const char* n : names)
    for (std::size_t i = 0; i < header.size(); ++i)
      if (to_lower(header[i]).find(n) != std::string::npos) return static_cast<int>(i);
  return -1;
}

std::string read_text(const char* path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool on_path(const std::string& tool) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  for (auto dir : split(path, ':')) {
    std::string p = std::string(dir) + "/" + tool;
    if (!dir.empty() && access(p.c_str(), X_OK) == 0) return true;
  }
  return false;
}

// Runs a fixed command line (no user input in it) and returns its stdout.
std::string run_tool(const char* command) {
  std::string out;
  FILE* f = popen(command, "r");
  if (!f) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0 && out.size() < (1u << 20)) out.append(buf, n);
  pclose(f);
  return out;
}

std::string fmt_gib(double mib) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", mib / 1024.0);
  return buf;
}

Result<Detection> from_gpus(const catalog::Catalog& c, Detection d) {
  const DetectedGpu& first = d.gpus.front();
  d.device = match_device(c, first.name);
  d.count = static_cast<int>(d.gpus.size());
  if (!d.device) {
    return fail(ErrorCode::not_found, d.source + " reports '" + first.name + "', which is not in the device catalog" +
                                          did_you_mean(to_lower(first.name), c.device_ids()),
                "name the closest catalog GPU with --gpu ID (and --memory-gib " + std::to_string(static_cast<int>(first.total_mib / 1024)) + ")");
  }
  d.memory_gib = first.total_mib / 1024.0;
  double used = 0;
  for (const auto& g : d.gpus)
    if (g.free_mib > 0) used = std::max(used, g.total_mib - g.free_mib);
  if (used > 0) d.reserve_gib = used / 1024.0;
  d.summary = d.source + ": " + std::to_string(d.count) + " x " + first.name + " (" + fmt_gib(first.total_mib) +
              (first.free_mib > 0 ? ", " + fmt_gib(first.free_mib) + " free" : "") + ") -> " + d.device->id;
  return d;
}

// A CPU with fewer threads than its catalog entry (a small VM, a smaller part
// of the family) computes proportionally less; memory bandwidth is not scaled
// (a few threads may not reach it either), and the summary says so.
std::string scale_to_threads(Detection& d) {
  int entry = d.device->threads, found = d.cpu.threads;
  char bw[48];
  std::snprintf(bw, sizeof bw, "%.1f GB/s", d.device->bandwidth_gbs);
  if (entry <= 0 || found <= 0 || found >= entry) return std::string("; its compute and memory bandwidth (") + bw + ") are assumed";
  d.compute_share = static_cast<double>(found) / entry;
  return "; compute scaled to " + std::to_string(found) + " of its " + std::to_string(entry) + " threads, memory bandwidth (" + bw +
         ") assumed";
}

Result<Detection> from_cpu(const catalog::Catalog& c, Detection d) {
  d.source = "/proc";
  d.device = match_device(c, d.cpu.model);
  std::string mapped = d.device ? d.device->id : "desktop-ddr5";
  if (!d.device) {
    auto fallback = c.device("desktop-ddr5");
    if (!fallback) return fail(ErrorCode::not_found, "no GPU found and the catalog has no CPU entry to fall back on");
    d.device = *fallback;
    mapped += " (closest CPU entry)";
  }
  d.memory_gib = d.cpu.ram_gib;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f GiB RAM", d.cpu.ram_gib);
  d.summary = "no GPU found (no nvidia-smi or rocm-smi); CPU: " + (d.cpu.model.empty() ? std::string("unknown") : d.cpu.model) +
              ", " + std::to_string(d.cpu.threads) + " threads, " + buf + " -> " + mapped + scale_to_threads(d);
  return d;
}

}  // namespace

std::vector<DetectedGpu> parse_nvidia_smi_csv(std::string_view text) {
  std::vector<DetectedGpu> out;
  for (auto line : lines_of(text)) {
    auto f = csv_fields(line);
    if (f.size() < 2 || to_lower(f[0]) == "name") continue;
    auto total = parse_double(f[1]);
    if (!total || *total <= 0) continue;
    DetectedGpu g{f[0], *total, 0};
    if (f.size() >= 3)
      if (auto free = parse_double(f[2]); free && *free >= 0 && *free <= *total) g.free_mib = *free;
    out.push_back(g);
  }
  return out;
}

std::vector<DetectedGpu> parse_rocm_smi_csv(std::string_view text) {
  std::vector<DetectedGpu> out;
  auto lines = lines_of(text);
  if (lines.empty()) return out;
  auto header = csv_fields(lines[0]);
  int name = column(header, {"card series", "marketing name", "card model"});
  int total = column(header, {"vram total memory"});
  int used = column(header, {"vram total used memory"});
  if (name < 0 || total < 0) return out;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto f = csv_fields(lines[i]);
    if (static_cast<int>(f.size()) <= std::max(name, total)) continue;
    auto bytes = parse_double(f[static_cast<std::size_t>(total)]);
    if (!bytes || *bytes <= 0) continue;
    DetectedGpu g{f[static_cast<std::size_t>(name)], *bytes / (1024.0 * 1024.0), 0};
    if (used >= 0 && used < static_cast<int>(f.size()))
      if (auto u = parse_double(f[static_cast<std::size_t>(used)]); u && *u <= *bytes) g.free_mib = (*bytes - *u) / (1024.0 * 1024.0);
    out.push_back(g);
  }
  return out;
}

CpuInfo parse_proc(std::string_view cpuinfo, std::string_view meminfo) {
  CpuInfo c;
  for (auto line : lines_of(cpuinfo)) {
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto key = trim(line.substr(0, colon));
    if (key == "processor") ++c.threads;
    if (key == "model name" && c.model.empty()) c.model = std::string(trim(line.substr(colon + 1)));
  }
  for (auto line : lines_of(meminfo)) {
    if (line.rfind("MemTotal:", 0) != 0) continue;
    auto rest = trim(line.substr(9));
    auto kb = parse_double(rest.substr(0, rest.find(' ')));
    if (kb) c.ram_gib = *kb / (1024.0 * 1024.0);
  }
  return c;
}

const catalog::DeviceSpec* match_device(const catalog::Catalog& c, std::string_view reported) {
  std::string r = to_lower(reported);
  const catalog::DeviceSpec* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& d : c.devices) {
    for (const auto& n : d.detect_names) {
      std::string l = to_lower(n);
      if (l.size() > best_len && r.find(l) != std::string::npos) best = &d, best_len = l.size();
    }
  }
  return best;
}

Result<Detection> detect_from(const catalog::Catalog& c, std::string_view nvidia_smi, std::string_view rocm_smi,
                              const CpuInfo& cpu) {
  Detection d;
  d.cpu = cpu;
  if (auto g = parse_nvidia_smi_csv(nvidia_smi); !g.empty()) {
    d.source = "nvidia-smi";
    d.gpus = std::move(g);
    return from_gpus(c, std::move(d));
  }
  if (auto g = parse_rocm_smi_csv(rocm_smi); !g.empty()) {
    d.source = "rocm-smi";
    d.gpus = std::move(g);
    return from_gpus(c, std::move(d));
  }
  return from_cpu(c, std::move(d));
}

Result<Detection> detect_hardware(const catalog::Catalog& c) {
  std::string nv, rocm;
  if (on_path("nvidia-smi"))
    nv = run_tool("nvidia-smi --query-gpu=name,memory.total,memory.free --format=csv,noheader,nounits 2>/dev/null");
  if (nv.empty() && on_path("rocm-smi")) rocm = run_tool("rocm-smi --showproductname --showmeminfo vram --csv 2>/dev/null");
  CpuInfo cpu = parse_proc(read_text("/proc/cpuinfo"), read_text("/proc/meminfo"));
  return detect_from(c, nv, rocm, cpu);
}

}  // namespace llmux::plan
