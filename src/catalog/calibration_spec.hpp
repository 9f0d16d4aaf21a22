#pragma once
// Published speed measurements the speed model's efficiency factors are fitted
// to (data/calibration.toml), and the priors used where a group has too few.
#include <string>
#include <vector>

namespace llmux::catalog {

enum class Metric { decode_tps, prefill_tps };

std::string_view to_string(Metric m);

struct Measurement {
  std::string id;
  std::string engine;   // llama.cpp, vllm, ollama
  std::string device;   // catalog device id
  int gpus = 1;
  std::string model;    // catalog model id
  std::string quant;    // Q4_K_M, F16, BF16, ...
  Metric metric = Metric::decode_tps;
  int batch = 1;        // concurrent sequences
  int context = 0;      // mean tokens already in the KV cache while measured
  int prompt_tokens = 0;  // prefill: tokens per prompt
  double value = 0;     // tokens per second (decode: per sequence)
  std::string source;
  std::string date;
};

// Starting values for a group of (engine, backend) before fitting.
struct EfficiencyPrior {
  std::string engine;
  std::string backend;
  double eta_mem = 0.8;           // achieved / spec memory bandwidth while decoding
  double layer_overhead_us = 50;  // fixed cost per layer per decode step (launches, syncs)
  double eta_prefill = 0.5;       // achieved / spec dense FLOPs in prefill, 16-bit weights
  double quant_prefill = 0.8;     // extra factor for quantized weights (dequantization)
  double eta_decode_compute = 0.5;  // achieved / spec FLOPs in large-batch decode
  double band = 0.3;              // relative error band when nothing was fitted
  std::string source;
  std::string date;
};

struct CalibrationData {
  std::vector<EfficiencyPrior> priors;
  std::vector<Measurement> measurements;
};

}  // namespace llmux::catalog
