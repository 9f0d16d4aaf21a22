#pragma once
// Private to sim/: which paths the sim answers in each dialect. Generation paths
// go to the dialect's server codec; model lists and version endpoints are answered
// here in the dialect's own shape. An Ollama sim also answers the OpenAI paths
// under /v1, as Ollama does. Pure: no sockets.
#include <optional>
#include <string>
#include <string_view>

#include "api/codec.hpp"
#include "sim/options.hpp"

namespace llmux::sim {

// The dialect whose codec handles a generation request, or nullopt when the
// method and path are not a generation endpoint of this sim.
std::optional<api::Dialect> generation_dialect(api::Dialect served, std::string_view method, std::string_view path);

// The JSON body of a model list or version endpoint, or nullopt.
std::optional<std::string> side_endpoint(const SimOptions& o, std::string_view method, std::string_view path);

// The paths a sim of this dialect serves, for 404 messages.
std::string served_paths(api::Dialect d);

// The base URL a client of this dialect uses ("/v1", "/v1beta", "/api").
std::string_view base_path(api::Dialect d);

// Response id prefixes as each API writes them ("chatcmpl-", "msg_", ...).
std::string response_id(api::Dialect d, std::uint64_t n);

}  // namespace llmux::sim
