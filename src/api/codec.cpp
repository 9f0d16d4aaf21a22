#include "api/codec.hpp"

#include "api/anthropic_codec.hpp"
#include "api/gemini_codec.hpp"
#include "api/ollama_codec.hpp"
#include "api/openai_codec.hpp"

namespace llmux::api {

std::string_view to_string(Dialect d) {
  switch (d) {
    case Dialect::openai: return "openai";
    case Dialect::anthropic: return "anthropic";
    case Dialect::gemini: return "gemini";
    case Dialect::ollama: return "ollama";
  }
  return "openai";
}

std::optional<Dialect> parse_dialect(std::string_view s) {
  if (s == "openai") return Dialect::openai;
  if (s == "anthropic") return Dialect::anthropic;
  if (s == "gemini") return Dialect::gemini;
  if (s == "ollama") return Dialect::ollama;
  return std::nullopt;
}

std::unique_ptr<ClientCodec> make_client_codec(Dialect d) {
  switch (d) {
    case Dialect::openai: return std::make_unique<openai::ClientCodecImpl>();
    case Dialect::anthropic: return std::make_unique<anthropic::ClientCodecImpl>();
    case Dialect::gemini: return std::make_unique<gemini::ClientCodecImpl>();
    case Dialect::ollama: return std::make_unique<ollama::ClientCodecImpl>();
  }
  return nullptr;
}

std::unique_ptr<ServerCodec> make_server_codec(Dialect d) { return make_server_codec(d, false); }

std::unique_ptr<ServerCodec> make_server_codec(Dialect d, bool annotate) {
  switch (d) {
    case Dialect::openai: return std::make_unique<openai::ServerCodecImpl>(annotate);
    case Dialect::anthropic: return std::make_unique<anthropic::ServerCodecImpl>(annotate);
    case Dialect::gemini: return std::make_unique<gemini::ServerCodecImpl>(annotate);
    case Dialect::ollama: return std::make_unique<ollama::ServerCodecImpl>(annotate);
  }
  return nullptr;
}

}  // namespace llmux::api
