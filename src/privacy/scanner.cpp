#include "privacy/scanner.hpp"

#include <hs/hs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <new>
#include <set>
#include <stdexcept>

#include "core/text.hpp"
#include "privacy/detectors.hpp"
#include "privacy/normalise.hpp"
#include "privacy/overlap.hpp"
#include "privacy/pattern_compiler.hpp"
#include "privacy/vectorscan_runtime.hpp"

namespace llmux::privacy {

using detail::Builtin;
using detail::PatternRef;

struct Scanner::Impl {
  detail::CompiledPatterns patterns;  // the vectorscan database and what each id means
  std::uint64_t id = 0;               // which database a thread's scratch was sized for
  std::vector<DataClass> classes;
  std::array<ClassId, detail::kBuiltinCount> builtin_class{};
  detail::EnabledSet enabled;
  bool restore = true;
};

namespace {

std::atomic<std::uint64_t> next_scanner_id{1};

struct RawMatch {
  unsigned id;
  std::size_t from;
  std::size_t to;
};

// Per-thread buffers, reused: a scan of clean text allocates nothing.
struct ScanState {
  std::vector<RawMatch> matches;
  detail::Hits hits;
  std::vector<std::size_t> until;  // per pattern: later triggers before this add nothing
  std::vector<Finding> user;
  // The second scan of an obfuscated text (normalise.hpp).
  detail::Normalised normalised;
  detail::Hits normalised_hits;
  std::vector<Finding> normalised_user;
};

// Vectorscan scratch space is per thread. hs_alloc_scratch grows it to fit each
// database it is shown, so one block serves every Scanner this thread uses.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  std::uint64_t sized_for = 0;
  ThreadScratch() = default;
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;
  ~ThreadScratch() {
    if (scratch) hs_free_scratch(scratch);
  }
};

int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) {
  static_cast<std::vector<RawMatch>*>(ctx)->push_back(
      RawMatch{id, static_cast<std::size_t>(from), static_cast<std::size_t>(to)});
  return 0;
}

void run_vectorscan(hs_database_t* db, std::uint64_t db_id, std::string_view text,
                    std::vector<RawMatch>& out) {
  static const detail::BlockScanFn scan_block = detail::block_scanner().scan;
  thread_local ThreadScratch tls;
  if (tls.sized_for != db_id) {
    if (hs_alloc_scratch(db, &tls.scratch) != HS_SUCCESS) throw std::bad_alloc();
    tls.sized_for = db_id;
  }
  if (text.size() > UINT_MAX) throw std::length_error("privacy scan: text larger than 4 GiB");
  hs_error_t rc =
      scan_block(db, text.data(), static_cast<unsigned>(text.size()), 0, tls.scratch, on_match, &out);
  if (rc != HS_SUCCESS) throw std::runtime_error("privacy scan: vectorscan error " + std::to_string(rc));
}

Result<void> validate(const PrivacyConfig& config) {
  std::set<std::string> names;
  for (const auto& d : config.detectors) {
    if (!is_builtin_class(d)) return fail(ErrorCode::config, "unknown detector '" + d + "'", config.file);
    if (!names.insert(d).second)
      return fail(ErrorCode::config, "detector '" + d + "' is listed twice", config.file);
  }
  for (const auto& p : config.patterns) {
    if (!valid_class_name(p.name) || !names.insert(p.name).second) {
      return fail(ErrorCode::config, "pattern name '" + p.name + "' is invalid or already taken",
                  config.where(p.line));
    }
    if (p.regex.empty() == p.keywords.empty()) {
      return fail(ErrorCode::config, "pattern '" + p.name + "' needs exactly one of 'regex' or 'keywords'",
                  config.where(p.line));
    }
  }
  return {};
}

// Merges overlapping matches of the same user class (a regex reports every end).
void merge_user_findings(std::vector<Finding>& user) {
  std::sort(user.begin(), user.end(), [](const Finding& a, const Finding& b) {
    return a.class_id != b.class_id ? a.class_id < b.class_id : a.begin < b.begin;
  });
  std::size_t w = 0;
  for (std::size_t r = 0; r < user.size(); ++r) {
    if (w > 0 && user[w - 1].class_id == user[r].class_id && user[r].begin < user[w - 1].end) {
      user[w - 1].end = std::max(user[w - 1].end, user[r].end);
      continue;
    }
    user[w++] = user[r];
  }
  user.resize(w);
}

std::vector<Finding> to_findings(const detail::Hits& hits, std::vector<Finding>& user,
                                 const std::vector<DataClass>& classes,
                                 const std::array<ClassId, detail::kBuiltinCount>& builtin_class) {
  std::vector<Finding> out;
  if (hits.empty() && user.empty()) return out;
  out.reserve(hits.size() + user.size());
  for (const auto& h : hits) {
    ClassId cls = builtin_class[static_cast<std::size_t>(h.cls)];
    out.push_back(Finding{cls, classes[cls].name, classes[cls].action, h.begin, h.end});
  }
  if (!user.empty()) {
    merge_user_findings(user);
    out.insert(out.end(), user.begin(), user.end());
    std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.begin < b.begin; });
  }
  return out;
}

}  // namespace

