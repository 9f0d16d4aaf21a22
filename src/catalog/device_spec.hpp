#pragma once
// A piece of hardware a model can run on: a GPU, an Apple M-series machine
// (unified memory), or a CPU server. Throughputs are dense (not 2:4 sparse)
// tensor figures from the vendor's spec sheet; for GeForce cards the FP16/BF16
// figure is the one with FP32 accumulation, which is what PyTorch-based engines get.
#include <string>
#include <vector>

namespace llmux::catalog {

enum class DeviceKind { gpu, unified, cpu };

std::string_view to_string(DeviceKind k);

struct DeviceSpec {
  std::string id;         // "rtx-4090"
  std::string name;       // "NVIDIA GeForce RTX 4090"
  std::string vendor;     // nvidia, amd, apple, intel
  DeviceKind kind = DeviceKind::gpu;
  std::string backend;    // cuda, rocm, metal, vulkan, cpu: which efficiency group it calibrates with
  std::string segment;    // consumer, workstation, datacenter, desktop, server
  double memory_gib = 0;  // per device
  double bandwidth_gbs = 0;   // memory bandwidth, GB/s (1e9)
  double fp16_tflops = 0;     // dense
  double bf16_tflops = 0;     // dense
  double fp8_tflops = 0;      // dense; 0 = not supported
  double int8_tops = 0;       // dense
  double power_watts = 0;     // board power (GPU) or system draw under load (unified, cpu)
  double price_usd = 0;       // launch/list or typical street price
  double interconnect_gbs = 0;  // GPU-to-GPU bandwidth per direction (NVLink/PCIe), GB/s
  double usable_fraction = 0;   // unified memory the GPU may use (Apple working-set limit); 0 = default
  int threads = 0;              // CPU entries: hardware threads the compute figures are for; 0 = not given
  std::string released;   // YYYY-MM
  std::string source;
  std::string date;
  std::vector<std::string> aliases;       // extra ids
  std::vector<std::string> detect_names;  // substrings nvidia-smi / rocm-smi / cpuinfo report

  double memory_bytes() const { return memory_gib * 1024.0 * 1024.0 * 1024.0; }
  double bandwidth_bytes_per_s() const { return bandwidth_gbs * 1e9; }
  // Best dense 16-bit throughput in FLOP/s.
  double half_flops() const { return (bf16_tflops > fp16_tflops ? bf16_tflops : fp16_tflops) * 1e12; }
};

}  // namespace llmux::catalog
