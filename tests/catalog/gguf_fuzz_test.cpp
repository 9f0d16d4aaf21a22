// Truncated, corrupt and hostile GGUF files: always a clear error, never a
// crash, never a huge allocation. A counting operator new records the largest
// single allocation made while parsing.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>

#include "catalog/gguf_builder.hpp"
#include "catalog/gguf_reader.hpp"
#include "catalog/model_source.hpp"
#include "catalog/safetensors_reader.hpp"

namespace {
std::atomic<bool> g_watch{false};
std::atomic<std::size_t> g_largest{0};
}  // namespace

void* operator new(std::size_t n) {
  if (g_watch.load(std::memory_order_relaxed) && n > g_largest.load(std::memory_order_relaxed)) g_largest = n;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
// The nothrow form too (std::stable_sort's buffer): otherwise it comes from the default
// allocator and goes back through the free() below, which ASan reports as a mismatch.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (g_watch.load(std::memory_order_relaxed) && n > g_largest.load(std::memory_order_relaxed)) g_largest = n;
  return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace llmux::catalog {
namespace {

constexpr std::size_t kAllocLimit = 16u << 20;

struct Watch {
  Watch() { g_largest = 0, g_watch = true; }
  ~Watch() { g_watch = false; }
  std::size_t largest() const { return g_largest; }
};

std::string with_u64_at(std::string s, std::size_t at, std::uint64_t v) {
  std::memcpy(s.data() + at, &v, 8);
  return s;
}

void expect_error(const std::string& bytes, const char* needle) {
  Watch w;
  auto f = parse_gguf(bytes);
  ASSERT_FALSE(f) << "accepted a bad file; expected: " << needle;
  EXPECT_NE(f.error().message.find(needle), std::string::npos) << f.error().message;
  EXPECT_LT(w.largest(), kAllocLimit);
}

TEST(GgufFuzz, TheAllocationWatchSeesLargeAllocations) {
  Watch w;
  std::vector<char> big(kAllocLimit * 2);
  EXPECT_GE(w.largest(), kAllocLimit * 2);  // otherwise the limits below would prove nothing
}

TEST(GgufFuzz, EveryTruncationIsAClearError) {
  std::string file = test::tiny_fuzz_model().build();
  ASSERT_TRUE(parse_gguf(file));
  Watch w;
  for (std::size_t n = 0; n < file.size(); ++n) {
    auto f = parse_gguf(std::string_view(file.data(), n));
    ASSERT_FALSE(f) << "truncated at " << n << " bytes was accepted";
    EXPECT_EQ(f.error().code, ErrorCode::parse) << n;
    EXPECT_FALSE(f.error().message.empty());
  }
  EXPECT_LT(w.largest(), kAllocLimit);
}

TEST(GgufFuzz, TruncationInsideAPrefixAsksForMoreInsteadOfFailing) {
  std::string file = test::tiny_llama().build();
  auto f = parse_gguf(std::string_view(file.data(), 40), file.size());
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().context, "need-more");
}

TEST(GgufFuzz, RandomByteFlipsNeverCrash) {
  const std::string file = test::tiny_fuzz_model().build();
  std::mt19937 rng(1234);
  std::uniform_int_distribution<std::size_t> pos(0, 1200);  // the header and tensor table
  std::uniform_int_distribution<int> byte(0, 255), flips(1, 8);
  int accepted = 0, rejected = 0;
  Watch w;
  for (int i = 0; i < 5000; ++i) {
    std::string s = file;
    for (int k = flips(rng); k > 0; --k) s[pos(rng) % s.size()] = static_cast<char>(byte(rng));
    auto f = parse_gguf(s);
    if (!f) {
      ++rejected;
      EXPECT_FALSE(f.error().message.empty());
      continue;
    }
    ++accepted;
    auto m = model_from_gguf(*f, "fuzz.gguf");  // must not crash either
    if (m) { EXPECT_GE(m->spec.layers, 0); }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_LT(w.largest(), kAllocLimit);
}

TEST(GgufFuzz, HugeCountsAndLengthsAreRefusedBeforeAllocating) {
  const std::string file = test::tiny_llama().build();
  expect_error(with_u64_at(file, 8, std::uint64_t{1} << 40), "tensor count");
  expect_error(with_u64_at(file, 16, std::uint64_t{1} << 40), "metadata count");
  expect_error(with_u64_at(file, 24, std::uint64_t{1} << 62), "length");  // first key's length
}

TEST(GgufFuzz, HugeArrayLengthIsRefused) {
  test::GgufBuilder b;
  b.str_array("tokenizer.ggml.tokens", {"a"});
  std::string s = b.build();
  // magic 4, version 4, counts 16, key len 8 + 21, type 4, elem type 4, then the count.
  expect_error(with_u64_at(s, 4 + 4 + 16 + 8 + 21 + 4 + 4, std::uint64_t{1} << 60), "elements");
}

TEST(GgufFuzz, BadShapesTypesAndPlacementAreNamed) {
  expect_error(test::GgufBuilder().tensor("t", 99, {32}).build(), "unknown GGML type 99");
  expect_error(test::GgufBuilder().tensor("t", 12, {100, 2}).build(), "not a multiple");
  expect_error(test::GgufBuilder().tensor("t", 0, {1, 1, 1, 1, 1}).build(), "dimensions");
  expect_error(test::GgufBuilder().tensor("t", 0, {std::uint64_t{1} << 40, std::uint64_t{1} << 40}).build(), "overflows");
  std::string s = test::GgufBuilder().tensor("t", 0, {64}).build();
  expect_error(s.substr(0, s.size() - 8), "past the end");  // data cut short
  expect_error(test::GgufBuilder().tensor("t", 0, {8}).tensor("t", 0, {8}).build(), "appears twice");
  expect_error(test::GgufBuilder().u32("k", 1).u32("k", 2).build(), "appears twice");
}

TEST(GgufFuzz, WrongMagicVersionsAndEndiannessAreNamed) {
  std::string s = test::tiny_llama().build();
  expect_error("GGML" + s.substr(4), "not a GGUF file");
  std::string v1 = s, be = s, v9 = s;
  v1[4] = 1;
  expect_error(v1, "version 1");
  be[4] = 0, be[7] = 3;
  expect_error(be, "big-endian");
  v9[4] = 9;
  expect_error(v9, "unsupported GGUF version 9");
}

TEST(SafetensorsFuzz, TruncationsAndHostileLengthsAreErrors) {
  std::string json = R"({"__metadata__":{"format":"pt"},"w":{"dtype":"BF16","shape":[2,4],"data_offsets":[0,16]}})";
  std::string file(8, '\0');
  std::uint64_t n = json.size();
  std::memcpy(file.data(), &n, 8);
  file += json + std::string(16, '\0');
  ASSERT_TRUE(parse_safetensors(file, file.size()));
  Watch w;
  for (std::size_t cut = 0; cut < file.size(); ++cut) EXPECT_FALSE(parse_safetensors(file.substr(0, cut), cut)) << cut;
  std::string huge = file;
  std::uint64_t big = std::uint64_t{1} << 50;
  std::memcpy(huge.data(), &big, 8);
  auto h = parse_safetensors(huge, huge.size());
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message.find("past the end"), std::string::npos);
  std::string deep(8, '\0');
  std::string nest(100000, '[');
  std::uint64_t dn = nest.size();
  std::memcpy(deep.data(), &dn, 8);
  deep += nest;
  EXPECT_FALSE(parse_safetensors(deep, deep.size()));
  EXPECT_LT(w.largest(), kAllocLimit);
}

}  // namespace
}  // namespace llmux::catalog
