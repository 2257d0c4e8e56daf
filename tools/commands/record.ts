/*
 * aisle record: a live device's raw samples into NAME.trace.csv, the field-to-QA loop. It asks the
 * device (a signed `stream` command, renewed every 10 minutes) to publish its raw batches, and
 * writes the trace only once the recording is whole: nothing half-written on an error or Ctrl-C.
 */
import { renameSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { DeviceClient, DeviceError, type RawBatch } from "../mqtt/device-client.ts";
import { recordingCsv, type ShownCell, type ShownLane } from "../mqtt/raw-recording.ts";
import { UsageError } from "../usage-error.ts";
import { deviceKey } from "./calibrate.ts";

const STREAM_MAX_S = 600;

export async function recordCommand(opts: { broker: string; device?: string; seconds?: string; out?: string; keyFile?: string; tech?: string }): Promise<number> {
  if (!opts.device) throw new UsageError("--device ID is required");
  const seconds = Number(opts.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--seconds needs a number of seconds above 0${opts.seconds === undefined ? "" : `, not "${opts.seconds}"`}`);
  if (!opts.out || !opts.out.endsWith(".trace.csv")) throw new UsageError("--out NAME.trace.csv is required (a shelf trace in trace format 1)");
  const key = deviceKey(opts);
  let client: DeviceClient;
  try {
    client = await DeviceClient.connect(opts.broker, opts.device, key, opts.tech ?? process.env.AISLE_TECH ?? userInfo().username);
  } catch (e) {
    process.stderr.write(`aisle record: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const shown = await client.command("show");
    if (!shown.ok) throw new DeviceError(`${opts.device} refused show: ${shown.error}`);
    const batches: RawBatch[] = [];
    client.raw.push((b) => batches.push(b));
    const recorded = new Date().toISOString();
    // The recording is S seconds of the device's clock, however fast the device or the network goes.
    const wantMs = seconds * 1000;
    let firstDeviceMs = -1;
    let coveredMs = 0;
    const lastMs = () => (batches.length ? batches[batches.length - 1].t_ms : -1);
    while (firstDeviceMs < 0 || lastMs() < firstDeviceMs + wantMs) {
      // A second more than is left: the stream's last batch comes before its end.
      const secs = Math.min(STREAM_MAX_S, Math.ceil((wantMs - coveredMs) / 1000) + 1);
      const r = await client.command("stream", { secs });
      if (!r.ok) throw new DeviceError(`${opts.device} refused stream: ${r.error}`);
      if (firstDeviceMs < 0) firstDeviceMs = r.t_ms;
      coveredMs = r.t_ms + secs * 1000 - firstDeviceMs;
      // Until this stream has run its course on the device's clock, or it stalls.
      const until = r.t_ms + secs * 1000;
      const stallWallMs = Date.now() + secs * 3000 + 10000;
      while (lastMs() < Math.min(until, firstDeviceMs + wantMs)) {
        if (Date.now() > stallWallMs) throw new DeviceError(`${opts.device} sent samples only up to ${lastMs()} ms of its clock, short of ${firstDeviceMs + wantMs}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    const kept = batches.filter((b) => b.t_ms >= firstDeviceMs && b.t_ms <= firstDeviceMs + wantMs);
    const csv = recordingCsv(opts.device, shown.cells as ShownCell[], shown.lanes as ShownLane[], kept, recorded);
    const tmp = `${opts.out}.part`;
    writeFileSync(tmp, csv);
    renameSync(tmp, opts.out);
    process.stdout.write(`aisle record: ${kept.reduce((n, b) => n + b.counts.length, 0)} samples from ${opts.device} → ${opts.out}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof DeviceError) && !(e instanceof Error && e.message.startsWith("no raw samples"))) throw e;
    process.stderr.write(`aisle record: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}
