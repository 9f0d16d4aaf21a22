#pragma once
// The traffic a plan is sized for: tokens in and out per request and requests
// per day, as typed on the command line ("in=2000,out=400,requests-per-day=20000").
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace llmux::plan {

struct Workload {
  int input_tokens = 1000;     // prompt tokens per request
  int output_tokens = 250;     // generated tokens per request
  double requests_per_day = 5000;
  double cached_fraction = 0;  // share of input tokens a cloud API bills at the cached price
  bool given = false;          // false: the defaults above, named in the output

  double tokens_per_request() const { return input_tokens + output_tokens; }
  double requests_per_second() const { return requests_per_day / 86400.0; }
  double tokens_per_month() const { return tokens_per_request() * requests_per_day * 30.4375; }
};

// Keys: in, out, requests-per-day (or rpd), cached (0..1). Unknown keys are errors.
Result<Workload> parse_workload(std::string_view text);
std::string describe(const Workload& w);

}  // namespace llmux::plan
