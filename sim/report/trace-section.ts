import { fmtMs, type ReportTrace, type SeriesOrError } from "./report-model.ts";

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that can sit inside a <script> element: no "</script>", no "<!--". */
export const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

/** Integers as first value then differences: a downsampled series of ~2,000 points stays a few KB. */
function deltas(values: number[], scale: number): number[] {
  let prev = 0;
  return values.map((v) => {
    const q = Math.round(v * scale);
    const d = q - prev;
    prev = q;
    return d;
  });
}

/** The series as the page's script reads them (client/charts.js decodes t10 and g10). */
function pageSeries(series: SeriesOrError): unknown {
  if (series.kind !== "shelf") return series;
  return {
    ...series,
    lanes: series.lanes.map((l) => ({ lane: l.lane, sku: l.sku, unitG: l.unitG, t10: deltas(l.tMs, 10), g10: deltas(l.grams, 10) })),
  };
}

const KIND_NAMES = { miss: "miss", phantom: "phantom", count: "wrong count" } as const;

function issuesHtml(t: ReportTrace, laneAnchor: (lane: string) => string): string {
  if (t.entries.every((e) => e.truth === undefined)) return `<aside class="issues"><p class="none">no truth to score against</p></aside>`;
  if (t.issues.length === 0) return `<aside class="issues"><p class="none">no misses, phantoms or wrong counts</p></aside>`;
  const all = t.entries.length;
  const items = t.issues.map((i) => {
    const who = all > 1 && i.runners.length < all ? ` <small>${esc(i.runners.join(", "))}</small>` : "";
    return `<li id="${i.id}" class="${i.kind}"><a href="#${laneAnchor(i.lane)}" data-issue="${i.id}"><b>${KIND_NAMES[i.kind]}</b> ${esc(i.lane)} ${fmtMs(i.t0Ms)}</a> <span>${esc(i.text)}</span>${who}</li>`;
  });
  return `<aside class="issues"><h3>${t.issues.length} issue${t.issues.length === 1 ? "" : "s"}</h3><ol>${items.join("")}</ol></aside>`;
}

function lanesHtml(t: ReportTrace, series: SeriesOrError): string {
  if (series.kind === "error") return `<p class="error">cannot draw this trace: ${esc(series.message)}</p>`;
  if (series.lanes.length === 0) return `<p class="none">the trace has no lanes</p>`;
  return series.lanes.map((l, i) => {
    const about = "sku" in l ? [l.sku, l.unitG !== undefined ? `${l.unitG} g an item` : undefined].filter((x) => x !== undefined).join(" · ") : "";
    const empty = "tMs" in l && l.tMs.length === 0 ? `<p class="none">no samples</p>` : "";
    return `<div class="lane" id="${t.id}-l${i}"><h3>${esc(l.lane)} <span>${esc(about)}</span></h3>${empty}` +
      `<div class="chart" id="${t.id}-l${i}-chart" data-trace="${t.id}" data-lane="${i}"></div></div>`;
  }).join("");
}

/** One trace: its charts per lane, its issues beside them, and its data for the page's script. */
export function traceSection(t: ReportTrace, series: SeriesOrError): string {
  const laneIndex = new Map(series.kind === "error" ? [] : series.lanes.map((l, i) => [l.lane, i]));
  const laneAnchor = (lane: string) => (laneIndex.has(lane) ? `${t.id}-l${laneIndex.get(lane)}` : t.id);
  const runners = t.entries.map((e) => e.runner).join(", ");
  const facts = [
    series.kind === "error" ? undefined : `${series.kind} · ${series.samples.toLocaleString("en")} samples · ${fmtMs(series.endMs)}`,
    `runners: ${runners}`,
    t.parity === null ? undefined : t.parity ? "parity: same events" : `<b class="bad">parity: the runners differ</b>`,
  ].filter((x) => x !== undefined);
  const groups = t.chart.groups;
  const select = groups.length > 1
    ? `<label class="runner-pick">events of <select class="runner" id="${t.id}-runner" data-trace="${t.id}">` +
      groups.map((g, i) => `<option value="${i}">${esc(g.members.join(", "))}</option>`).join("") + `</select></label>`
    : "";
  const data = { series: pageSeries(series), ...t.chart };
  return `<section class="trace" id="${t.id}"><h2><a href="#${t.id}">${esc(t.file)}</a></h2>` +
    `<p class="meta">${facts.join(" · ")}</p>${select}` +
    `<div class="body"><div class="lanes">${lanesHtml(t, series)}</div>${issuesHtml(t, laneAnchor)}</div>` +
    `<script type="application/json" id="${t.id}-data">${scriptJson(data)}</script></section>\n`;
}
