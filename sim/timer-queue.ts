/**
 * Timers on the virtual clock, in µs. A binary heap ordered by due time, then by the order the
 * timers were armed, so that timers due together always fire in the same order on every runner.
 */
export interface VirtualTimer {
  id: number;
  dueUs: number;
  periodUs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class TimerQueue {
  private heap: VirtualTimer[] = [];
  private seq = 0;

  add(dueUs: number, periodUs: number, id: number, fn: () => void): VirtualTimer {
    const t: VirtualTimer = { id, dueUs, periodUs, seq: this.seq++, fn, cancelled: false };
    this.push(t);
    return t;
  }

  /** Re-arms a periodic timer after it fired. */
  rearm(t: VirtualTimer): void {
    t.dueUs += t.periodUs;
    t.seq = this.seq++;
    this.push(t);
  }

  peekDueUs(): number {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    return this.heap.length ? this.heap[0].dueUs : Infinity;
  }

  pop(): VirtualTimer | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Forgets every timer (the interpreter was reset). */
  clear(): void {
    for (const t of this.heap) t.cancelled = true;
    this.heap = [];
  }

  get size(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  private less(a: VirtualTimer, b: VirtualTimer): boolean {
    return a.dueUs < b.dueUs || (a.dueUs === b.dueUs && a.seq < b.seq);
  }

  private push(t: VirtualTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
