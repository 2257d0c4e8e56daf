import type { Store } from "../../hal/store.ts";

/**
 * A flash store whose writes take steps, and which can lose power between any two of them. A
 * write of a file is: truncate it to empty (one step), then append it 16 bytes at a time (one
 * step a chunk), as flash file systems program pages; an erase is one step. powerCutAfter(n)
 * lets n more steps through and loses every later one, as a device that lost power would;
 * reboot() gives what survived on flash, as the next boot finds it, with power back.
 */
export class TearingStore implements Store {
  static readonly CHUNK_BYTES = 16;
  private readonly files = new Map<string, string>();
  private budget = Infinity;
  /** Write steps that reached flash since this view was made (a test's total for a save). */
  steps = 0;

  constructor(initial?: Map<string, string>) {
    for (const [k, v] of initial ?? []) this.files.set(k, v);
  }

  /** After `steps` more steps the power goes: every later step is lost. */
  powerCutAfter(steps: number): void {
    this.budget = steps;
  }

  private step(apply: () => void): boolean {
    if (this.budget <= 0) return false;
    this.budget--;
    this.steps++;
    apply();
    return true;
  }

  read(name: string): string | undefined {
    return this.files.get(name);
  }

  write(name: string, data: string): boolean {
    if (!this.step(() => this.files.set(name, ""))) return false;
    for (let at = 0; at < data.length; at += TearingStore.CHUNK_BYTES) {
      const chunk = data.slice(at, at + TearingStore.CHUNK_BYTES);
      if (!this.step(() => this.files.set(name, (this.files.get(name) ?? "") + chunk))) return false;
    }
    return true;
  }

  erase(name: string): void {
    this.step(() => this.files.delete(name));
  }

  /** The files as flash holds them now, for the next boot, with power back on. */
  reboot(): TearingStore {
    return new TearingStore(this.files);
  }
}
