#include "report/html_style.hpp"

namespace llmux::report {

std::string_view report_css() {
  return R"CSS(
:root { --ink:#1d2125; --muted:#5f6b76; --line:#dde2e6; --card:#f6f8fa; --accent:#0072B2;
        --good:#1a7f37; --good-bg:#e6f4ea; --warn:#9a6700; --warn-bg:#fff4d6; --bad:#b42318; --bad-bg:#fdecea; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, Helvetica, Arial, sans-serif; }
.page { max-width: 1120px; margin: 0 auto; padding: 20px 24px 40px; }
.sim-banner { background: var(--warn-bg); color: #5c3d00; border-bottom: 2px solid #e0a800; padding: 8px 24px;
              font-weight: 600; text-align: center; }
header h1 { font-size: 28px; margin: 8px 0 6px; letter-spacing: -0.01em; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); margin: 0; padding: 0; list-style: none; font-size: 14px; }
.meta b { color: var(--ink); font-weight: 600; }
h2 { font-size: 20px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 14px 0 6px; }
.answer { background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--accent);
          border-radius: 8px; padding: 14px 20px 10px; margin-top: 18px; }
.answer h2 { border: 0; margin: 0 0 2px; font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.choice { font-size: 24px; font-weight: 700; margin: 0 0 4px; }
.choice-id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; color: var(--muted); margin: 0 0 8px; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 28px; }
ul { margin: 4px 0 8px; padding-left: 20px; }
li { margin: 2px 0; }
.privacy li { font-weight: 600; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 7px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
thead th { background: var(--card); font-weight: 600; }
tbody tr:last-child td, tbody tr:last-child th { border-bottom: 0; }
tbody th { font-weight: 600; background: #fbfcfd; min-width: 9em; }
#table-side-by-side td { min-width: 11em; }
#table-side-by-side tbody th, #table-side-by-side thead th:first-child { position: sticky; left: 0; z-index: 1; }
#table-levels td:first-child { min-width: 12em; }
td.num { font-variant-numeric: tabular-nums; }
.good { color: var(--good); background: var(--good-bg); font-weight: 600; }
.warn { color: var(--warn); background: var(--warn-bg); font-weight: 600; }
.bad { color: var(--bad); background: var(--bad-bg); font-weight: 600; }
.muted { color: var(--muted); }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px 10px 6px; background: #fff; }
figcaption { font-weight: 600; font-size: 14px; margin: 0 4px 4px; }
figcaption span { display: block; font-weight: 400; color: var(--muted); font-size: 12.5px; }
svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
svg .grid { stroke: #e9edf0; stroke-width: 1; }
svg .axis { stroke: #6b7680; stroke-width: 1; }
svg .tick { font-size: 11px; fill: #4a545d; }
svg .axis-title { font-size: 12px; fill: #2b3238; font-weight: 600; }
svg .legend-text { font-size: 11.5px; fill: #2b3238; }
svg .guide-line { stroke: #7a848d; stroke-width: 1.2; stroke-dasharray: 3 3; }
svg .guide-text, svg .marker-text, svg .bar-note { font-size: 11px; fill: #2b3238; }
svg .bar-label { font-size: 12px; fill: #2b3238; }
svg .bar-label.chosen, svg .bar-note.chosen { font-weight: 700; }
svg .bar-outline { fill: none; stroke: #111; stroke-width: 1.5; }
.method dt { font-weight: 600; }
.method dd { margin: 0 0 6px 0; color: #333; }
pre { background: #f3f5f7; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto;
      font: 12.5px/1.5 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; word-break: break-all; }
footer { margin-top: 36px; color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); padding-top: 10px; }
@media (max-width: 860px) {
  .charts, .cols { grid-template-columns: 1fr; }
}
@media (max-width: 520px) {
  .page { padding: 12px 12px 28px; }
  header h1 { font-size: 23px; }
  .choice { font-size: 20px; }
  table { font-size: 12.5px; }
  th, td { padding: 6px 7px; }
  tbody th { min-width: 7em; }
  #table-side-by-side td { min-width: 9em; }
  .sim-banner { padding: 8px 12px; font-size: 13px; }
}
@page { size: A4; margin: 18mm 12mm 14mm; }
@media print {
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  .sim-banner { padding: 4px; font-size: 9pt; }
  .charts { grid-template-columns: 1fr 1fr; gap: 10px; }
  figure, tr, li, .answer { break-inside: avoid; }
  h2 { break-after: avoid; }
  .table-wrap { overflow: visible; border: 0; }
  table { font-size: 9pt; }
  pre { white-space: pre-wrap; }
}
)CSS";
}

}  // namespace llmux::report
