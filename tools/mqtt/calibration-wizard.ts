/*
 * The interactive calibration of one cell: empty → tare; known weight → span; a second weight →
 * verify; then commit. Each step says what to do, shows the plate's weight live while it waits
 * for Enter, and explains a refusal in the technician's terms. "q" at any prompt drops what was
 * staged and leaves the device as it was.
 */
import { createInterface, type Interface } from "node:readline";
import { gramsFromCounts, type CellCal } from "../../firmware/core/calibration.ts";
import type { DeviceClient, Reply } from "./device-client.ts";

const HELP: Record<string, string> = {
  unstable: "the plate is still moving (or was touched): let it settle, then try again",
  no_load_change: "the reading hardly changed: is the weight on this plate, and was the plate empty at tare?",
  verify_failed: "the check weight reads wrong with the new calibration",
  bad_field: "the device refused a value",
};

class Quit extends Error {}

function ask(rl: Interface, prompt: string, readout?: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stdout.write(prompt);
    const live = readout && process.stdout.isTTY ? setInterval(() => process.stdout.write(`\r\x1b[K  ${readout()}   `), 200) : undefined;
    rl.once("line", (line) => {
      if (live) clearInterval(live);
      if (line.trim().toLowerCase() === "q") reject(new Quit());
      else resolve(line.trim());
    });
    rl.once("close", () => reject(new Quit()));
  });
}

function explain(r: Reply): string {
  return `  ✗ ${r.error}: ${HELP[r.error ?? ""] ?? r.detail ?? ""}`;
}

/** Runs one step until the device accepts it, or the technician quits. */
async function step(rl: Interface, prompt: string, readout: () => string, send: (answer: string) => Promise<Reply | undefined>): Promise<Reply> {
  for (;;) {
    const answer = await ask(rl, prompt, readout);
    const r = await send(answer);
    if (r === undefined) continue;
    if (r.ok) return r;
    process.stdout.write(explain(r) + "\n");
  }
}

async function grams(rl: Interface, what: string): Promise<number> {
  for (;;) {
    const g = Number(await ask(rl, `  ${what}, in grams: `));
    if (Number.isFinite(g) && g > 0) return g;
    process.stdout.write("  a weight in grams, more than 0 (or q to quit)\n");
  }
}

export async function runWizard(client: DeviceClient, cell: number): Promise<number> {
  const show = await client.command("show");
  if (!show.ok) {
    process.stdout.write(explain(show) + "\n");
    return 1;
  }
  const cal = (show.cells as CellCal[])[cell];
  if (cal === undefined) {
    process.stdout.write(`${client.device} has no cell ${cell} (it has ${(show.cells as unknown[]).length})\n`);
    return 1;
  }
  let raw = NaN;
  client.raw.push((b) => {
    if (b.cell === cell && b.counts.length > 0) raw = b.counts.reduce((a, c) => a + c, 0) / b.counts.length;
  });
  const readout = () => (Number.isFinite(raw) ? `plate now: ${gramsFromCounts(cal, raw).toFixed(1)} g by the old calibration (raw ${Math.round(raw)})` : "waiting for samples…");
  await client.command("stream", { secs: 600 });
  const rl = createInterface({ input: process.stdin, terminal: false });
  process.stdout.write(`Calibrating ${client.device}, cell ${cell}. Type q at any prompt to stop; nothing changes until the last step.\n`);
  // rollback with nothing staged would bring back the previous record: only after a tare.
  let staged = false;
  try {
    await step(rl, "\n1/4  Take everything off the plate. Press Enter when it is empty and still.\n", readout, () => client.command("tare", { cell }));
    staged = true;
    process.stdout.write("  ✓ zero taken\n");
    const known = await grams(rl, "\n2/4  The known weight you will place");
    await step(rl, "  Place it on the plate. Press Enter when it is still.\n", readout, () => client.command("span", { cell, grams: known }));
    process.stdout.write("  ✓ span taken\n");
    const check = await grams(rl, "\n3/4  A different check weight");
    const tol = Math.max(1, check * 0.002);
    const verified = await step(rl, `  Replace the first weight with it. Press Enter when it is still (it must read within ${tol.toFixed(1)} g).\n`, readout, async () => {
      const r = await client.command("verify", { cell, grams: check, tol_g: tol });
      if (!r.ok && r.error === "verify_failed") process.stdout.write(`  it reads ${r.grams} g: check the weights, or q and start again\n`);
      return r;
    });
    process.stdout.write(`  ✓ reads ${verified.grams} g\n`);
    const yes = await ask(rl, "\n4/4  Commit the new calibration? [y/N] ");
    if (yes.toLowerCase() !== "y") throw new Quit();
    const done = await client.command("commit");
    process.stdout.write(done.ok ? "  ✓ committed, and recorded in the device's audit log\n" : explain(done) + "\n");
    return done.ok ? 0 : 1;
  } catch (e) {
    if (!(e instanceof Quit)) throw e;
    if (staged) await client.command("rollback");
    process.stdout.write("\nStopped: the staged changes were dropped; the device keeps its calibration.\n");
    return 1;
  } finally {
    rl.close();
  }
}