Result<Scanner> Scanner::compile(const PrivacyConfig& config) {
  if (auto ok = validate(config); !ok) return tl::unexpected(ok.error());
  auto impl = std::make_shared<Impl>();
  impl->id = next_scanner_id.fetch_add(1);
  impl->restore = config.restore;
  for (const auto& name : config.detectors) {
    Builtin b = *detail::builtin_from_name(name);
    impl->enabled.enable(b);
    impl->builtin_class[static_cast<std::size_t>(b)] = static_cast<ClassId>(impl->classes.size());
    impl->classes.push_back(DataClass{name, config.action_for(name), true});
  }
  std::vector<ClassId> user_class;
  for (const auto& p : config.patterns) {
    user_class.push_back(static_cast<ClassId>(impl->classes.size()));
    impl->classes.push_back(DataClass{p.name, config.action_for(p.name), false});
  }
  auto compiled = detail::compile_patterns(detail::builtin_patterns(impl->enabled), config, user_class);
  if (!compiled) return tl::unexpected(compiled.error());
  impl->patterns = std::move(*compiled);
  return Scanner(std::move(impl));
}

const std::vector<DataClass>& Scanner::classes() const { return impl_->classes; }

std::string Scanner::engine_description() {
  return "vectorscan " + std::string(trim(hs_version())) + ", " + detail::block_scanner().path +
         " entry point";
}
bool Scanner::restore_responses() const { return impl_->restore; }

std::vector<Finding> Scanner::scan(std::string_view text) const {
  thread_local ScanState st;
  const Impl& impl = *impl_;
  // One scan of `input`: triggers and user patterns, the digit pass, confirm steps.
  auto scan_once = [&](std::string_view input, detail::Hits& hits, std::vector<Finding>& user) {
    st.matches.clear();
    // 1. Literal-anchored triggers and user patterns, in one vectorscan pass.
    if (impl.patterns.db) run_vectorscan(impl.patterns.db.get(), impl.id, input, st.matches);
    // 2. Digit-led classes from the SIMD digit-run pass.
    if (impl.enabled.any_digit_class()) detail::scan_digit_classes(input, impl.enabled, hits);
    // 3. Confirm each trigger; skip those inside a span a previous one already examined.
    auto by_end = [](const RawMatch& a, const RawMatch& b) { return a.to != b.to ? a.to < b.to : a.id < b.id; };
    if (!std::is_sorted(st.matches.begin(), st.matches.end(), by_end))
      std::sort(st.matches.begin(), st.matches.end(), by_end);
    st.until.assign(impl.patterns.builtins.size(), 0);
    for (const RawMatch& m : st.matches) {
      const PatternRef& ref = impl.patterns.refs[m.id];
      if (ref.kind == PatternRef::Kind::builtin) {
        const auto& p = impl.patterns.builtins[ref.index];
        std::size_t& until = st.until[p.guard];
        if (m.to - p.length < until) continue;
        until = std::max(m.to, detail::confirm_trigger(p, input, m.to, hits));
        continue;
      }
      const ClassId cls = static_cast<ClassId>(ref.index);
      std::size_t begin = ref.kind == PatternRef::Kind::user_keyword ? m.to - ref.length : m.from;
      user.push_back(Finding{cls, impl.classes[cls].name, impl.classes[cls].action, begin, m.to});
    }
  };
  st.hits.clear();
  st.user.clear();
  scan_once(text, st.hits, st.user);
  if (detail::has_obfuscation_markers(text)) {
    // Zero-width characters, other scripts' digits or a full-width '@': scan a
    // normalised copy as well and map what it finds back to the original bytes.
    detail::normalise(text, st.normalised);
    st.normalised_hits.clear();
    st.normalised_user.clear();
    scan_once(st.normalised.text, st.normalised_hits, st.normalised_user);
    for (detail::Hit h : st.normalised_hits) {
      st.hits.push_back(detail::Hit{h.cls, st.normalised.original_begin(h.begin), st.normalised.original_end(h.end)});
    }
    for (Finding f : st.normalised_user) {
      f.begin = st.normalised.original_begin(f.begin);
      f.end = st.normalised.original_end(f.end);
      st.user.push_back(f);
    }
  }
  // 4. One answer per byte among the built-ins; user classes stand as found.
  detail::resolve_overlaps(st.hits);
  return to_findings(st.hits, st.user, impl.classes, impl.builtin_class);
}

}  // namespace llmux::privacy
