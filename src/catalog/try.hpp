#pragma once
// Assigns the value of a Result expression to `dst`, or returns its error from
// the enclosing function (which must return a Result).
#define LLMUX_TRY_ASSIGN(dst, expr)             \
  do {                                          \
    auto _llmux_v = (expr);                     \
    if (!_llmux_v) return tl::unexpected(_llmux_v.error()); \
    dst = std::move(*_llmux_v);                 \
  } while (0)

// Returns the error of a Result<void> expression from the enclosing function.
#define LLMUX_TRY_VOID(expr)                    \
  do {                                          \
    auto _llmux_s = (expr);                     \
    if (!_llmux_s) return tl::unexpected(_llmux_s.error()); \
  } while (0)
