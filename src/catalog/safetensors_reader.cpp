#include "catalog/safetensors_reader.hpp"

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "catalog/json_guard.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

namespace {

using json = nlohmann::json;

Result<std::vector<std::uint64_t>> read_shape(const json& j, const std::string& name) {
  if (!j.is_array() || j.size() > 8) return fail(ErrorCode::parse, "tensor '" + name + "' has no valid shape", "");
  std::vector<std::uint64_t> shape;
  for (const auto& d : j) {
    if (!d.is_number_unsigned()) return fail(ErrorCode::parse, "tensor '" + name + "' has a negative or non-integer dimension", "");
    shape.push_back(d.get<std::uint64_t>());
  }
  return shape;
}

Result<void> check_range(const SafetensorsTensor& t, std::uint64_t data_size) {
  if (t.begin > t.end || t.end > data_size)
    return fail(ErrorCode::parse, "tensor '" + t.name + "' lies past the end of the file (truncated download?)", "");
  double size = safetensors_dtype_size(t.dtype);
  if (size == 0) return fail(ErrorCode::parse, "tensor '" + t.name + "' has unknown dtype '" + t.dtype + "'", "");
  long double n = 1;
  for (auto d : t.shape) n *= static_cast<long double>(d);
  if (static_cast<long double>(t.end - t.begin) != n * static_cast<long double>(size))
    return fail(ErrorCode::parse, "tensor '" + t.name + "' byte range does not match its shape and dtype", "");
  return {};
}

Result<SafetensorsTensor> read_tensor(const std::string& name, const json& j, std::uint64_t data_size) {
  SafetensorsTensor t;
  t.name = name;
  if (!j.is_object() || !j.contains("dtype") || !j["dtype"].is_string() || !j.contains("data_offsets"))
    return fail(ErrorCode::parse, "tensor '" + name + "' needs dtype, shape and data_offsets", "");
  t.dtype = j["dtype"].get<std::string>();
  LLMUX_TRY_ASSIGN(t.shape, read_shape(j.value("shape", json()), name));
  const json& off = j["data_offsets"];
  if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
    return fail(ErrorCode::parse, "tensor '" + name + "' data_offsets must be two non-negative integers", "");
  t.begin = off[0].get<std::uint64_t>();
  t.end = off[1].get<std::uint64_t>();
  LLMUX_TRY_VOID(check_range(t, data_size));
  return t;
}

}  // namespace

double safetensors_dtype_size(std::string_view d) {
  if (d == "BOOL" || d == "U8" || d == "I8" || d == "F8_E5M2" || d == "F8_E4M3" || d == "F8_E8M0") return 1;
  if (d == "I16" || d == "U16" || d == "F16" || d == "BF16") return 2;
  if (d == "I32" || d == "U32" || d == "F32") return 4;
  if (d == "I64" || d == "U64" || d == "F64") return 8;
  return 0;
}

Result<SafetensorsHeader> parse_safetensors(std::string_view bytes, std::uint64_t file_size) {
  if (bytes.size() < 8 || file_size < 8) return fail(ErrorCode::parse, "file is too short to be safetensors (truncated?)", "");
  SafetensorsHeader h;
  h.file_size = file_size;
  std::memcpy(&h.header_size, bytes.data(), 8);
  if (h.header_size > kMaxSafetensorsHeader || h.header_size > file_size - 8)
    return fail(ErrorCode::parse, "header length " + std::to_string(h.header_size) + " is past the end of the file or over 100 MiB", "");
  if (bytes.size() < 8 + h.header_size) return fail(ErrorCode::parse, "file ends inside the header (truncated?)", "");
  std::string_view text = bytes.substr(8, static_cast<std::size_t>(h.header_size));
  if (!json_depth_ok(text, 16)) return fail(ErrorCode::parse, "header nests deeper than a safetensors header can", "");
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(ErrorCode::parse, "header is not a JSON object", "");
  std::uint64_t data_size = file_size - 8 - h.header_size;
  for (const auto& [name, value] : j.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) return fail(ErrorCode::parse, "__metadata__ must be an object", "");
      for (const auto& [k, v] : value.items())
        if (v.is_string()) h.metadata[k] = v.get<std::string>();
      continue;
    }
    SafetensorsTensor t;
    LLMUX_TRY_ASSIGN(t, read_tensor(name, value, data_size));
    h.tensors.push_back(std::move(t));
  }
  return h;
}

Result<SafetensorsHeader> read_safetensors(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail(ErrorCode::io, "cannot open safetensors file", path);
  auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  std::string head(8, '\0');
  if (size < 8 || !in.read(head.data(), 8)) return fail(ErrorCode::parse, "file is too short to be safetensors", path);
  std::uint64_t n = 0;
  std::memcpy(&n, head.data(), 8);
  if (n > kMaxSafetensorsHeader || n > size - 8)
    return fail(ErrorCode::parse, "header length is past the end of the file or over 100 MiB", path);
  head.resize(static_cast<std::size_t>(8 + n));
  if (!in.read(head.data() + 8, static_cast<std::streamsize>(n))) return fail(ErrorCode::io, "cannot read header", path);
  auto h = parse_safetensors(head, size);
  if (!h) h.error().context = path;
  return h;
}

}  // namespace llmux::catalog
