import type { Store } from "../../hal/store";
import { formatInt } from "./format";

/** Counts this boot in the Store ("boot") and returns it: with seq, what a consumer drops duplicates by (docs/mqtt.md). */
export function nextBoot(store: Store): number {
  const n = Number(store.read("boot"));
  const boot = n === n ? n + 1 : 1;
  store.write("boot", formatInt(boot));
  return boot;
}
