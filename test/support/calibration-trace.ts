/*
 * A shelf trace for calibrating cell 0 over MQTT: the plate empty, then a known 500 g on it, then
 * a 200 g check weight, as a technician would do it. The trace's header (what the device holds
 * at start) has cell 0 wrongly calibrated; the samples follow the true offset and slope, which a
 * good calibration must find.
 */
export const TRUE_OFFSET = 100_000;
export const TRUE_G_PER_COUNT = 0.002;
/** Virtual ms at which each load starts on cell 0. */
export const PHASES = [
  { fromMs: 0, grams: 0 },
  { fromMs: 12_000, grams: 500 },
  { fromMs: 24_000, grams: 200 },
];
export const TRACE_MS = 40_000;

/** scale stretches or shrinks the phases and the whole (0.5: half as long); totalMs, if given, is the whole's length (the last phase runs on). */
export function calibrationTrace(rateHz = 80, scale = 1, totalMs = TRACE_MS * scale): string {
  const head = [
    "# aisle-trace 1",
    `# kind: "shelf"`,
    `# rate_hz: ${rateHz}`,
    `# unit: "counts"`,
    `# channels: {"p0": {"offset": 90000, "g_per_count": 0.0025}, "p1": {"offset": 0, "g_per_count": 0.002}, "p2": {"offset": 0, "g_per_count": 0.002}, "p3": {"offset": 0, "g_per_count": 0.002}}`,
    "t_ms,p0,p1,p2,p3",
  ];
  const rows: string[] = [];
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 200;
  for (let i = 0; i * (1000 / rateHz) < totalMs; i++) {
    const t = i * (1000 / rateHz);
    const grams = [...PHASES].reverse().find((p) => t >= p.fromMs * scale)!.grams;
    const c0 = Math.round(TRUE_OFFSET + grams / TRUE_G_PER_COUNT + noise());
    rows.push(`${t},${c0},${Math.round(5000 + noise())},${Math.round(6000 + noise())},${Math.round(7000 + noise())}`);
  }
  return head.join("\n") + "\n" + rows.join("\n") + "\n";
}
