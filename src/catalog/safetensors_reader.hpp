#pragma once
// Reads a .safetensors file's JSON header (tensor names, dtypes, shapes, byte
// ranges), never the data. The header length and every byte range are checked
// against the file size first; the header is capped at 100 MiB as in the spec.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace llmux::catalog {

struct SafetensorsTensor {
  std::string name;
  std::string dtype;  // "BF16", "F8_E4M3", "I32", ...
  std::vector<std::uint64_t> shape;
  std::uint64_t begin = 0;  // byte range within the data section
  std::uint64_t end = 0;
  std::uint64_t bytes() const { return end - begin; }
};

struct SafetensorsHeader {
  std::vector<SafetensorsTensor> tensors;
  std::map<std::string, std::string> metadata;  // "__metadata__"
  std::uint64_t header_size = 0;
  std::uint64_t file_size = 0;
};

constexpr std::uint64_t kMaxSafetensorsHeader = 100ull << 20;

// `bytes` holds at least the first 8 + header_size bytes of a file of `file_size` bytes.
Result<SafetensorsHeader> parse_safetensors(std::string_view bytes, std::uint64_t file_size);
Result<SafetensorsHeader> read_safetensors(const std::string& path);
// Bytes per element of a safetensors dtype; 0 when unknown.
double safetensors_dtype_size(std::string_view dtype);

}  // namespace llmux::catalog
