#include "privacy/vectorscan_runtime.hpp"

#include <dlfcn.h>

#include <cstring>

namespace llmux::privacy::detail {

namespace {

BlockScanner choose() {
  BlockScanner s;
  s.scan = hs_scan;
  s.path = "default";
  hs_populate_platform(&s.platform);
#if defined(__x86_64__)
  bool avx512 = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  if (avx512 && __builtin_cpu_supports("avx2")) {
    if (void* f = dlsym(RTLD_DEFAULT, "avx2_hs_scan")) {
      std::memcpy(&s.scan, &f, sizeof s.scan);
      s.platform.cpu_features &= ~(HS_CPU_FEATURES_AVX512 | HS_CPU_FEATURES_AVX512VBMI);
      s.path = "avx2";
    }
  }
#endif
  return s;
}

}  // namespace

const BlockScanner& block_scanner() {
  static const BlockScanner s = choose();
  return s;
}

}  // namespace llmux::privacy::detail
