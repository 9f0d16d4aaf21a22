#include "catalog/ggml_types.hpp"

#include <array>

#include "core/text.hpp"

namespace llmux::catalog {

namespace {

// Block layouts from ggml/src/ggml-common.h (QK_K = 256).
constexpr std::array<GgmlTypeInfo, 38> kTypes = {{
    {0, "F32", 1, 4, false},
    {1, "F16", 1, 2, false},
    {2, "Q4_0", 32, 18, false},     // fp16 d + 16 bytes of nibbles
    {3, "Q4_1", 32, 20, false},     // d, m + 16
    {6, "Q5_0", 32, 22, false},     // d + 4 qh + 16
    {7, "Q5_1", 32, 24, false},     // d, m + 4 qh + 16
    {8, "Q8_0", 32, 34, false},     // d + 32
    {9, "Q8_1", 32, 36, false},     // d, s + 32
    {10, "Q2_K", 256, 84, false},   // 16 scales + 64 qs + d + dmin
    {11, "Q3_K", 256, 110, false},  // 32 hmask + 64 qs + 12 scales + d
    {12, "Q4_K", 256, 144, false},  // d, dmin + 12 scales + 128 qs
    {13, "Q5_K", 256, 176, false},  // d, dmin + 12 scales + 32 qh + 128 qs
    {14, "Q6_K", 256, 210, false},  // 128 ql + 64 qh + 16 scales + d
    {15, "Q8_K", 256, 292, false},  // f32 d + 256 qs + 16 int16 bsums
    {16, "IQ2_XXS", 256, 66, false},
    {17, "IQ2_XS", 256, 74, false},
    {18, "IQ3_XXS", 256, 98, false},
    {19, "IQ1_S", 256, 50, false},
    {20, "IQ4_NL", 32, 18, false},
    {21, "IQ3_S", 256, 110, false},
    {22, "IQ2_S", 256, 82, false},
    {23, "IQ4_XS", 256, 136, false},
    {24, "I8", 1, 1, false},
    {25, "I16", 1, 2, false},
    {26, "I32", 1, 4, false},
    {27, "I64", 1, 8, false},
    {28, "F64", 1, 8, false},
    {29, "IQ1_M", 256, 56, false},
    {30, "BF16", 1, 2, false},
    {31, "Q4_0_4_4", 32, 18, true},
    {32, "Q4_0_4_8", 32, 18, true},
    {33, "Q4_0_8_8", 32, 18, true},
    {34, "TQ1_0", 256, 54, false},
    {35, "TQ2_0", 256, 66, false},
    {36, "IQ4_NL_4_4", 32, 18, true},
    {37, "IQ4_NL_4_8", 32, 18, true},
    {38, "IQ4_NL_8_8", 32, 18, true},
    {39, "MXFP4", 32, 17, false},   // e8m0 scale + 16 bytes of e2m1 pairs
}};

}  // namespace

const GgmlTypeInfo* ggml_type(std::uint32_t id) {
  for (const auto& t : kTypes)
    if (t.id == id) return &t;
  return nullptr;
}

const GgmlTypeInfo* ggml_type_by_name(std::string_view name) {
  for (const auto& t : kTypes)
    if (equals_icase(t.name, name)) return &t;
  return nullptr;
}

std::optional<std::uint64_t> ggml_tensor_bytes(const GgmlTypeInfo& t, std::uint64_t row, std::uint64_t elements) {
  if (row == 0 || row % t.block_size != 0 || elements % row != 0) return std::nullopt;
  std::uint64_t blocks = elements / t.block_size;
  if (blocks > UINT64_MAX / t.type_size) return std::nullopt;
  return blocks * t.type_size;
}

}  // namespace llmux::catalog
