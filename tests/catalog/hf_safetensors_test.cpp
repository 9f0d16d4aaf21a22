// Hugging Face config.json and safetensors headers.
#include <gtest/gtest.h>

#include <cstring>

#include "catalog/hf_config.hpp"
#include "catalog/safetensors_reader.hpp"
#include "support/process.hpp"

namespace llmux::catalog {
namespace {

const char* kLlama31_8B = R"({
  "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
  "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "vocab_size": 128256,
  "max_position_embeddings": 131072, "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16"})";

TEST(HfConfig, ReadsALlamaConfig) {
  auto m = model_from_hf_config(kLlama31_8B, "config.json");
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->spec.arch, "llama");
  EXPECT_EQ(m->spec.layers, 32);
  EXPECT_EQ(m->spec.kv_heads, 8);
  EXPECT_EQ(m->spec.head_dim, 128);
  EXPECT_EQ(m->spec.max_context, 131072);
  EXPECT_NEAR(m->spec.params_total / 1e9, 8.03, 0.01);
}

TEST(HfConfig, ReadsNestedTextConfigAndSlidingPattern) {
  auto m = model_from_hf_config(R"({"model_type":"gemma3","text_config":{"model_type":"gemma3_text","hidden_size":5376,
    "intermediate_size":21504,"num_attention_heads":32,"num_hidden_layers":62,"num_key_value_heads":16,"head_dim":128,
    "sliding_window":1024,"sliding_window_pattern":6,"vocab_size":262208,"max_position_embeddings":131072}})",
                                "gemma/config.json");
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->spec.arch, "gemma3");
  EXPECT_TRUE(m->spec.tie_embeddings);
  EXPECT_EQ(m->spec.sliding_window, 1024);
  EXPECT_TRUE(m->spec.layer_slides(0));
  EXPECT_FALSE(m->spec.layer_slides(5));
}

TEST(HfConfig, ReadsMlaAndMoe) {
  auto m = model_from_hf_config(R"({"model_type":"deepseek_v3","hidden_size":7168,"intermediate_size":18432,
    "moe_intermediate_size":2048,"num_attention_heads":128,"num_hidden_layers":61,"num_key_value_heads":128,
    "n_routed_experts":256,"num_experts_per_tok":8,"n_shared_experts":1,"first_k_dense_replace":3,"kv_lora_rank":512,
    "q_lora_rank":1536,"qk_rope_head_dim":64,"qk_nope_head_dim":128,"v_head_dim":128,"vocab_size":129280,
    "max_position_embeddings":163840})",
                                "ds/config.json");
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_TRUE(m->spec.is_mla());
  EXPECT_EQ(m->spec.head_dim, 192);
  EXPECT_NEAR(m->spec.params_total / 1e9, 671, 671 * 0.02);
  EXPECT_NEAR(m->spec.params_active / 1e9, 37, 37 * 0.1);
}

TEST(HfConfig, GptOssLayerTypes) {
  auto m = model_from_hf_config(R"({"model_type":"gpt_oss","hidden_size":2880,"intermediate_size":2880,
    "num_attention_heads":64,"num_hidden_layers":4,"num_key_value_heads":8,"head_dim":64,"num_local_experts":32,
    "num_experts_per_tok":4,"sliding_window":128,"vocab_size":201088,"max_position_embeddings":131072,
    "layer_types":["sliding_attention","full_attention","sliding_attention","full_attention"]})",
                                "oss/config.json");
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->spec.sliding_window_pattern, 2);
  EXPECT_TRUE(m->spec.is_moe());
}

TEST(HfConfig, BadInputIsAClearError) {
  EXPECT_FALSE(model_from_hf_config("{not json", "c.json"));
  EXPECT_FALSE(model_from_hf_config("[1,2]", "c.json"));
  auto missing = model_from_hf_config(R"({"model_type":"llama","hidden_size":64})", "c.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("num_hidden_layers"), std::string::npos);
  EXPECT_EQ(missing.error().message.find("hidden_size"), std::string::npos) << "only what is missing: " << missing.error().message;
  auto cut = model_from_hf_config(R"({"model_type":"llama","num_hidden_layers":32,"hidden_si)", "c.json");
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("not valid JSON: parse error at line 1, column"), std::string::npos)
      << "where it breaks, not 'not a JSON object': " << cut.error().message;
  auto dev_null = load_hf_model("/dev/null");
  ASSERT_FALSE(dev_null);
  EXPECT_NE(dev_null.error().message.find("not a regular file"), std::string::npos) << dev_null.error().message;
  EXPECT_FALSE(model_from_hf_config(std::string(10000, '[') , "c.json"));
  auto huge = model_from_hf_config(R"({"hidden_size":4096,"num_attention_heads":32,"num_hidden_layers":900000000,"vocab_size":10})", "c.json");
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("implausible"), std::string::npos);
}

std::string safetensors_file(const std::string& json, std::size_t data) {
  std::string f(8, '\0');
  std::uint64_t n = json.size();
  std::memcpy(f.data(), &n, 8);
  return f + json + std::string(data, '\0');
}

TEST(Safetensors, ReadsTheHeader) {
  std::string f = safetensors_file(R"({"model.embed_tokens.weight":{"dtype":"BF16","shape":[10,4],"data_offsets":[0,80]},
        "model.layers.3.mlp.experts.1.down_proj.weight":{"dtype":"F8_E4M3","shape":[4,4],"data_offsets":[80,96]}})", 96);
  auto ok = parse_safetensors(f, f.size());
  ASSERT_TRUE(ok) << ok.error().describe();
  ASSERT_EQ(ok->tensors.size(), 2u);
  auto w = weights_from_safetensors({*ok});
  EXPECT_EQ(w[0].name, "token_embd.weight");
  EXPECT_EQ(w[1].layer, 3);
  EXPECT_TRUE(w[1].expert);
  EXPECT_EQ(w[1].bytes, 16);
}

TEST(Safetensors, RejectsInconsistentEntries) {
  auto bad_range = safetensors_file(R"({"w":{"dtype":"BF16","shape":[10,4],"data_offsets":[0,81]}})", 81);
  EXPECT_FALSE(parse_safetensors(bad_range, bad_range.size()));
  auto bad_dtype = safetensors_file(R"({"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,1]}})", 1);
  auto e = parse_safetensors(bad_dtype, bad_dtype.size());
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("unknown dtype"), std::string::npos);
  auto past = safetensors_file(R"({"w":{"dtype":"U8","shape":[64],"data_offsets":[0,64]}})", 8);
  EXPECT_FALSE(parse_safetensors(past, past.size()));
}

TEST(HfConfig, UsesSafetensorsBesideTheConfig) {
  test::TempDir dir;
  test::write_file(dir.file("config.json"), kLlama31_8B);
  test::write_file(dir.file("model.safetensors"),
                   safetensors_file(R"({"lm_head.weight":{"dtype":"BF16","shape":[8,8],"data_offsets":[0,128]}})", 128));
  auto m = load_hf_model(dir.path());
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_EQ(m->tensors.size(), 1u);
  EXPECT_EQ(m->tensors[0].name, "output.weight");
  EXPECT_EQ(m->quant, "BF16");
}

}  // namespace
}  // namespace llmux::catalog
