#include "cli/runtime_model.hpp"

#include <cctype>

#include "catalog/quant_scheme.hpp"

namespace llmux::cli {

std::string squash(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

std::string find_quant_in(const std::string& name) {
  std::string squashed = squash(name), best;
  std::size_t best_len = 0;
  for (const auto* list : {&catalog::gguf_quants(), &catalog::safetensors_quants()})
    for (const auto& q : *list) {
      std::string k = squash(q.name);
      if (k.size() > best_len && squashed.find(k) != std::string::npos) best = q.name, best_len = k.size();
    }
  return best_len >= 3 ? best : "";  // "f16"/"q8" style names are long enough; shorter ones match by accident
}

}  // namespace

std::optional<ModelGuess> guess_model(const catalog::Catalog& cat, const std::string& served_name) {
  std::string name = squash(served_name);
  const catalog::ModelSpec* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& m : cat.models) {
    std::vector<std::string> keys = m.aliases;
    keys.push_back(m.id);
    for (const auto& k : keys) {
      std::string s = squash(k);
      if (s.size() > best_len && name.find(s) != std::string::npos) best = &m, best_len = s.size();
    }
  }
  if (!best) return std::nullopt;
  return ModelGuess{best->id, find_quant_in(served_name)};
}

}  // namespace llmux::cli
