// Ollama's /api/show answer read as a model to plan for, and bad answers refused.
#include <gtest/gtest.h>

#include <string>

#include "catalog/ollama_show.hpp"

namespace llmux::catalog {
namespace {

// The shape of Ollama's documented example (gemma3, 4.3B, Q4_K_M), non-verbose:
// the tokenizer arrays come as null and no vocabulary size is given.
const char* kGemma3 = R"({
  "parameters": "temperature 0.7\nnum_ctx 2048", "license": "Gemma Terms of Use", "capabilities": ["completion", "vision"],
  "modified_at": "2025-08-14T15:49:43.634137516-07:00",
  "details": {"parent_model": "", "format": "gguf", "family": "gemma3", "families": ["gemma3"], "parameter_size": "4.3B",
              "quantization_level": "Q4_K_M"},
  "model_info": {"gemma3.attention.head_count": 8, "gemma3.attention.head_count_kv": 4, "gemma3.attention.key_length": 256,
                 "gemma3.attention.sliding_window": 1024, "gemma3.attention.value_length": 256, "gemma3.block_count": 34,
                 "gemma3.context_length": 131072, "gemma3.embedding_length": 2560, "gemma3.feed_forward_length": 10240,
                 "gemma3.mm.tokens_per_image": 256, "gemma3.vision.attention.head_count": 16,
                 "gemma3.vision.block_count": 27, "gemma3.vision.embedding_length": 1152,
                 "gemma3.vision.feed_forward_length": 4304, "gemma3.vision.image_size": 896, "general.architecture": "gemma3", "general.file_type": 15,
                 "general.parameter_count": 4299915632, "general.quantization_version": 2,
                 "tokenizer.ggml.add_bos_token": true, "tokenizer.ggml.merges": null, "tokenizer.ggml.model": "llama",
                 "tokenizer.ggml.tokens": null, "tokenizer.ggml.bos_token_id": 2}})";

TEST(OllamaShow, ReadsTheDocumentedAnswer) {
  auto m = model_from_ollama_show(kGemma3, "gemma3 at http://127.0.0.1:11434");
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->spec.arch, "gemma3");
  EXPECT_EQ(m->spec.layers, 34);
  EXPECT_EQ(m->spec.hidden_size, 2560);
  EXPECT_EQ(m->spec.attention_heads, 8);
  EXPECT_EQ(m->spec.kv_heads, 4);
  EXPECT_EQ(m->spec.head_dim, 256);
  EXPECT_EQ(m->spec.max_context, 131072);
  EXPECT_EQ(m->spec.sliding_window, 1024);
  EXPECT_TRUE(m->spec.layer_slides(0));
  EXPECT_FALSE(m->spec.layer_slides(5)) << "every sixth Gemma 3 layer is global";
  EXPECT_EQ(m->spec.params_total, 4299915632.0);
  EXPECT_EQ(m->quant, "Q4_K_M");
  EXPECT_TRUE(m->quant_fixed) << "the runtime has these weights loaded: no other quantization applies";
  EXPECT_EQ(m->origin, "ollama gemma3 at http://127.0.0.1:11434");
  EXPECT_TRUE(m->tensors.empty());
  // No vocabulary size in the answer: the embedding rows are what the parameter count leaves.
  // (Gemma 3 has 262,144; the vision tower's 27 blocks are counted apart, as params_extra.)
  EXPECT_GT(m->spec.vocab_size, 240000);
  EXPECT_LT(m->spec.vocab_size, 290000);
  EXPECT_NEAR(m->spec.params_extra / 1e9, 0.41, 0.02);
  ASSERT_FALSE(m->notes.empty());
  EXPECT_NE(m->notes.front().find("vocabulary size is not given"), std::string::npos) << m->notes.front();
}

TEST(OllamaShow, OllamasOwnArchitectureNamesMapToLlamaCpps) {
  std::string body = R"({"details":{"quantization_level":"MXFP4"},"model_info":{"general.architecture":"gptoss",
    "general.parameter_count":20914757184,"gptoss.block_count":24,"gptoss.context_length":131072,
    "gptoss.embedding_length":2880,"gptoss.attention.head_count":64,"gptoss.attention.head_count_kv":8,
    "gptoss.attention.key_length":64,"gptoss.attention.sliding_window":128,"gptoss.expert_count":32,
    "gptoss.expert_used_count":4,"gptoss.expert_feed_forward_length":2880,"gptoss.vocab_size":201088}})";
  auto m = model_from_ollama_show(body, "gpt-oss:20b");
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->spec.arch, "gpt-oss");
  EXPECT_EQ(m->spec.experts_total, 32);
  EXPECT_EQ(m->spec.experts_active, 4);
  EXPECT_LT(m->spec.params_active, m->spec.params_total / 3) << "4 of 32 experts per token";
  EXPECT_EQ(m->quant, "MXFP4");
  EXPECT_TRUE(m->warnings.empty()) << m->warnings.front();
}

struct BadShow {
  std::string name, body, says;
};

class OllamaShowBad : public ::testing::TestWithParam<BadShow> {};

TEST_P(OllamaShowBad, IsRefusedWithAClearMessage) {
  auto m = model_from_ollama_show(GetParam().body, "m at http://127.0.0.1:11434");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find(GetParam().says), std::string::npos) << m.error().message;
  EXPECT_EQ(m.error().context, "m at http://127.0.0.1:11434");
}

INSTANTIATE_TEST_SUITE_P(
    Answers, OllamaShowBad,
    ::testing::Values(
        BadShow{"html", "<html>not found</html>", "not a JSON object"},
        BadShow{"no_model_info", R"({"details":{"family":"llama"}})", "no model_info"},
        BadShow{"empty_model_info", R"({"model_info":{}})", "no model_info"},
        // What Ollama answers for a cloud model: a few keys, no layers.
        BadShow{"cloud_model", R"({"model_info":{"general.architecture":"gptoss","gptoss.context_length":131072}})",
                "block_count"},
        BadShow{"recurrent", R"({"model_info":{"general.architecture":"mamba","mamba.block_count":64}})", "recurrent"},
        BadShow{"implausible", R"({"model_info":{"general.architecture":"llama","llama.block_count":100000,
                 "llama.embedding_length":4096,"llama.attention.head_count":32}})", "implausible"},
        BadShow{"nested", std::string(100, '[') + std::string(100, ']'), "nests too deeply"},
        BadShow{"huge", "{\"model_info\":{\"x\":\"" + std::string(9u << 20, 'a') + "\"}}", "larger than 8 MiB"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace llmux::catalog
