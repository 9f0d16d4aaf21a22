#include "privacy/pattern_compiler.hpp"

#include <hs/hs.h>

#include <string>

#include "privacy/char_class.hpp"
#include "privacy/vectorscan_runtime.hpp"

namespace llmux::privacy::detail {

void DatabaseFree::operator()(hs_database* db) const { hs_free_database(db); }

namespace {

struct Expressions {
  std::vector<std::string> text;
  std::vector<unsigned> flags;
  std::vector<PatternRef> refs;
  std::vector<std::size_t> user_pattern;  // config.patterns index, or npos for built-ins

  void add(std::string expr, unsigned f, PatternRef ref, std::size_t pattern) {
    text.push_back(std::move(expr));
    flags.push_back(f);
    refs.push_back(ref);
    user_pattern.push_back(pattern);
  }
};

Expressions collect(const std::vector<BuiltinPattern>& builtins, const PrivacyConfig& config,
                    const std::vector<ClassId>& user_class) {
  Expressions e;
  for (std::size_t i = 0; i < builtins.size(); ++i) {
    e.add(builtins[i].expression, builtins[i].flags, {PatternRef::Kind::builtin, std::uint32_t(i), 0},
          std::string::npos);
  }
  for (std::size_t i = 0; i < config.patterns.size(); ++i) {
    const UserPattern& p = config.patterns[i];
    unsigned ci = p.case_insensitive ? HS_FLAG_CASELESS : 0;
    if (!p.regex.empty()) {
      e.add(p.regex, ci | HS_FLAG_SOM_LEFTMOST, {PatternRef::Kind::user_regex, user_class[i], 0}, i);
      continue;
    }
    for (const auto& k : p.keywords) {
      e.add(keyword_expression(k), ci,
            {PatternRef::Kind::user_keyword, user_class[i], std::uint32_t(k.size())}, i);
    }
  }
  return e;
}

Error compile_error(const hs_compile_error_t* err, const Expressions& e, const PrivacyConfig& config) {
  std::string why = err->message ? err->message : "unknown error";
  if (err->expression < 0 || std::size_t(err->expression) >= e.refs.size() ||
      e.user_pattern[err->expression] == std::string::npos) {
    return Error{ErrorCode::internal, "built-in privacy patterns failed to compile: " + why, {}, 0};
  }
  const UserPattern& p = config.patterns[e.user_pattern[err->expression]];
  std::string what =
      p.regex.empty() ? "keyword '" + e.text[err->expression] + "'" : "regex '" + p.regex + "'";
  return Error{ErrorCode::config,
               "privacy pattern '" + p.name + "': " + what + " is not accepted by vectorscan: " + why +
                   "; fix the expression or use keywords",
               config.where(p.line), 0};
}

}  // namespace

std::string keyword_expression(std::string_view keyword) {
  static constexpr std::string_view kMeta = "\\^$.|?*+()[]{}";
  std::string out;
  if (is_word(keyword.front())) out += "\\b";
  for (char c : keyword) {
    if (kMeta.find(c) != std::string_view::npos) out += '\\';
    if (c == '\n' || c == '\t' || c == '\r') {
      out += c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r";
      continue;
    }
    out += c;
  }
  if (is_word(keyword.back())) out += "\\b";
  return out;
}

Result<CompiledPatterns> compile_patterns(std::vector<BuiltinPattern> builtins, const PrivacyConfig& config,
                                          const std::vector<ClassId>& user_class) {
  CompiledPatterns out;
  Expressions e = collect(builtins, config, user_class);
  out.builtins = std::move(builtins);
  out.refs = e.refs;
  if (e.text.empty()) return out;
  std::vector<const char*> exprs;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < e.text.size(); ++i) {
    exprs.push_back(e.text[i].c_str());
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), e.flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, &block_scanner().platform, &db, &err) != HS_SUCCESS) {
    Error error = compile_error(err, e, config);
    hs_free_compile_error(err);
    return tl::unexpected(error);
  }
  out.db.reset(db);
  // Size one scratch now, so an unusable database fails at config load, not per request.
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
    return fail(ErrorCode::internal, "vectorscan could not allocate scratch space for the privacy patterns");
  }
  hs_free_scratch(scratch);
  return out;
}

}  // namespace llmux::privacy::detail
