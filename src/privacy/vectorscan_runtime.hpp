#pragma once
// Which vectorscan entry point scans a block, and for which CPU features the
// database is compiled.
//
// Vectorscan 5.4.9 (the Debian 12 package) drops matches in its AVX-512 code
// path: patterns led by a character class ("\d{3}-\d{2}-\d{4}", "[A-Z]{3}-\d{4}")
// miss 30-45% of their matches depending on where they sit in the buffer
// (upstream VectorCamp/vectorscan#317; accelerator fixes #375/#378, released in
// 5.4.13). Its fat runtime also exports the AVX2 entry point, which is correct,
// so on CPUs where hs_scan would dispatch to AVX-512 we call avx2_hs_scan and
// compile databases without AVX-512. Built-in triggers are plain literals and
// are matched correctly on either path; user regexes need this.
// tests/privacy/vectorscan_runtime_test.cpp guards it.
#include <hs/hs.h>

namespace llmux::privacy::detail {

using BlockScanFn = hs_error_t (*)(const hs_database_t*, const char*, unsigned, unsigned, hs_scratch_t*,
                                   match_event_handler, void*);

struct BlockScanner {
  BlockScanFn scan = nullptr;
  hs_platform_info_t platform{};  // for hs_compile_multi
  const char* path = "";          // "default" or "avx2", for logs and docs
};

const BlockScanner& block_scanner();

}  // namespace llmux::privacy::detail
