#include "sim/routes.hpp"

#include "core/json_writer.hpp"

namespace llmux::sim {

namespace {

bool is_openai_generation(std::string_view p) {
  return p == "/v1/chat/completions" || p == "/chat/completions" || p == "/v1/completions" || p == "/completions";
}

bool is_gemini_generation(std::string_view p) {
  return (p.starts_with("/v1beta/models/") || p.starts_with("/v1/models/")) &&
         (p.ends_with(":generateContent") || p.ends_with(":streamGenerateContent"));
}

std::string openai_models(const SimOptions& o) {
  std::string out;
  JsonWriter j(out);
  j.begin_object().field("object", "list").key("data").begin_array();
  for (const auto& m : o.models)
    j.begin_object().field("id", m).field("object", "model").field("created", 0).field("owned_by", "llmux-sim")
        .field("max_model_len", o.max_context).end_object();
  j.end_array().end_object();
  return out;
}

std::string anthropic_models(const SimOptions& o) {
  std::string out;
  JsonWriter j(out);
  j.begin_object().key("data").begin_array();
  for (const auto& m : o.models)
    j.begin_object().field("type", "model").field("id", m).field("display_name", m)
        .field("created_at", "2025-01-01T00:00:00Z").end_object();
  j.end_array().field("has_more", false);
  j.field("first_id", o.models.empty() ? std::string() : o.models.front());
  j.field("last_id", o.models.empty() ? std::string() : o.models.back()).end_object();
  return out;
}

std::string gemini_models(const SimOptions& o) {
  std::string out;
  JsonWriter j(out);
  j.begin_object().key("models").begin_array();
  for (const auto& m : o.models) {
    j.begin_object().field("name", "models/" + m).field("displayName", m).field("inputTokenLimit", o.max_context);
    j.field("outputTokenLimit", o.max_context).key("supportedGenerationMethods").begin_array();
    j.value("generateContent").value("streamGenerateContent").end_array().end_object();
  }
  j.end_array().end_object();
  return out;
}

// /api/tags (every model) and /api/ps (loaded ones: all of them, in a sim).
std::string ollama_models(const SimOptions& o, bool loaded) {
  std::string out;
  JsonWriter j(out);
  j.begin_object().key("models").begin_array();
  for (const auto& m : o.models) {
    j.begin_object().field("name", m).field("model", m).field("size", 0).field("digest", "llmux-sim");
    j.key("details").begin_object().field("format", "gguf").field("family", "llmux-sim").end_object();
    if (loaded) j.field("size_vram", 0).field("expires_at", "2099-01-01T00:00:00Z");
    else j.field("modified_at", "2025-01-01T00:00:00Z");
    j.end_object();
  }
  j.end_array().end_object();
  return out;
}

}  // namespace

std::optional<api::Dialect> generation_dialect(api::Dialect served, std::string_view method, std::string_view path) {
  if (method != "POST") return std::nullopt;
  using D = api::Dialect;
  switch (served) {
    case D::openai:
      if (is_openai_generation(path)) return D::openai;
      break;
    case D::anthropic:
      if (path == "/v1/messages") return D::anthropic;
      break;
    case D::gemini:
      if (is_gemini_generation(path)) return D::gemini;
      break;
    case D::ollama:
      if (path == "/api/chat" || path == "/api/generate") return D::ollama;
      if (path.starts_with("/v1/") && is_openai_generation(path)) return D::openai;
      break;
  }
  return std::nullopt;
}

std::optional<std::string> side_endpoint(const SimOptions& o, std::string_view method, std::string_view path) {
  if (method != "GET") return std::nullopt;
  using D = api::Dialect;
  bool models = path == "/v1/models" || path == "/models";
  switch (o.dialect) {
    case D::openai:
    case D::ollama:
      if (models) return openai_models(o);
      break;
    case D::anthropic:
      if (models) return anthropic_models(o);
      break;
    case D::gemini:
      if (path == "/v1beta/models") return gemini_models(o);
      if (models) return openai_models(o);
      break;
  }
  if (o.dialect != D::ollama) return std::nullopt;
  if (path == "/api/tags") return ollama_models(o, false);
  if (path == "/api/ps") return ollama_models(o, true);
  if (path == "/api/version") return std::string(R"({"version":"0.0.0-llmux-sim"})");
  return std::nullopt;
}

std::string served_paths(api::Dialect d) {
  switch (d) {
    case api::Dialect::anthropic: return "POST /v1/messages, /v1/messages/count_tokens, GET /v1/models";
    case api::Dialect::gemini:
      return "POST /v1beta/models/{model}:generateContent and :streamGenerateContent?alt=sse, GET /v1beta/models";
    case api::Dialect::ollama:
      return "POST /api/chat, /api/generate, /api/embed, /api/show, /v1/chat/completions, /v1/embeddings, GET /api/tags, /api/ps, /api/version, "
             "/v1/models";
    case api::Dialect::openai: break;
  }
  return "POST /v1/chat/completions, /v1/completions, /v1/embeddings, GET /v1/models";
}

std::string_view base_path(api::Dialect d) {
  switch (d) {
    case api::Dialect::gemini: return "/v1beta";
    case api::Dialect::ollama: return "/api";
    default: return "/v1";
  }
}

std::string response_id(api::Dialect d, std::uint64_t n) {
  switch (d) {
    case api::Dialect::anthropic: return "msg_sim" + std::to_string(n);
    case api::Dialect::gemini: return "sim-response-" + std::to_string(n);
    default: return "chatcmpl-sim" + std::to_string(n);
  }
}

}  // namespace llmux::sim
