#pragma once
// Known providers: base URL, dialect, where the key usually lives, locality, and
// the server's quirks (whether it accepts extensions such as ignore_eos, whether it
// takes stream_options, Azure's api-version and api-key header). Chosen by name in
// configs and with --provider.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/codec.hpp"

namespace llmux::providers {

struct Preset {
  std::string name;          // "openai", "llama.cpp", ...
  std::string base_url;      // default base URL
  api::Dialect dialect = api::Dialect::openai;
  std::string key_env;       // usual environment variable ("" = none)
  bool local = false;        // runs on the user's own hardware
  bool accepts_ignore_eos = false;
  std::uint16_t default_port = 0;  // local runtimes: the port `detect` probes
  std::string description;
  std::string default_model;  // cloud: a sensible model when the user names none
  bool stream_usage = true;   // accepts stream_options.include_usage (some reject unknown fields)
  std::string api_version = {};  // Azure: the api-version query every request carries
  std::string auth_header = {};  // a header carrying the bare key instead of the dialect's
  std::vector<std::string> other_key_envs = {};  // other variables people keep the key in
};

const std::vector<Preset>& presets();
// Whether the environment variable is set and not empty (its value is not read further).
bool env_set(const std::string& name);
// The variable a preset's key is read from: key_env when it is set, else the first of
// other_key_envs that is (GOOGLE_API_KEY for gemini); key_env when none is.
std::string key_env_in_use(const Preset& p);
// Every variable a key may be in, for messages: "GEMINI_API_KEY (or GOOGLE_API_KEY)".
std::string key_env_names(const std::string& key_env, const std::vector<std::string>& others);
std::string key_env_names(const Preset& p);
const Preset* find_preset(std::string_view name);
std::vector<std::string> preset_names();

}  // namespace llmux::providers
