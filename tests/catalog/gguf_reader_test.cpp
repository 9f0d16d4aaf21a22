// The GGUF reader on well-formed files: header, metadata, tensor table, exact
// bytes per tensor, the architecture it implies.
#include "catalog/gguf_reader.hpp"

#include <gtest/gtest.h>

#include "catalog/ggml_types.hpp"
#include "catalog/gguf_builder.hpp"
#include "catalog/model_source.hpp"
#include "support/process.hpp"

namespace llmux::catalog {
namespace {

TEST(GgufReader, ReadsHeaderMetadataAndTensorTable) {
  std::string file = test::tiny_llama().build();
  auto f = parse_gguf(file);
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->version, 3u);
  EXPECT_EQ(f->find("general.architecture")->text, "llama");
  EXPECT_EQ(f->find("llama.block_count")->integer, 2);
  EXPECT_EQ(f->find("tokenizer.ggml.tokens")->array_size, 4u);
  EXPECT_EQ(f->find("llama.attention.head_count_kv")->numbers, (std::vector<double>{2, 2}));
  ASSERT_EQ(f->tensors.size(), 21u);
  EXPECT_EQ(f->data_offset % 32, 0u);
}

TEST(GgufReader, GivesExactBytesPerTensor) {
  auto f = parse_gguf(test::tiny_llama().build());
  ASSERT_TRUE(f);
  for (const auto& t : f->tensors) {
    if (t.name == "token_embd.weight") { EXPECT_EQ(t.bytes, 256u * 1000 / 256 * 144); }   // Q4_K
    if (t.name == "blk.0.attn_v.weight") { EXPECT_EQ(t.bytes, 256u * 128 / 256 * 210); }  // Q6_K
    if (t.name == "blk.1.ffn_up.weight") { EXPECT_EQ(t.bytes, 256u * 512 / 256 * 66); }   // IQ2_XXS
    if (t.name == "blk.0.attn_norm.weight") { EXPECT_EQ(t.bytes, 256u * 4); }             // F32
  }
}

TEST(GgufReader, ReadsVersion2) {
  auto f = parse_gguf(test::tiny_llama(2).build());
  ASSERT_TRUE(f) << f.error().describe();
  EXPECT_EQ(f->version, 2u);
}

TEST(GgufReader, GivesTheArchitecture) {
  auto f = parse_gguf(test::tiny_llama().build());
  auto m = model_from_gguf(*f, "tiny.gguf");
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->spec.arch, "llama");
  EXPECT_EQ(m->spec.layers, 2);
  EXPECT_EQ(m->spec.hidden_size, 256);
  EXPECT_EQ(m->spec.attention_heads, 4);
  EXPECT_EQ(m->spec.kv_heads, 2);
  EXPECT_EQ(m->spec.head_dim, 64);
  EXPECT_EQ(m->spec.vocab_size, 1000);
  EXPECT_EQ(m->spec.max_context, 2048);
  EXPECT_EQ(m->quant, "Q4_K_M");
  EXPECT_FALSE(m->spec.tie_embeddings);
  double elements = 0;
  for (const auto& t : m->tensors) elements += static_cast<double>(t.elements);
  EXPECT_EQ(m->spec.params_total, elements);
  EXPECT_EQ(m->tensors[1].layer, 0);
}

TEST(GgufReader, ReadsOnlyTheHeaderOfAFile) {
  test::TempDir dir;
  std::string path = dir.file("tiny.gguf");
  test::write_file(path, test::tiny_llama().build());
  auto m = load_gguf_model(path);
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->origin, "gguf " + path);
  EXPECT_FALSE(load_gguf_model(dir.file("missing.gguf")));
}

}  // namespace
}  // namespace llmux::catalog
