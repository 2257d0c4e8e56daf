/*
 * Hostile command payloads, from a seed: random bytes; good signed commands mutated, truncated
 * or extended; CBOR of every wrong shape; huge declared lengths and deep nesting; well-formed
 * commands with a forged MAC; and signed commands whose fields are wrong (NaN, out of range, an
 * unknown lane or command). None of them may change the device, and each must get a refusal.
 */
import { Encoder } from "cbor-x";
import { signCommand, type CommandBody } from "../../tools/mqtt/signed-command.ts";

const encoder = new Encoder({ useRecords: false, tagUint8Array: false });

class Lcg {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s * 1103515245 + 12345) % 2 ** 31;
    return this.s / 2 ** 31;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
}

function randomValue(r: Lcg, depth: number): unknown {
  switch (r.int(depth > 3 ? 5 : 8)) {
    case 0: return r.int(2 ** 31) - 2 ** 30;
    case 1: return r.next() * 1e6 - 5e5;
    case 2: return r.bytes(r.int(40)).toString("latin1");
    case 3: return r.bytes(r.int(40));
    case 4: return [null, true, false, NaN, Infinity][r.int(5)];
    case 5: return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1));
    default: {
      const keys = ["v", "dev", "ctr", "exp_ms", "id", "tech", "cmd", "cell", "grams", "x"];
      return Object.fromEntries(Array.from({ length: r.int(8) }, () => [keys[r.int(keys.length)], randomValue(r, depth + 1)]));
    }
  }
}

export interface FuzzTarget {
  device: string;
  key: Buffer;
  /** A deadline and boot the device accepts now, for the signed ones. */
  expMs: number;
  boot: number;
  lanes: string[];
  /** The last counter the device accepted: the signed ones go above it. */
  ctr: number;
}

/** n payloads, each one the device must refuse without changing anything. */
export function* hostileCommands(seed: number, n: number, t: FuzzTarget): Generator<Buffer> {
  const r = new Lcg(seed);
  let ctr = t.ctr + 1;
  const good = (fields: Partial<CommandBody>): CommandBody => ({ dev: t.device, ctr: ctr++, exp_ms: t.expMs, boot: t.boot, id: `f${ctr}`, tech: "fuzz", cmd: "show", ...fields });
  for (let i = 0; i < n; i++) {
    const kind = i % 8;
    if (kind === 0) {
      yield r.bytes(r.int(200));
    } else if (kind === 1 || kind === 2) {
      // A real command signed with the wrong key, then damaged: a byte flipped, cut short or run on.
      const bytes = Buffer.from(signCommand(r.bytes(32), good({ cmd: "tare", cell: 0 })));
      const how = r.int(3);
      if (how === 0) bytes[r.int(bytes.length)] ^= 1 + r.int(255);
      yield how === 1 ? bytes.subarray(0, r.int(bytes.length)) : how === 2 ? Buffer.concat([bytes, r.bytes(1 + r.int(8))]) : bytes;
    } else if (kind === 3) {
      yield Buffer.from(encoder.encode(randomValue(r, 0)));
    } else if (kind === 4) {
      const hostile = [
        Buffer.from("5bffffffffffffffff", "hex"), Buffer.from("9affffffff", "hex"), Buffer.from("bbffffffffffffffff", "hex"),
        Buffer.alloc(1 + r.int(2000), 0x81), Buffer.from("82" + "5a7fffffff", "hex"), Buffer.from("9f9f9f9f", "hex"), Buffer.from("c1c2c3", "hex"),
      ];
      yield hostile[r.int(hostile.length)];
    } else if (kind === 5) {
      yield Buffer.from(encoder.encode([encoder.encode({ v: 1, ...good({ cmd: "commit" }) }), r.bytes(32)]));
    } else {
      // Signed with the device's own key, but a field is wrong: refused before anything acts, the counter untouched.
      const bad: Partial<CommandBody>[] = [
        { cmd: "span", cell: 0, grams: NaN }, { cmd: "span", cell: 0, grams: -5 }, { cmd: "span", cell: 99, grams: 500 },
        { cmd: "tare", cell: 1.5 }, { cmd: "tare" }, { cmd: "set_lane", lane: "no-such-lane", unit_g: 10 },
        { cmd: "set_lane", lane: t.lanes[0], unit_g: Infinity }, { cmd: "config", key: "health_period_s", value: 1 },
        { cmd: "config", key: "nope", value: 60 }, { cmd: "stream", secs: 100000 }, { cmd: "self_destruct" },
        { cmd: "verify", cell: 0, grams: 200, tol_g: 0 }, { cmd: "set_lane", lane: t.lanes[0], unit_g: 10, sku: "tab\there" },
      ];
      yield signCommand(t.key, good(bad[r.int(bad.length)]));
    }
  }
}
