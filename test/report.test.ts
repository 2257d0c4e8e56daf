import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateDemo } from "../sim/gen/gate-demo.ts";
import type { ReplayEntry } from "../sim/replay.ts";
import { writeReport } from "../sim/report/write-report.ts";
import { scoreEvents, type DetectedEvent } from "../sim/score.ts";
import { Random } from "../sim/gen/random.ts";
import { buildScene } from "../sim/gen/shelf-scenarios.ts";
import { renderShelf } from "../sim/gen/shelf-render.ts";

/*
 * The HTML replay report, opened in a real headless Chromium (Debian's, driven by playwright-core;
 * scripts/setup-debian.sh installs it). The traces: a clean shelf trace, a gate trace, and a shelf
 * trace whose truth holds one more pick than happened, so the report has a miss to show.
 */

// The functions given to page.evaluate run in the page; the host tsconfig has no DOM library.
declare const document: any, window: any, location: any;

const aisle = (...args: string[]) => spawnSync(process.execPath, ["tools/aisle.mjs", ...args], { encoding: "utf8" });

let dir: string;
let report: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aisle-report-"));
  for (const [scenario, name] of [["single", "clean"], ["two-lanes", "missed"]]) {
    const out = renderShelf(buildScene(scenario, { seed: 4, rateHz: 80, durationS: 60 }), new Random(5));
    writeFileSync(join(dir, `${name}.trace.csv`), out.trace);
    writeFileSync(join(dir, `${name}.truth.jsonl`), out.truth);
  }
  const firstLine = readFileSync(join(dir, "missed.truth.jsonl"), "utf8").split("\n")[0];
  const lane = (JSON.parse(firstLine) as { lane: string }).lane;
  appendFileSync(join(dir, "missed.truth.jsonl"), JSON.stringify({ type: "pick", lane, t_start_ms: 58000, t_end_ms: 58600, grams: -500, count: 1 }) + "\n");
  const gate = gateDemo(5, 6);
  writeFileSync(join(dir, "gate.trace.csv"), gate.trace);
  writeFileSync(join(dir, "gate.truth.jsonl"), gate.truth);
  report = join(dir, "report.html");
  const r = aisle("replay", join(dir, "clean.trace.csv"), join(dir, "gate.trace.csv"), join(dir, "missed.trace.csv"), "--report", report);
  // Only the report is under test here: whatever the firmware detects, the extra truth pick is a miss.
  expect(r.stderr).not.toContain("cannot write the report");
  expect(existsSync(report)).toBe(true);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
});

afterAll(async () => {
  await browser?.close();
});

/** A page that records console errors, page errors and every request that is not for a file. */
async function open(url: string): Promise<{ page: Page; problems: string[]; network: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const problems: string[] = [];
  const network: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (req) => {
    if (!req.url().startsWith("file:") && !req.url().startsWith("data:")) network.push(req.url());
  });
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith("file:")) return route.continue();
    network.push(u);
    return route.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, problems, network };
}

/** Pixels of the chart's data colour on its canvas: a chart that drew its series has many. */
const dataPixels = (page: Page, id: string) => page.evaluate((chartId) => {
  const el = document.getElementById(chartId)!;
  const canvas = el.querySelector("canvas")!;
  const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
  const hex = el.dataset.color!;
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 200 && Math.abs(data[i] - want[0]) + Math.abs(data[i + 1] - want[1]) + Math.abs(data[i + 2] - want[2]) < 40) n++;
  }
  return n;
}, id);

