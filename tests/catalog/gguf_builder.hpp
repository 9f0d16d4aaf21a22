#pragma once
// Builds small GGUF files in memory for tests: header, metadata and tensor
// table (and zeroed tensor data, so the file is as long as it claims).
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "catalog/ggml_types.hpp"

namespace llmux::test {

class GgufBuilder {
 public:
  explicit GgufBuilder(std::uint32_t version = 3) : version_(version) {}

  GgufBuilder& str(const std::string& key, const std::string& v) { return kv(key, 8, [&] { put_str(v); }); }
  GgufBuilder& u32(const std::string& key, std::uint32_t v) { return kv(key, 4, [&] { put(v); }); }
  GgufBuilder& f32(const std::string& key, float v) { return kv(key, 6, [&] { put(v); }); }
  GgufBuilder& u32_array(const std::string& key, const std::vector<std::uint32_t>& v) {
    return kv(key, 9, [&] {
      put(std::uint32_t{4});
      put(static_cast<std::uint64_t>(v.size()));
      for (auto x : v) put(x);
    });
  }
  GgufBuilder& str_array(const std::string& key, const std::vector<std::string>& v) {
    return kv(key, 9, [&] {
      put(std::uint32_t{8});
      put(static_cast<std::uint64_t>(v.size()));
      for (const auto& s : v) put_str(s);
    });
  }
  // A tensor of GGML type `type` with dims ne[0..] (ne[0] = row length).
  GgufBuilder& tensor(const std::string& name, std::uint32_t type, std::vector<std::uint64_t> dims) {
    const auto* info = catalog::ggml_type(type);
    std::uint64_t n = 1;
    for (auto d : dims) n *= d;
    std::uint64_t bytes = info ? n / info->block_size * info->type_size : n;
    tensors_.push_back({name, type, dims, offset_, bytes});
    offset_ += (bytes + 31) / 32 * 32;
    return *this;
  }

  std::string build() const {
    std::string out;
    append(out, std::uint32_t{0x46554747});
    append(out, version_);
    append(out, static_cast<std::uint64_t>(tensors_.size()));
    append(out, static_cast<std::uint64_t>(kv_count_));
    out += kv_bytes_;
    for (const auto& t : tensors_) {
      append(out, static_cast<std::uint64_t>(t.name.size()));
      out += t.name;
      append(out, static_cast<std::uint32_t>(t.dims.size()));
      for (auto d : t.dims) append(out, d);
      append(out, t.type);
      append(out, t.offset);
    }
    out.resize((out.size() + 31) / 32 * 32, '\0');
    out.resize(out.size() + data_end(), '\0');
    return out;
  }
  // The data section ends with the last tensor's bytes (no trailing padding).
  std::uint64_t data_end() const { return tensors_.empty() ? 0 : tensors_.back().offset + tensors_.back().bytes; }
  std::uint64_t data_bytes() const { return offset_; }

 private:
  struct T {
    std::string name;
    std::uint32_t type;
    std::vector<std::uint64_t> dims;
    std::uint64_t offset, bytes;
  };
  template <class V>
  static void append(std::string& out, V v) {
    char b[sizeof(V)];
    std::memcpy(b, &v, sizeof(V));
    out.append(b, sizeof(V));
  }
  template <class V>
  void put(V v) { append(kv_bytes_, v); }
  void put_str(const std::string& s) {
    put(static_cast<std::uint64_t>(s.size()));
    kv_bytes_ += s;
  }
  template <class F>
  GgufBuilder& kv(const std::string& key, std::uint32_t type, F value) {
    put_str(key);
    put(type);
    value();
    ++kv_count_;
    return *this;
  }
  std::uint32_t version_;
  std::string kv_bytes_;
  std::size_t kv_count_ = 0;
  std::vector<T> tensors_;
  std::uint64_t offset_ = 0;
};

// A tiny Llama-style model: 2 layers, hidden 256, 4 heads (2 KV), FFN 512, vocab 1000.
inline GgufBuilder tiny_llama(std::uint32_t version = 3) {
  GgufBuilder b(version);
  b.str("general.architecture", "llama").str("general.name", "tiny-llama").u32("general.file_type", 15);
  b.u32("llama.block_count", 2).u32("llama.context_length", 2048).u32("llama.embedding_length", 256);
  b.u32("llama.feed_forward_length", 512).u32("llama.attention.head_count", 4).u32_array("llama.attention.head_count_kv", {2, 2});
  b.f32("llama.rope.freq_base", 500000.0f).str_array("tokenizer.ggml.tokens", {"<s>", "</s>", "a", "b"});
  b.u32("llama.vocab_size", 1000);
  b.tensor("token_embd.weight", 12, {256, 1000});  // Q4_K
  for (int i = 0; i < 2; ++i) {
    std::string p = "blk." + std::to_string(i) + ".";
    b.tensor(p + "attn_norm.weight", 0, {256});
    b.tensor(p + "attn_q.weight", 12, {256, 256});
    b.tensor(p + "attn_k.weight", 12, {256, 128});
    b.tensor(p + "attn_v.weight", 14, {256, 128});  // Q6_K
    b.tensor(p + "attn_output.weight", 12, {256, 256});
    b.tensor(p + "ffn_norm.weight", 0, {256});
    b.tensor(p + "ffn_gate.weight", 12, {256, 512});
    b.tensor(p + "ffn_up.weight", 16, {256, 512});  // IQ2_XXS
    b.tensor(p + "ffn_down.weight", 14, {512, 256});
  }
  b.tensor("output_norm.weight", 0, {256});
  b.tensor("output.weight", 14, {256, 1000});
  return b;
}

}  // namespace llmux::test

namespace llmux::test {

// A smaller model for byte-by-byte fuzzing: hidden 64, legacy 32-blocks, ~40 KB.
inline GgufBuilder tiny_fuzz_model() {
  GgufBuilder b(3);
  b.str("general.architecture", "llama").str("general.name", "fuzz").u32("general.file_type", 2);
  b.u32("llama.block_count", 2).u32("llama.context_length", 512).u32("llama.embedding_length", 64);
  b.u32("llama.feed_forward_length", 128).u32("llama.attention.head_count", 4).u32("llama.attention.head_count_kv", 2);
  b.str_array("tokenizer.ggml.tokens", {"<s>", "</s>", "x"}).u32_array("llama.layer_sizes", {1, 2});
  b.tensor("token_embd.weight", 2, {64, 100});
  for (int i = 0; i < 2; ++i) {
    std::string p = "blk." + std::to_string(i) + ".";
    b.tensor(p + "attn_norm.weight", 0, {64});
    b.tensor(p + "attn_q.weight", 8, {64, 64});
    b.tensor(p + "attn_k.weight", 2, {64, 32});
    b.tensor(p + "attn_v.weight", 8, {64, 32});
    b.tensor(p + "attn_output.weight", 2, {64, 64});
    b.tensor(p + "ffn_gate.weight", 2, {64, 128});
    b.tensor(p + "ffn_up.weight", 20, {64, 128});
    b.tensor(p + "ffn_down.weight", 8, {128, 64});
  }
  b.tensor("output.weight", 30, {64, 100});
  return b;
}

}  // namespace llmux::test
