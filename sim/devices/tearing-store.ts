/**
 * A flash store whose writes take steps, and which can lose power between any two of them. A
 * write of a file is: erase it, then append it 16 bytes at a time (as flash file systems write
 * pages). cutAfter(n) lets n more steps through and drops every later one; reboot() gives what
 * survived, as the next boot would find it.
 */
export class TearingStore {
  private readonly files = new Map<string, string>();
  private budget = Infinity;
  /** Write steps taken since the store was made. */
  steps = 0;

  constructor(initial?: Map<string, string>) {
    for (const [k, v] of initial ?? []) this.files.set(k, v);
  }

  cutAfter(steps: number): void {
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
    for (let at = 0; at < data.length; at += 16) {
      const chunk = data.slice(at, at + 16);
      if (!this.step(() => this.files.set(name, (this.files.get(name) ?? "") + chunk))) return false;
    }
    return true;
  }

  erase(name: string): void {
    this.step(() => this.files.delete(name));
  }

  /** What is on flash now, for the next boot. */
  reboot(): TearingStore {
    return new TearingStore(this.files);
  }
}
