#include "catalog/gguf_reader.hpp"

#include <cstring>
#include <fstream>
#include <set>

#include "catalog/ggml_types.hpp"
#include "catalog/try.hpp"

namespace llmux::catalog {

namespace {

constexpr std::uint64_t kMaxTensors = 1u << 20;
constexpr std::uint64_t kMaxKv = 1u << 20;
constexpr std::uint64_t kMaxName = 64;  // GGML_MAX_NAME
constexpr std::uint64_t kMaxKey = 65535;

// Bounds-checked little-endian reads over a prefix of the file.
class Cursor {
 public:
  Cursor(std::string_view bytes, std::uint64_t file_size) : bytes_(bytes), file_size_(file_size) {}

  std::uint64_t pos() const { return pos_; }
  // Bytes left in the file (not only in the prefix we hold).
  std::uint64_t file_left() const { return file_size_ > pos_ ? file_size_ - pos_ : 0; }

  Result<void> need(std::uint64_t n, const char* what) const {
    if (n <= bytes_.size() - pos_) return {};
    if (n <= file_left()) return fail(ErrorCode::limit, "header continues past the bytes read", "need-more");
    return fail(ErrorCode::parse,
                std::string("file ends inside the ") + what + " at byte " + std::to_string(pos_) +
                    " (truncated or not a GGUF file); download it again",
                "");
  }
  template <class T>
  Result<T> read(const char* what) {
    LLMUX_TRY_VOID(need(sizeof(T), what));
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  Result<std::string> string(const char* what, std::uint64_t max) {
    std::uint64_t len = 0;
    LLMUX_TRY_ASSIGN(len, read<std::uint64_t>(what));
    if (len > max || len > file_left())
      return fail(ErrorCode::parse, std::string(what) + " length " + std::to_string(len) + " at byte " +
                                        std::to_string(pos_ - 8) + " is past the end of the file or over the limit",
                  "");
    LLMUX_TRY_VOID(need(len, what));
    std::string s(bytes_.data() + pos_, static_cast<std::size_t>(len));
    pos_ += len;
    return s;
  }
  Result<void> skip(std::uint64_t n, const char* what) {
    LLMUX_TRY_VOID(need(n, what));
    pos_ += n;
    return {};
  }

 private:
  std::string_view bytes_;
  std::uint64_t file_size_;
  std::uint64_t pos_ = 0;
};

std::uint64_t scalar_size(GgufType t) {
  switch (t) {
    case GgufType::uint8: case GgufType::int8: case GgufType::boolean: return 1;
    case GgufType::uint16: case GgufType::int16: return 2;
    case GgufType::uint32: case GgufType::int32: case GgufType::float32: return 4;
    case GgufType::uint64: case GgufType::int64: case GgufType::float64: return 8;
    default: return 0;
  }
}

bool valid_type(std::uint32_t t) { return t <= static_cast<std::uint32_t>(GgufType::float64); }

Result<double> read_number(Cursor& c, GgufType t, std::int64_t& as_int) {
  switch (t) {
#define LLMUX_GGUF_NUM(tag, ctype)                             \
  case GgufType::tag: {                                        \
    ctype v{};                                                 \
    LLMUX_TRY_ASSIGN(v, c.read<ctype>("metadata value"));      \
    as_int = static_cast<std::int64_t>(v);                     \
    return static_cast<double>(v);                             \
  }
    LLMUX_GGUF_NUM(uint8, std::uint8_t)
    LLMUX_GGUF_NUM(int8, std::int8_t)
    LLMUX_GGUF_NUM(uint16, std::uint16_t)
    LLMUX_GGUF_NUM(int16, std::int16_t)
    LLMUX_GGUF_NUM(uint32, std::uint32_t)
    LLMUX_GGUF_NUM(int32, std::int32_t)
    LLMUX_GGUF_NUM(uint64, std::uint64_t)
    LLMUX_GGUF_NUM(int64, std::int64_t)
#undef LLMUX_GGUF_NUM
    case GgufType::float32: {
      float v = 0;
      LLMUX_TRY_ASSIGN(v, c.read<float>("metadata value"));
      as_int = 0;
      return static_cast<double>(v);
    }
    case GgufType::float64: {
      double v = 0;
      LLMUX_TRY_ASSIGN(v, c.read<double>("metadata value"));
      as_int = 0;
      return v;
    }
    default: return fail(ErrorCode::internal, "not a numeric GGUF type", "");
  }
}

Result<void> read_array(Cursor& c, GgufValue& v, const std::string& key) {
  std::uint32_t et = 0;
  LLMUX_TRY_ASSIGN(et, c.read<std::uint32_t>("array type"));
  if (!valid_type(et)) return fail(ErrorCode::parse, "metadata '" + key + "' has an array of unknown type " + std::to_string(et), "");
  v.array_type = static_cast<GgufType>(et);
  if (v.array_type == GgufType::array) return fail(ErrorCode::parse, "metadata '" + key + "' is a nested array (not supported)", "");
  LLMUX_TRY_ASSIGN(v.array_size, c.read<std::uint64_t>("array length"));
  std::uint64_t min_elem = v.array_type == GgufType::string ? 8 : scalar_size(v.array_type);
  if (v.array_size > c.file_left() / min_elem)
    return fail(ErrorCode::parse, "metadata '" + key + "' claims " + std::to_string(v.array_size) +
                                      " elements, more than the rest of the file can hold", "");
  if (v.array_type == GgufType::string) {
    for (std::uint64_t i = 0; i < v.array_size; ++i) LLMUX_TRY_VOID(c.string("array string", kMaxGgufString));
    return {};
  }
  if (v.array_size > kMaxKeptArray || v.array_type == GgufType::boolean)
    return c.skip(v.array_size * min_elem, "array");
  for (std::uint64_t i = 0; i < v.array_size; ++i) {
    std::int64_t unused = 0;
    double d = 0;
    LLMUX_TRY_ASSIGN(d, read_number(c, v.array_type, unused));
    v.numbers.push_back(d);
  }
  return {};
}

Result<GgufValue> read_value(Cursor& c, const std::string& key) {
  GgufValue v;
  std::uint32_t t = 0;
  LLMUX_TRY_ASSIGN(t, c.read<std::uint32_t>("metadata type"));
  if (!valid_type(t)) return fail(ErrorCode::parse, "metadata '" + key + "' has unknown type " + std::to_string(t), "");
  v.type = static_cast<GgufType>(t);
  if (v.type == GgufType::string) {
    LLMUX_TRY_ASSIGN(v.text, c.string("metadata string", kMaxGgufString));
  } else if (v.type == GgufType::array) {
    LLMUX_TRY_VOID(read_array(c, v, key));
  } else if (v.type == GgufType::boolean) {
    std::uint8_t b = 0;
    LLMUX_TRY_ASSIGN(b, c.read<std::uint8_t>("metadata value"));
    v.flag = b != 0;
  } else {
    LLMUX_TRY_ASSIGN(v.number, read_number(c, v.type, v.integer));
  }
  return v;
}

Result<std::uint32_t> read_version(Cursor& c) {
  std::uint32_t magic = 0;
  LLMUX_TRY_ASSIGN(magic, c.read<std::uint32_t>("magic"));
  if (magic != 0x46554747u) return fail(ErrorCode::parse, "not a GGUF file (it does not start with 'GGUF')", "");
  std::uint32_t version = 0;
  LLMUX_TRY_ASSIGN(version, c.read<std::uint32_t>("version"));
  if (version == 0x02000000u || version == 0x03000000u)
    return fail(ErrorCode::parse, "big-endian GGUF files are not supported; use the little-endian file", "");
  if (version == 1)
    return fail(ErrorCode::parse, "GGUF version 1 (2023) is not supported; re-convert the model with a current llama.cpp", "");
  if (version != 2 && version != 3)
    return fail(ErrorCode::parse, "unsupported GGUF version " + std::to_string(version) + " (llmux reads 2 and 3)", "");
  return version;
}

Result<std::uint64_t> read_count(Cursor& c, const char* what, std::uint64_t min_entry, std::uint64_t max) {
  std::uint64_t n = 0;
  LLMUX_TRY_ASSIGN(n, c.read<std::uint64_t>(what));
  if (n > max || n > c.file_left() / min_entry)
    return fail(ErrorCode::parse, std::string(what) + " " + std::to_string(n) +
                                      " is impossible for a file of this size (corrupt header)", "");
  return n;
}

Result<void> read_metadata(Cursor& c, GgufFile& f, std::uint64_t kv_count) {
  for (std::uint64_t i = 0; i < kv_count; ++i) {
    std::string key;
    LLMUX_TRY_ASSIGN(key, c.string("metadata key", kMaxKey));
    if (key.empty()) return fail(ErrorCode::parse, "metadata key " + std::to_string(i) + " is empty", "");
    GgufValue v;
    LLMUX_TRY_ASSIGN(v, read_value(c, key));
    if (!f.metadata.emplace(key, std::move(v)).second)
      return fail(ErrorCode::parse, "metadata key '" + key + "' appears twice", "");
  }
  return {};
}

Result<void> check_tensor(GgufTensor& t) {
  const GgmlTypeInfo* info = ggml_type(t.type);
  if (!info) return fail(ErrorCode::parse, "tensor '" + t.name + "' has unknown GGML type " + std::to_string(t.type), "");
  std::uint64_t n = 1;
  for (auto d : t.dims) {
    if (d != 0 && n > (std::uint64_t{1} << 62) / d)
      return fail(ErrorCode::parse, "tensor '" + t.name + "' has an impossible shape (element count overflows)", "");
    n *= d;
  }
  t.elements = n;
  if (n == 0) return {};
  auto bytes = ggml_tensor_bytes(*info, t.dims[0], n);
  if (!bytes)
    return fail(ErrorCode::parse, "tensor '" + t.name + "' has rows of " + std::to_string(t.dims[0]) +
                                      " elements, not a multiple of the " + std::string(info->name) + " block size", "");
  t.bytes = *bytes;
  return {};
}

Result<GgufTensor> read_tensor_info(Cursor& c) {
  GgufTensor t;
  LLMUX_TRY_ASSIGN(t.name, c.string("tensor name", kMaxName));
  std::uint32_t n_dims = 0;
  LLMUX_TRY_ASSIGN(n_dims, c.read<std::uint32_t>("tensor dimensions"));
  if (n_dims == 0 || n_dims > 4)
    return fail(ErrorCode::parse, "tensor '" + t.name + "' has " + std::to_string(n_dims) + " dimensions (1 to 4 allowed)", "");
  for (std::uint32_t d = 0; d < n_dims; ++d) {
    std::uint64_t v = 0;
    LLMUX_TRY_ASSIGN(v, c.read<std::uint64_t>("tensor shape"));
    t.dims.push_back(v);
  }
  LLMUX_TRY_ASSIGN(t.type, c.read<std::uint32_t>("tensor type"));
  LLMUX_TRY_ASSIGN(t.offset, c.read<std::uint64_t>("tensor offset"));
  LLMUX_TRY_VOID(check_tensor(t));
  return t;
}

Result<void> read_alignment(GgufFile& f) {
  const GgufValue* a = f.find("general.alignment");
  if (!a) return {};
  if (!a->is_number() || a->integer <= 0 || a->integer > (1 << 20) || (a->integer & (a->integer - 1)) != 0)
    return fail(ErrorCode::parse, "general.alignment must be a power of two up to 1 MiB", "");
  f.alignment = static_cast<std::uint64_t>(a->integer);
  return {};
}

Result<void> check_placement(const GgufFile& f) {
  if (f.data_offset > f.file_size)
    return fail(ErrorCode::parse, "the header ends past the end of the file (truncated download?)", "");
  std::uint64_t data = f.file_size - f.data_offset;
  for (const auto& t : f.tensors) {
    if (t.offset % f.alignment != 0)
      return fail(ErrorCode::parse, "tensor '" + t.name + "' is not aligned to " + std::to_string(f.alignment) + " bytes", "");
    if (t.offset > data || t.bytes > data - t.offset)
      return fail(ErrorCode::parse, "tensor '" + t.name + "' extends past the end of the file (truncated download?)", "");
  }
  return {};
}

Result<void> read_tensor_table(Cursor& c, GgufFile& f, std::uint64_t count) {
  std::set<std::string> names;
  for (std::uint64_t i = 0; i < count; ++i) {
    GgufTensor t;
    LLMUX_TRY_ASSIGN(t, read_tensor_info(c));
    if (!names.insert(t.name).second) return fail(ErrorCode::parse, "tensor '" + t.name + "' appears twice", "");
    f.tensors.push_back(std::move(t));
  }
  return {};
}

}  // namespace

Result<GgufFile> parse_gguf(std::string_view bytes, std::uint64_t file_size) {
  if (bytes.size() > file_size) file_size = bytes.size();
  Cursor c(bytes, file_size);
  GgufFile f;
  f.file_size = file_size;
  LLMUX_TRY_ASSIGN(f.version, read_version(c));
  std::uint64_t n_tensors = 0, n_kv = 0;
  LLMUX_TRY_ASSIGN(n_tensors, read_count(c, "tensor count", 25, kMaxTensors));
  LLMUX_TRY_ASSIGN(n_kv, read_count(c, "metadata count", 14, kMaxKv));
  LLMUX_TRY_VOID(read_metadata(c, f, n_kv));
  LLMUX_TRY_VOID(read_alignment(f));
  LLMUX_TRY_VOID(read_tensor_table(c, f, n_tensors));
  f.data_offset = (c.pos() + f.alignment - 1) / f.alignment * f.alignment;
  LLMUX_TRY_VOID(check_placement(f));
  return f;
}

Result<GgufFile> parse_gguf(std::string_view whole_file) { return parse_gguf(whole_file, whole_file.size()); }

Result<GgufFile> read_gguf(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail(ErrorCode::io, "cannot open GGUF file", path);
  auto size = static_cast<std::uint64_t>(in.tellg());
  std::string buf;
  for (std::uint64_t want = 4u << 20;; want *= 4) {
    std::uint64_t n = std::min({want, size, kMaxGgufHeader});
    buf.resize(static_cast<std::size_t>(n));
    in.seekg(0);
    if (!in.read(buf.data(), static_cast<std::streamsize>(n))) return fail(ErrorCode::io, "cannot read GGUF file", path);
    auto f = parse_gguf(buf, size);
    if (f || f.error().context != "need-more") {
      if (!f) f.error().context = path;
      return f;
    }
    if (n >= kMaxGgufHeader || n >= size)
      return fail(ErrorCode::limit, "GGUF header is larger than 512 MiB; refusing to read it", path);
  }
}

}  // namespace llmux::catalog
