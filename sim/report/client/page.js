// The page: charts are made when they come near the viewport (a report may hold thousands),
// each trace's data is parsed from its JSON block only then, and issue links zoom and highlight.

const made = new Map();
const dataCache = new Map();
const states = new Map();

function dataOf(traceId) {
  if (!dataCache.has(traceId)) dataCache.set(traceId, JSON.parse(document.getElementById(traceId + "-data").textContent));
  return dataCache.get(traceId);
}

/** Which runner group's events a trace shows, and the issue being looked at. */
function stateOf(traceId) {
  if (!states.has(traceId)) states.set(traceId, { group: 0, active: null });
  return states.get(traceId);
}

function viewOf(traceId) {
  const tr = dataOf(traceId), st = stateOf(traceId), group = tr.groups[st.group];
  return {
    truth: tr.truth,
    events: group ? group.events : [],
    issues: tr.issues.filter((i) => !group || i.runners.some((r) => group.members.includes(r))),
    active: st.active,
  };
}

function makeChart(el) {
  if (made.has(el)) return made.get(el);
  const traceId = el.dataset.trace, tr = dataOf(traceId), lane = tr.series.lanes[Number(el.dataset.lane)];
  const view = () => viewOf(traceId);
  el.textContent = "";
  const u = tr.series.kind === "gate" ? gateChart(el, lane, tr.series.endMs, view) : shelfChart(el, lane, tr.series.endMs, view);
  made.set(el, u);
  el.dataset.ready = "1";
  return u;
}

function chartsOf(traceId) {
  return [...document.querySelectorAll('.chart[data-trace="' + traceId + '"]')];
}

function redraw(traceId) {
  for (const el of chartsOf(traceId)) if (made.has(el)) made.get(el).redraw(false);
}

function focusIssue(issueId) {
  const traceId = issueId.slice(0, issueId.lastIndexOf("-i"));
  const tr = dataOf(traceId), issue = tr.issues.find((i) => i.id === issueId);
  if (!issue) return;
  const st = stateOf(traceId);
  if (!tr.groups[st.group] || !issue.runners.some((r) => tr.groups[st.group].members.includes(r))) {
    st.group = Math.max(0, tr.groups.findIndex((g) => g.members.includes(issue.runners[0])));
    const select = document.getElementById(traceId + "-runner");
    if (select) select.value = String(st.group);
  }
  st.active = issueId;
  for (const li of document.querySelectorAll(".issues li.current")) li.classList.remove("current");
  const li = document.getElementById(issueId);
  if (li) li.classList.add("current");
  const laneIndex = tr.series.lanes ? tr.series.lanes.findIndex((l) => l.lane === issue.lane) : -1;
  const el = laneIndex >= 0 ? document.getElementById(traceId + "-l" + laneIndex + "-chart") : null;
  if (!el) {
    document.getElementById(traceId).scrollIntoView({ block: "start" });
    return;
  }
  const u = makeChart(el);
  // The zoom window (z0, z1) is where the report kept the lane at full detail.
  u.setScale("x", { min: issue.z0 / 1000, max: Math.min(Math.max(tr.series.endMs, issue.t1), issue.z1) / 1000 });
  redraw(traceId);
  const box = el.closest(".lane");
  box.scrollIntoView({ block: "center" });
  box.classList.remove("flash");
  void box.offsetWidth; // restarts the highlight animation when the same lane is clicked again
  box.classList.add("flash");
  history.replaceState(null, "", "#" + issueId);
}

document.addEventListener("click", (ev) => {
  const a = ev.target.closest("a[data-issue]");
  if (!a) return;
  ev.preventDefault();
  focusIssue(a.dataset.issue);
});

document.addEventListener("change", (ev) => {
  const select = ev.target.closest("select.runner");
  if (!select) return;
  const traceId = select.dataset.trace;
  stateOf(traceId).group = Number(select.value);
  redraw(traceId);
});

const charts = document.querySelectorAll(".chart");
if ("IntersectionObserver" in window) {
  const seen = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      seen.unobserve(e.target);
      makeChart(e.target);
    }
  }, { rootMargin: "400px 0px" });
  for (const el of charts) seen.observe(el);
} else {
  for (const el of charts) makeChart(el);
}

let resizeTimer = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const [el, u] of made) u.setSize({ width: Math.max(300, el.clientWidth), height: CHART_HEIGHT });
  }, 150);
});

if (/^#t\d+-i\d+$/.test(location.hash)) focusIssue(location.hash.slice(1));