describe("the HTML replay report", () => {
  it("is one file with no external address", () => {
    const html = readFileSync(report, "utf8");
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/url\(/i);
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href === "data:," || href.startsWith("#"), href).toBe(true);
    // Downsampled series, not the trace: 2,000 points a lane, and up to 800 more where an issue is.
    const blocks = [...html.matchAll(/<script type="application\/json" id="t\d+-data">(.*?)<\/script>/g)].map((m) => JSON.parse(m[1]));
    expect(blocks).toHaveLength(3);
    for (const b of [blocks[0], blocks[2]]) {
      for (const lane of b.series.lanes) {
        const issues = b.issues.filter((i: { lane: string }) => i.lane === lane.lane).length;
        expect(lane.t10.length).toBeLessThanOrEqual(2000 + Math.min(8000, 800 * issues));
      }
    }
  });

  it("loads with no errors or requests, every chart draws its data, and a miss link zooms to the miss", async () => {
    const { page, problems, network } = await open(pathToFileURL(report).href);
    const charts = await page.locator(".chart").evaluateAll((els) => els.map((e) => e.id));
    const lanes = await page.evaluate(() => [0, 1, 2].map((i) => JSON.parse(document.getElementById(`t${i}-data`)!.textContent!).series.lanes.length));
    expect(lanes[1]).toBe(1); // the gate has one lane
    expect(charts.length).toBe(lanes[0] + lanes[1] + lanes[2]);
    for (const id of charts) {
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      await page.waitForSelector(`#${id}[data-ready="1"] canvas`);
      expect(await dataPixels(page, id), id).toBeGreaterThan(100);
    }
    await page.screenshot({ path: "test-artifacts/report-full.png", fullPage: true });

    await page.evaluate(() => window.scrollTo(0, 0));
    const link = page.locator("#t2 li.miss a[data-issue]").last();
    const issueId = (await link.getAttribute("data-issue"))!;
    const issue = await page.evaluate((id) => {
      const data = JSON.parse(document.getElementById("t2-data")!.textContent!);
      const i = data.issues.find((x: { id: string }) => x.id === id);
      return { ...i, lane: data.series.lanes.findIndex((l: { lane: string }) => l.lane === i.lane), endMs: data.series.endMs };
    }, issueId);
    expect(issue.t0).toBe(58000);
    const inView = () => page.evaluate((laneId) => {
      const r = document.getElementById(laneId)!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, `t2-l${issue.lane}`);
    await link.scrollIntoViewIfNeeded();
    expect(await inView()).toBe(false);
    await link.click();
    expect(await inView()).toBe(true);
    const chart = page.locator(`#t2-l${issue.lane}-chart`);
    const xMin = Number(await chart.getAttribute("data-x-min"));
    const xMax = Number(await chart.getAttribute("data-x-max"));
    expect(xMin).toBeLessThanOrEqual(issue.t0 / 1000);
    expect(xMax).toBeGreaterThanOrEqual(issue.t1 / 1000);
    expect(xMax - xMin).toBeLessThan(issue.endMs / 2000);
    expect(await page.locator(`li#${issueId}`).getAttribute("class")).toContain("current");
    expect(await page.evaluate(() => location.hash)).toBe(`#${issueId}`);
    mkdirSync("test-artifacts", { recursive: true });
    await page.screenshot({ path: "test-artifacts/report.png" });

    expect(problems).toEqual([]);
    expect(network).toEqual([]);
    await page.close();
  });

  it("opens at an issue named in the address, zoomed", async () => {
    const { page, problems } = await open(pathToFileURL(report).href + "#t2-i0");
    const chart = page.locator("#t2 .chart[data-ready='1']").first();
    await chart.waitFor();
    expect(await chart.getAttribute("data-x-min")).not.toBeNull();
    expect(await page.locator("li#t2-i0").getAttribute("class")).toContain("current");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows the events of the runners that saw an issue when runners disagree", async () => {
    // Entries made by hand: lua51 publishes one put more than source, a phantom only it has.
    const truth = [{ type: "pick", lane: "A1", tStartMs: 10_000, tEndMs: 11_000, grams: -704, count: 2 }];
    const pick = { type: "pick", lane: "A1", t_ms: 11_500, t_start_ms: 10_100, grams: -352, count: 1 };
    const put = { type: "put", lane: "A1", t_ms: 40_000, t_start_ms: 39_000, grams: 352, count: 1 };
    const entry = (runner: "source" | "lua51", events: DetectedEvent[]): ReplayEntry => ({
      trace: "data/demo/shelf-demo.trace.csv", runner, board: "-", samples: 3, events, payloads: events.map((e) => JSON.stringify(e)),
      health: [], outputs: [], truth, score: scoreEvents("shelf", events, truth), wallMs: 0, firmwareErrors: [],
    });
    const out = join(dir, "differ.html");
    writeReport(out, [entry("source", [pick]), entry("lua51", [pick, put])]);
    const { page, problems, network } = await open(pathToFileURL(out).href);
    expect(await page.locator("li.count").count()).toBe(1);
    const phantom = page.locator("li.phantom a[data-issue]");
    expect(await phantom.count()).toBe(1);
    expect(await page.locator("#t0-runner").inputValue()).toBe("0");
    await phantom.click();
    expect(await page.locator("#t0-runner option:checked").textContent()).toBe("lua51");
    expect(await dataPixels(page, "t0-l0-chart")).toBeGreaterThan(20);
    expect(problems).toEqual([]);
    expect(network).toEqual([]);
    await page.close();
  });

  it("refuses a report in a folder that does not exist before replaying anything", () => {
    const r = aisle("replay", "data/demo/gate-demo.trace.csv", "--report", join(dir, "nowhere", "r.html"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--report: no such folder");
    expect(r.stdout).toBe("");
  });
});
