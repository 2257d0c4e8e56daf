import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const CLIENT = ["charts.js", "gate-chart.js", "page.js"];

let cached: { js: string; css: string } | undefined;

/*
 * uPlot's build opens with a banner naming where it is hosted: the page must hold no external
 * address, so the banner gives way to the licence, which MIT requires to travel with the code.
 */
function uplotJs(): string {
  const js = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8").replace(/^\/\*![^]*?\*\/\s*/, "");
  const version = (JSON.parse(readFileSync(require.resolve("uplot/package.json"), "utf8")) as { version: string }).version;
  const licence = readFileSync(require.resolve("uplot/LICENSE"), "utf8").trim();
  return `/* uPlot ${version} (npm: uplot)\n\n${licence}\n*/\n${js}`;
}

/** The page's script and style, all inline: uPlot, then the report's own client code in one function scope. */
export function reportAssets(): { js: string; css: string } {
  if (cached === undefined) {
    const client = CLIENT.map((f) => readFileSync(new URL(`./client/${f}`, import.meta.url), "utf8")).join("\n");
    cached = {
      js: `${uplotJs()}\n(function () {\n"use strict";\n${client}\n})();\n`,
      css: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    };
    for (const [what, text] of Object.entries(cached)) {
      if (/<\/(script|style)/i.test(text)) throw new Error(`the report's inline ${what} contains a closing tag`);
    }
  }
  return cached;
}
