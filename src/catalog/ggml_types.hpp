#pragma once
// Every GGML tensor type a GGUF file may hold, with its exact block layout:
// a tensor row of ne0 elements takes (ne0 / block_size) * type_size bytes.
#include <cstdint>
#include <optional>
#include <string_view>

namespace llmux::catalog {

struct GgmlTypeInfo {
  std::uint32_t id;
  std::string_view name;
  std::uint32_t block_size;  // elements per block
  std::uint32_t type_size;   // bytes per block
  bool removed;              // no longer produced by llama.cpp (still readable)
};

// nullptr for ids llama.cpp never defined (including the retired 4 and 5).
const GgmlTypeInfo* ggml_type(std::uint32_t id);
const GgmlTypeInfo* ggml_type_by_name(std::string_view name);

// Bytes of a tensor with `elements` values whose rows have `row` elements;
// nullopt when the row is not a whole number of blocks or the size overflows.
std::optional<std::uint64_t> ggml_tensor_bytes(const GgmlTypeInfo& t, std::uint64_t row, std::uint64_t elements);

inline double ggml_bits_per_weight(const GgmlTypeInfo& t) { return 8.0 * t.type_size / t.block_size; }

}  // namespace llmux::catalog
