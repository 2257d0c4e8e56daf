import type { ReplayEntry } from "../replay.ts";
import { reportAssets } from "./report-assets.ts";
import type { IssueKind, ReportTrace } from "./report-model.ts";
import { esc } from "./trace-section.ts";

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;padding:16px 24px;max-width:1500px;color:#212529;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0;word-break:break-all}h3{font-size:14px;margin:6px 0 2px}
h3 span,.meta,.none{color:#6c757d;font-weight:normal}
table.summary{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:12px 0}
.summary th,.summary td{padding:3px 8px;border-bottom:1px solid #dee2e6;text-align:right;white-space:nowrap}
.summary th:first-child,.summary td:first-child,.summary td:nth-child(2){text-align:left}
.summary td:first-child{max-width:480px;overflow:hidden;text-overflow:ellipsis}
.summary tfoot td{font-weight:600;border-top:2px solid #adb5bd}
tr.has-issues td:first-child{border-left:3px solid #e03131}
.bad{color:#c92a2a}.n-miss a{color:#e03131}.n-phantom a{color:#9c36b5}.n-count a{color:#e8590c}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;color:#495057;margin:8px 0}
.legend i{font-style:normal;display:inline-block;min-width:14px;text-align:center}
section.trace{border-top:1px solid #ced4da;padding:12px 0}
.body{display:flex;gap:16px;align-items:flex-start}.lanes{flex:1;min-width:0}
.lane{border-radius:6px;padding:2px 4px;margin-bottom:6px}.chart{min-height:220px}
.lane.flash{animation:flash 2.5s ease-out}@keyframes flash{0%,40%{background:#fff3bf;box-shadow:0 0 0 3px #fab005}100%{background:transparent}}
aside.issues{width:360px;flex:none;max-height:720px;overflow:auto;font-size:13px}
.issues ol{margin:0;padding-left:20px}.issues li{margin:3px 0;padding:2px 4px;border-radius:4px}
.issues li.miss b{color:#e03131}.issues li.phantom b{color:#9c36b5}.issues li.count b{color:#e8590c}
.issues li.current{background:#fff3bf}.issues small{color:#6c757d}
.error{color:#c92a2a}.runner-pick{font-size:13px;color:#495057}
`;

const LEGEND = [
  ["#1f6feb", "—", "lane weight (g)"], ["#d9480f", "▼", "detected pick"], ["#2b8a3e", "▲", "detected put"],
  ["rgba(217,72,15,0.5)", "█", "truth pick (hand in to hand out)"], ["rgba(43,138,62,0.5)", "█", "truth put"],
  ["#e03131", "┆", "miss"], ["#9c36b5", "┆", "phantom"], ["#f08c00", "┆", "wrong count"],
  ["#2b8a3e", "▲○", "gate: detected / truth entry"], ["#1971c2", "▲○", "exit"], ["#c92a2a", "▲○", "other gate events"], ["#868e96", "◆", "admission"],
];

const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? "–" : x.toFixed(digits));

function countCell(t: ReportTrace, runner: string, kind: IssueKind): string {
  const mine = t.issues.filter((i) => i.kind === kind && i.runners.includes(runner));
  if (mine.length === 0) return `<td class="n-${kind}">${t.entries[0].truth ? "0" : "–"}</td>`;
  return `<td class="n-${kind}"><a href="#${mine[0].id}" data-issue="${mine[0].id}">${mine.length}</a></td>`;
}

function summaryRow(t: ReportTrace, e: ReplayEntry): string {
  const s = e.score;
  const issues = t.issues.some((i) => i.runners.includes(e.runner));
  const parity = t.parity === null ? "–" : t.parity ? "same" : `<span class="bad">differs</span>`;
  const failed = e.firmwareErrors.length ? ` <span class="bad" title="${esc(e.firmwareErrors.join("\n"))}">firmware failed</span>` : "";
  return `<tr${issues ? ` class="has-issues"` : ""}><td title="${esc(t.file)}"><a href="#${t.id}">${esc(t.file)}</a></td><td>${esc(e.runner)}${failed}</td>` +
    `<td>${e.events.length}</td><td>${e.truth ? e.truth.length : "–"}</td><td>${fmt(s?.precision)}</td><td>${fmt(s?.recall)}</td>` +
    `<td>${fmt(s?.f1)}</td><td>${fmt(s?.count_accuracy)}</td><td>${fmt(s?.grams_mae, 2)}</td><td>${parity}</td>` +
    countCell(t, e.runner, "miss") + countCell(t, e.runner, "phantom") + countCell(t, e.runner, "count") + `</tr>`;
}

/** Per runner, the scores over every trace with truth: matches and events summed, then the ratios. */
function totalRows(traces: ReportTrace[]): string {
  const byRunner = new Map<string, { det: number; truth: number; matched: number; traces: number }>();
  for (const t of traces) for (const e of t.entries) {
    if (!e.score) continue;
    const r = byRunner.get(e.runner) ?? { det: 0, truth: 0, matched: 0, traces: 0 };
    r.det += e.score.detected;
    r.truth += e.score.truth;
    r.matched += e.score.matched;
    r.traces++;
    byRunner.set(e.runner, r);
  }
  return [...byRunner].map(([runner, r]) => {
    const p = r.det ? r.matched / r.det : 1;
    const rc = r.truth ? r.matched / r.truth : 1;
    const f1 = p + rc === 0 ? 0 : (2 * p * rc) / (p + rc);
    return `<tr><td>${r.traces === 1 ? "the 1 trace" : `all ${r.traces} traces`} with truth</td><td>${esc(runner)}</td><td>${r.det}</td><td>${r.truth}</td><td>${fmt(p)}</td><td>${fmt(rc)}</td><td>${fmt(f1)}</td><td colspan="6"></td></tr>`;
  }).join("");
}

/** Everything before the traces' sections: style, title, the summary table, failures, legend. */
export function reportHead(traces: ReportTrace[], failures: { trace: string; message: string }[]): string {
  const runners = [...new Set(traces.flatMap((t) => t.entries.map((e) => e.runner)))];
  const issueCount = traces.reduce((n, t) => n + t.issues.length, 0);
  const failed = failures.length
    ? `<h2 class="bad">${failures.length} trace${failures.length === 1 ? "" : "s"} did not replay</h2><ul>` +
      failures.map((f) => `<li><b>${esc(f.trace)}</b>: ${esc(f.message)}</li>`).join("") + `</ul>`
    : "";
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>aisle replay report</title><link rel="icon" href="data:,"><style>${reportAssets().css}${STYLE}</style></head><body>\n` +
    `<h1>aisle replay report</h1><p class="meta">${traces.length} trace${traces.length === 1 ? "" : "s"} · runners: ${esc(runners.join(", "))} · ` +
    `${issueCount} issue${issueCount === 1 ? "" : "s"} (misses, phantoms, wrong counts)</p>${failed}` +
    `<table class="summary"><thead><tr><th>trace</th><th>runner</th><th>events</th><th>truth</th><th>precision</th><th>recall</th><th>F1</th>` +
    `<th>count acc</th><th>grams MAE</th><th>parity</th><th>misses</th><th>phantoms</th><th>wrong counts</th></tr></thead><tbody>` +
    traces.flatMap((t) => t.entries.map((e) => summaryRow(t, e))).join("") + `</tbody><tfoot>${totalRows(traces)}</tfoot></table>` +
    `<div class="legend">${LEGEND.map(([c, sym, what]) => `<span><i style="color:${c}">${sym}</i> ${what}</span>`).join("")}` +
    `<span>drag across a chart to zoom, double-click to zoom out</span></div>\n`;
}

export function reportTail(): string {
  return `<script>${reportAssets().js}</script></body></html>\n`;
}
