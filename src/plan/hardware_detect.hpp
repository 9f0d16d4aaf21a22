#pragma once
// `--gpu auto`: what hardware is here. Reads nvidia-smi or rocm-smi output
// when those tools exist (they are run only if found on PATH), else the CPU
// and RAM from /proc. The parsers are pure functions of the tools' text so
// tests feed them recorded output.
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/error.hpp"

namespace llmux::plan {

struct DetectedGpu {
  std::string name;        // as the tool reports it
  double total_mib = 0;
  double free_mib = 0;     // 0 when unknown
};

struct CpuInfo {
  std::string model;
  int threads = 0;
  double ram_gib = 0;
};

// `nvidia-smi --query-gpu=name,memory.total,memory.free --format=csv,noheader,nounits`
std::vector<DetectedGpu> parse_nvidia_smi_csv(std::string_view text);
// `rocm-smi --showproductname --showmeminfo vram --csv` (columns found by header)
std::vector<DetectedGpu> parse_rocm_smi_csv(std::string_view text);
// /proc/cpuinfo and /proc/meminfo
CpuInfo parse_proc(std::string_view cpuinfo, std::string_view meminfo);

// The catalog device whose detect_names best match `reported` (longest match), or nullptr.
const catalog::DeviceSpec* match_device(const catalog::Catalog& c, std::string_view reported);

struct Detection {
  std::string source;                      // "nvidia-smi", "rocm-smi", "/proc"
  std::vector<DetectedGpu> gpus;
  CpuInfo cpu;
  const catalog::DeviceSpec* device = nullptr;
  int count = 1;
  double memory_gib = 0;                   // per device as found
  double reserve_gib = -1;                 // memory already in use on the fullest GPU
  double compute_share = 1;                // CPU: threads found / threads the catalog entry's compute is for
  std::string summary;                     // one line: what was found and what it maps to
};

// From already-captured tool output (empty string: tool absent).
Result<Detection> detect_from(const catalog::Catalog& c, std::string_view nvidia_smi, std::string_view rocm_smi,
                              const CpuInfo& cpu);
// Runs the tools that exist and reads /proc.
Result<Detection> detect_hardware(const catalog::Catalog& c);

}  // namespace llmux::plan
