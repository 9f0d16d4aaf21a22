#pragma once
// The report's three renderings: self-contained HTML (inline CSS and SVG, no
// scripts, no external resources; prints cleanly, reads on a phone), Markdown,
// and JSON (schema_version 1, docs/report.md).
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "report/report.hpp"

namespace llmux::report {

enum class Format { html, markdown, json };

Result<Format> parse_format(std::string_view name);       // html, markdown (md), json
// By file extension: .md/.markdown -> markdown, .json -> json, .html/.htm or none -> html;
// any other extension is a usage error (a report.pdf would be HTML by another name).
Result<Format> format_for_path(std::string_view path);

std::string render_html(const Report& r);
std::string render_markdown(const Report& r);
std::string render_json(const Report& r);
std::string render(const Report& r, Format f);

}  // namespace llmux::report
