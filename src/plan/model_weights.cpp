#include "plan/model_weights.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace llmux::plan {

double WeightSummary::file_bytes() const {
  double b = token_embd_bytes + other_bytes + (tied ? 0 : output_bytes);
  for (const auto& l : layers) b += l.bytes;
  return b;
}

double WeightSummary::layer_bytes(int from, int to) const {
  double b = 0;
  for (int i = std::max(0, from); i < to && i < static_cast<int>(layers.size()); ++i) b += layers[static_cast<std::size_t>(i)].bytes;
  return b;
}

double WeightSummary::active_params() const {
  double share = experts_total > 0 ? static_cast<double>(experts_active) / experts_total : 1.0;
  double p = output_params;
  for (const auto& l : layers) p += l.params - l.expert_params + l.expert_params * share;
  return p;
}

double WeightSummary::bits_per_weight() const {
  double params = token_embd_params + (tied ? 0 : output_params);
  for (const auto& l : layers) params += l.params;
  return params > 0 ? 8.0 * file_bytes() / params : 0;
}

namespace {

std::string dtype_mix(const std::map<std::string, double>& by_type, double total) {
  std::vector<std::pair<double, std::string>> v;
  for (const auto& [t, b] : by_type) v.emplace_back(b, t);
  std::sort(v.rbegin(), v.rend());
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < 4; ++i) {
    char buf[48];
    double pct = total > 0 ? 100.0 * v[i].first / total : 0;
    std::snprintf(buf, sizeof buf, pct < 1 ? "%s%s <1%%" : "%s%s %.0f%%", i ? ", " : "", v[i].second.c_str(), pct);
    out += buf;
  }
  return out;
}

}  // namespace

WeightSummary summarize_weights(const catalog::ModelSpec& m, const std::vector<catalog::WeightTensor>& tensors) {
  WeightSummary s;
  s.layers.resize(static_cast<std::size_t>(std::max(0, m.layers)));
  s.experts_total = m.is_moe() ? m.experts_total : 0;
  s.experts_active = m.is_moe() ? m.experts_active : 0;
  std::map<std::string, double> by_type;
  double total = 0;
  bool has_output = false;
  for (const auto& t : tensors) {
    by_type[t.dtype] += t.bytes;
    total += t.bytes;
    double n = static_cast<double>(t.elements);
    if (t.layer >= 0 && t.layer < m.layers) {
      auto& l = s.layers[static_cast<std::size_t>(t.layer)];
      l.bytes += t.bytes;
      l.params += n;
      if (t.expert) l.expert_bytes += t.bytes, l.expert_params += n;
    } else if (t.name == "token_embd.weight") {
      s.token_embd_bytes += t.bytes;
      s.token_embd_params += n;
    } else if (t.name == "output.weight") {
      s.output_bytes += t.bytes;
      s.output_params += n;
      has_output = true;
    } else {
      s.other_bytes += t.bytes;
    }
  }
  if (!has_output) {  // tied embeddings: the output matmul reads token_embd
    s.tied = true;
    s.output_bytes = s.token_embd_bytes;
    s.output_params = s.token_embd_params;
  }
  s.dtype_mix = dtype_mix(by_type, total);
  return s;
}

}  // namespace llmux::plan
