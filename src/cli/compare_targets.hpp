#pragma once
// What `llmux compare` compares: local runtimes (found on their usual ports,
// named by URL or preset, or a simulated one) and cloud models (provider:model
// via the provider presets, or any URL standing for a cloud API). Cloud
// targets without their key in the environment are priced, not measured.
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/error.hpp"

namespace llmux::cli {

struct CompareTarget {
  std::string name;              // "local: ollama llama3.1:8b", "openai:gpt-4o-mini", "fakeai"
  bool local = false;
  std::string url, model, dialect = "openai", provider, price_id, key_env;
  std::string runtime;           // detected runtime ("ollama", "llama.cpp", ...)
  bool simulated = false;
  bool accepts_ignore_eos = false;
  std::string not_measured;      // why it is priced only ("OPENAI_API_KEY is not set")
};

// --cloud "openai:gpt-4o-mini,anthropic:claude-3-5-haiku" (or "none");
// --cloud-url "NAME=URL[,dialect=D][,price=ID][,model=M][,key-env=VAR]" (repeatable).
Result<std::vector<CompareTarget>> resolve_cloud(const std::string& cloud, const std::vector<std::string>& cloud_urls,
                                                  const catalog::Catalog& cat);
// --local "auto" (detect), "none", "sim", URLs or local preset names, comma-separated.
// `model` names the served model for URLs (empty: the first the server lists).
Result<std::vector<CompareTarget>> resolve_local(const std::string& local, const std::string& model);

// Fills in the served model of local targets given by URL (the first the server
// lists) and names them after it; a server that cannot be listed keeps its URL.
void name_local_models(std::vector<CompareTarget>& targets);

// A name fit for a file: "openai:gpt-4o-mini" -> "openai-gpt-4o-mini".
std::string slug(const std::string& name);

}  // namespace llmux::cli
