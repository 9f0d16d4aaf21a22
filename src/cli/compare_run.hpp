#pragma once
// The `llmux compare` driver, separate from its flag registration.
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace llmux::cli {

struct CompareFlags {
  std::string local = "auto", local_model;
  std::string cloud = "openai:gpt-4o-mini,anthropic:claude-3-5-haiku";
  std::vector<std::string> cloud_urls;
  std::string model, gguf, hf_config, quant, engine, gpu;
  int gpus = 0;
  std::string workload, privacy = "any";
  std::string slo = "ttft:p90<1000ms,tpot:p90<50ms";
  std::string concurrency = "1,4,16", level_duration = "8s";
  std::string output = "report.html", format, save_dir;
  bool quiet = false;
  std::vector<std::string> argv;
  CLI::App* cmd = nullptr;
};

int run_compare(CompareFlags& f);

}  // namespace llmux::cli
