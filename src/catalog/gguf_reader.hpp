#pragma once
// Reads a GGUF file's header: version, metadata and tensor table, never the
// weights. Every count and length is checked against the bytes that remain
// before anything is allocated, so truncated, corrupt or hostile files give a
// clear error instead of a crash or a huge allocation. Versions 2 and 3.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace llmux::catalog {

enum class GgufType : std::uint32_t {
  uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, boolean = 7,
  string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12,
};

struct GgufValue {
  GgufType type = GgufType::uint32;
  double number = 0;       // any numeric scalar (exact for integers below 2^53)
  std::int64_t integer = 0;
  bool flag = false;
  std::string text;        // string scalar
  GgufType array_type = GgufType::uint8;
  std::uint64_t array_size = 0;
  std::vector<double> numbers;  // numeric arrays up to kMaxKeptArray elements

  bool is_number() const { return type != GgufType::string && type != GgufType::array && type != GgufType::boolean; }
};

struct GgufTensor {
  std::string name;
  std::vector<std::uint64_t> dims;  // ne[0] (row length) first
  std::uint32_t type = 0;           // GGML type id
  std::uint64_t offset = 0;         // relative to the data section
  std::uint64_t bytes = 0;
  std::uint64_t elements = 0;
};

struct GgufFile {
  std::uint32_t version = 0;
  std::map<std::string, GgufValue> metadata;
  std::vector<GgufTensor> tensors;
  std::uint64_t alignment = 32;
  std::uint64_t data_offset = 0;  // where tensor data starts (aligned end of the header)
  std::uint64_t file_size = 0;

  const GgufValue* find(const std::string& key) const {
    auto it = metadata.find(key);
    return it == metadata.end() ? nullptr : &it->second;
  }
};

constexpr std::uint64_t kMaxKeptArray = 4096;          // numeric arrays kept in full (per-layer values)
constexpr std::uint64_t kMaxGgufString = 64ull << 20;  // one metadata string
constexpr std::uint64_t kMaxGgufHeader = 512ull << 20; // metadata + tensor table

// Parses `bytes`, the first bytes of a file of `file_size` bytes. When the
// header runs past `bytes` but not past the file, the error has code `limit`
// and context "need-more" (read_gguf then reads a larger prefix).
Result<GgufFile> parse_gguf(std::string_view bytes, std::uint64_t file_size);
Result<GgufFile> parse_gguf(std::string_view whole_file);
// Reads the header of the file at `path` (only as many bytes as it needs).
Result<GgufFile> read_gguf(const std::string& path);

}  // namespace llmux::catalog
