// A gate lane's timeline: one row per held signal (beams, door, lock when the replay has it,
// emergency) drawn as steps, and a top row of events: detections ▲, truth ○, admissions ◆.

function stepRows(lane, endMs) {
  const times = new Set([0, endMs]);
  for (const s of lane.signals) for (const t of s.tMs) times.add(t);
  for (const t of lane.admitsMs) times.add(t);
  const xsMs = [...times].sort((a, b) => a - b);
  const n = lane.signals.length;
  const rows = lane.signals.map((s, i) => {
    const base = n - 1 - i, ys = new Array(xsMs.length);
    let k = 0, v = s.v[0];
    for (let j = 0; j < xsMs.length; j++) {
      while (k < s.tMs.length && s.tMs[k] <= xsMs[j]) v = s.v[k++];
      ys[j] = base + 0.7 * v;
    }
    return { name: s.name, base, ys };
  });
  return { xs: xsMs.map((t) => t / 1000), rows };
}

function drawGateMarks(u, view, lane, admitsMs, top) {
  withClip(u, (c, b, px, X) => {
    const Y = (v) => u.valToPos(v, "y", true);
    c.setLineDash([2 * px, 3 * px]);
    c.strokeStyle = COLORS.admit;
    c.lineWidth = px;
    for (const t of admitsMs) {
      c.beginPath();
      c.moveTo(X(t), b.top);
      c.lineTo(X(t), b.top + b.height);
      c.stroke();
    }
    c.setLineDash([]);
    drawIssues(u, view, lane, X);
    for (const t of admitsMs) {
      const x = X(t), y = Y(top + 0.2);
      c.fillStyle = COLORS.admit;
      c.beginPath();
      c.moveTo(x, y - 5 * px);
      c.lineTo(x + 5 * px, y);
      c.lineTo(x, y + 5 * px);
      c.lineTo(x - 5 * px, y);
      c.closePath();
      c.fill();
    }
    for (const t of view.truth) {
      if (t.lane !== lane) continue;
      c.strokeStyle = GATE_EVENT_COLORS[t.type] || COLORS.miss;
      c.lineWidth = 2 * px;
      c.beginPath();
      c.arc(X(t.t0), Y(top + 0.45), 5 * px, 0, 2 * Math.PI);
      c.stroke();
    }
    for (const e of view.events) {
      if (e.lane !== lane) continue;
      triangle(c, X(e.t), Y(top + 0.75), 6 * px, false, GATE_EVENT_COLORS[e.type] || COLORS.miss);
    }
  });
}

function gateChart(el, lane, endMs, view) {
  const { xs, rows } = stepRows(lane, endMs);
  const top = rows.length;
  const series = [{ label: "time", value: (u, v) => fmtS(v) }];
  for (const r of rows) {
    const color = SIGNAL_COLORS[r.name] || "#495057";
    series.push({
      label: r.name, stroke: color, fill: color + "33", width: 1.5, fillTo: r.base, points: { show: false },
      paths: uPlot.paths.stepped({ align: 1 }),
      value: (u, v) => (v == null ? "–" : v - r.base > 0.35 ? "1" : "0"),
    });
  }
  const opts = baseOpts(el, series, (u) => drawGateMarks(u, view(), lane.lane, lane.admitsMs, top));
  opts.scales.y = { range: [-0.15, top + 1] };
  const splits = rows.map((r) => r.base + 0.35).concat([top + 0.45]);
  const names = rows.map((r) => r.name).concat(["events"]);
  opts.axes = [
    { values: (u, vals) => vals.map(fmtS) },
    { size: 90, splits: () => splits, values: () => names, grid: { show: false } },
  ];
  // What the report test looks for on the canvas to know the chart drew its data.
  el.dataset.color = rows.length ? SIGNAL_COLORS[rows[0].name] || "#495057" : COLORS.admit;
  return new uPlot(opts, [xs].concat(rows.map((r) => r.ys)), el);
}
