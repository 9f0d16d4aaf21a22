#pragma once
// Small, pure text helpers shared by every module: splitting, trimming, parsing
// the units users type on the command line and in config files.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace llmux {

std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
std::string to_lower(std::string_view s);
bool starts_with_icase(std::string_view s, std::string_view prefix);
bool equals_icase(std::string_view a, std::string_view b);

// "500ms", "2s", "1.5m", "250us", "3h"; a bare number is in `default_unit` ("ms" or "s").
Result<std::int64_t> parse_duration_ns(std::string_view text, std::string_view default_unit = "s");
// "4096", "64KiB", "1MB", "2GiB".
Result<std::uint64_t> parse_bytes(std::string_view text);
Result<double> parse_double(std::string_view text);
Result<std::int64_t> parse_int(std::string_view text);
// "1,4,16" -> {1,4,16}; each item must parse as a number.
Result<std::vector<double>> parse_number_list(std::string_view text);

// "a, b, c" for join({"a", "b", "c"}, ", ").
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
// Up to `max` candidates closest to `wanted` (substring matches first).
std::vector<std::string> nearest_names(std::string_view wanted, const std::vector<std::string>& candidates,
                                       std::size_t max = 3);
// The "; did you mean: a, b?" that ends "unknown model 'x'", empty when nothing is close.
std::string did_you_mean(std::string_view wanted, const std::vector<std::string>& candidates);

// Human formatting.
std::string format_bytes(double bytes);        // "4.58 GiB"
std::string format_duration_ms(double ms);     // "0.998 ms", "1.00 ms", "12.3 ms", "1.20 s"

// The shortest text that reads back as exactly `v` ("0.1", not "0.10000000000000001");
// "+Inf", "-Inf", "NaN" as Prometheus writes them.
std::string shortest_number(double v);

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote,
// CR or LF; text that a spreadsheet would run as a formula (a leading =, +, -, @, tab or
// CR) gets a leading apostrophe. For text fields, not numbers.
std::string csv_field(std::string_view text);
// Text for a terminal table: control characters as \n, \t or \xNN, so that a name a
// client chose cannot break or forge lines.
std::string printable(std::string_view text);

// A command line a POSIX shell reads back as these arguments: each one that needs it
// single-quoted ("--slo 'ttft:p90<500ms'"), for the commands result files record.
std::string shell_command(const std::vector<std::string>& argv);

}  // namespace llmux
