#include "report/render.hpp"

#include <filesystem>

#include "core/text.hpp"

namespace llmux::report {

Result<Format> parse_format(std::string_view name) {
  std::string n = to_lower(name);
  if (n == "html") return Format::html;
  if (n == "markdown" || n == "md") return Format::markdown;
  if (n == "json") return Format::json;
  return fail(ErrorCode::usage, "unknown report format '" + std::string(name) + "'", "use --format html, markdown or json");
}

Result<Format> format_for_path(std::string_view path) {
  std::string p = to_lower(path);
  auto ends = [&](std::string_view ext) { return p.size() >= ext.size() && p.compare(p.size() - ext.size(), ext.size(), ext) == 0; };
  if (ends(".md") || ends(".markdown")) return Format::markdown;
  if (ends(".json")) return Format::json;
  if (ends(".html") || ends(".htm")) return Format::html;
  std::string name = std::filesystem::path(p).filename().string();
  if (auto dot = name.rfind('.'); dot != std::string::npos && dot > 0)  // report.pdf would be HTML by another name
    return fail(ErrorCode::usage,
                "cannot tell the report format from '" + std::string(path) +
                    "': name it .html, .md or .json, or pass --format html|markdown|json",
                "--output");
  return Format::html;
}

std::string render(const Report& r, Format f) {
  switch (f) {
    case Format::html: return render_html(r);
    case Format::markdown: return render_markdown(r);
    case Format::json: return render_json(r);
  }
  return {};
}

}  // namespace llmux::report
