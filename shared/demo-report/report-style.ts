/** The report's stylesheet: system fonts only (no web fonts offline), one column on a phone. */
export const REPORT_CSS = `
:root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f4f6f8; --card: #fff; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 16px 12px 32px; }
header { margin-bottom: 12px; }
.kicker { margin: 0; color: var(--muted); font-size: .78rem; letter-spacing: .04em; text-transform: uppercase; }
h1 { margin: 2px 0; font-size: 1.45rem; }
h1 .code { color: var(--muted); font-weight: 500; font-size: 1rem; }
h2 { font-size: 1.1rem; margin: 22px 0 8px; }
h3 { font-size: .98rem; margin: 0; }
.en { color: var(--muted); font-size: .8rem; font-weight: 400; margin: 0; }
h2 .en, th .en { display: block; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 8px 10px; }
.card p { margin: 0; }
.card .label { font-weight: 600; font-size: .85rem; }
.card .value { font-size: 1.1rem; font-weight: 700; margin-top: 4px; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 440px), 1fr)); gap: 12px; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px; }
figcaption { margin-bottom: 6px; }
svg { display: block; width: 100%; height: auto; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; padding: 0; font-size: .82rem; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
table { border-collapse: collapse; width: 100%; font-size: .84rem; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; text-align: right; white-space: nowrap; border-bottom: 1px solid var(--line); }
thead th { vertical-align: bottom; background: #fafbfc; }
th[scope="row"], thead th:first-child { text-align: left; position: sticky; left: 0; background: var(--card); }
thead th:first-child { background: #fafbfc; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: 0; }
tfoot th .en { display: block; }
td.mismatch { background: #fdecea; color: #b71c1c; font-weight: 700; }
.hint { margin: 0 0 6px; font-size: .8rem; color: var(--muted); }
.hint .en { display: inline; }
@media (min-width: 1000px) { .hint { display: none; } }
footer { margin-top: 18px; font-size: .8rem; color: var(--muted); }
footer p { margin: 2px 0; }
`;
