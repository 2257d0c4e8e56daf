// The report's charts, drawn with uPlot (inlined beside this script). Concatenated with page.js
// inside one function by sim/report/report-assets.ts: plain browser JavaScript, no modules.

const COLORS = {
  line: "#1f6feb",
  pick: "#d9480f", put: "#2b8a3e",
  truthPick: "rgba(217,72,15,0.14)", truthPut: "rgba(43,138,62,0.14)",
  miss: "#e03131", phantom: "#9c36b5", count: "#f08c00",
  active: "rgba(255,212,59,0.45)",
  admit: "#868e96",
};
const SIGNAL_COLORS = { beam_outer: "#1c7ed6", beam_inner: "#5f3dc4", door_open: "#e8590c", lock: "#2f9e44", emergency: "#c92a2a" };
const GATE_EVENT_COLORS = { entry: "#2b8a3e", exit: "#1971c2" };
const CHART_HEIGHT = 220;

/** Delta-encoded integers (see sim/report/trace-section.ts) back to values: cumulative sum / scale. */
function decode(deltas, scale) {
  const out = new Array(deltas.length);
  let acc = 0;
  for (let i = 0; i < deltas.length; i++) {
    acc += deltas[i];
    out[i] = acc / scale;
  }
  return out;
}

function fmtS(s) {
  if (s == null) return "–";
  if (Math.abs(s) < 60) return s.toFixed(Math.abs(s) < 10 ? 2 : 1) + " s";
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = (s % 60).toFixed(1).padStart(4, "0");
  return (h > 0 ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + sec;
}

function triangle(c, x, y, size, down, color) {
  c.fillStyle = color;
  c.beginPath();
  c.moveTo(x - size, down ? y - size : y + size);
  c.lineTo(x + size, down ? y - size : y + size);
  c.lineTo(x, down ? y + size : y - size);
  c.closePath();
  c.fill();
}

/** Issue windows: outlined in their kind's colour, the one being looked at filled. */
function drawIssues(u, view, lane, X) {
  const c = u.ctx, b = u.bbox, px = devicePixelRatio || 1;
  for (const issue of view.issues) {
    if (issue.lane !== lane) continue;
    const x0 = X(issue.t0) - 6 * px, x1 = Math.max(X(issue.t1), X(issue.t0)) + 6 * px;
    if (issue.id === view.active) {
      c.fillStyle = COLORS.active;
      c.fillRect(x0, b.top, x1 - x0, b.height);
    }
    c.strokeStyle = COLORS[issue.kind];
    c.lineWidth = (issue.id === view.active ? 3 : 1.5) * px;
    c.setLineDash([4 * px, 3 * px]);
    c.strokeRect(x0, b.top + px, x1 - x0, b.height - 2 * px);
    c.setLineDash([]);
    c.fillStyle = COLORS[issue.kind];
    c.font = `${11 * px}px sans-serif`;
    c.fillText(issue.kind === "count" ? "wrong count" : issue.kind, x0 + 3 * px, b.top + b.height - 5 * px);
  }
}

function withClip(u, draw) {
  const c = u.ctx, b = u.bbox;
  c.save();
  c.beginPath();
  c.rect(b.left, b.top, b.width, b.height);
  c.clip();
  draw(c, b, devicePixelRatio || 1, (ms) => u.valToPos(ms / 1000, "x", true));
  c.restore();
}

/** Truth as shaded windows, detections as triangles at the top (▼ pick, ▲ put) from episode start to event. */
function drawShelfMarks(u, view, lane) {
  withClip(u, (c, b, px, X) => {
    for (const t of view.truth) {
      if (t.lane !== lane) continue;
      const x0 = X(t.t0), x1 = Math.max(X(t.t1), x0 + 2 * px);
      c.fillStyle = t.type === "pick" ? COLORS.truthPick : COLORS.truthPut;
      c.fillRect(x0, b.top, x1 - x0, b.height);
    }
    drawIssues(u, view, lane, X);
    for (const e of view.events) {
      if (e.lane !== lane) continue;
      const color = e.type === "pick" ? COLORS.pick : COLORS.put, x = X(e.t), y = b.top + 9 * px;
      if (e.t0 != null) {
        c.strokeStyle = color;
        c.lineWidth = 2 * px;
        c.beginPath();
        c.moveTo(X(e.t0), y);
        c.lineTo(x, y);
        c.stroke();
      }
      triangle(c, x, y, 6 * px, e.type === "pick", color);
    }
  });
}

function baseOpts(el, series, draw) {
  return {
    width: Math.max(300, el.clientWidth || 800),
    height: CHART_HEIGHT,
    scales: { x: { time: false } },
    series,
    cursor: { drag: { x: true, y: false } },
    hooks: {
      draw: [draw],
      setScale: [(u, key) => {
        if (key !== "x") return;
        el.dataset.xMin = String(u.scales.x.min);
        el.dataset.xMax = String(u.scales.x.max);
      }],
    },
  };
}

/** One shelf lane: its weight in grams over time, truth shaded, detections and issues marked. */
function shelfChart(el, lane, endMs, view) {
  const xs = decode(lane.t10, 10000), ys = decode(lane.g10, 10);
  // Gaps at both ends, so every lane of a trace spans the whole trace and their times line up.
  if (!(xs[0] <= 0)) {
    xs.unshift(0);
    ys.unshift(null);
  }
  if (!(xs[xs.length - 1] >= endMs / 1000)) {
    xs.push(endMs / 1000);
    ys.push(null);
  }
  const opts = baseOpts(el, [
    { label: "time", value: (u, v) => fmtS(v) },
    { label: lane.lane + " weight", stroke: COLORS.line, width: 1.25, value: (u, v) => (v == null ? "–" : v.toFixed(1) + " g") },
  ], (u) => drawShelfMarks(u, view(), lane.lane));
  opts.axes = [{ values: (u, vals) => vals.map(fmtS) }, { size: 64, values: (u, vals) => vals.map((v) => v + " g") }];
  el.dataset.color = COLORS.line; // what the report test looks for on the canvas
  return new uPlot(opts, [xs, ys], el);
}
