/** A binary min-heap of (due time, slot), so thousands of targets share one timer. */
export class DueHeap {
  readonly #due: number[] = [];
  readonly #slot: number[] = [];

  get size(): number {
    return this.#due.length;
  }

  peekDue(): number | undefined {
    return this.#due[0];
  }

  push(due: number, slot: number): void {
    this.#due.push(due);
    this.#slot.push(slot);
    let i = this.#due.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.#due[p]! <= this.#due[i]!) break;
      this.#swap(i, p);
      i = p;
    }
  }

  /** Removes and returns the earliest entry. */
  pop(): { due: number; slot: number } | undefined {
    if (this.#due.length === 0) return undefined;
    const top = { due: this.#due[0]!, slot: this.#slot[0]! };
    const lastDue = this.#due.pop()!;
    const lastSlot = this.#slot.pop()!;
    if (this.#due.length > 0) {
      this.#due[0] = lastDue;
      this.#slot[0] = lastSlot;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.#due.length && this.#due[l]! < this.#due[m]!) m = l;
        if (r < this.#due.length && this.#due[r]! < this.#due[m]!) m = r;
        if (m === i) break;
        this.#swap(i, m);
        i = m;
      }
    }
    return top;
  }

  #swap(a: number, b: number): void {
    [this.#due[a], this.#due[b]] = [this.#due[b]!, this.#due[a]!];
    [this.#slot[a], this.#slot[b]] = [this.#slot[b]!, this.#slot[a]!];
  }
}

/**
 * Start offsets that spread the targets of each interval evenly over it (target k of n with
 * interval I starts at k·I/n), ordered by id so the plan is the same after a restart.
 */
export function staggerOffsets(targets: { id: string; intervalMs: number }[]): Map<string, number> {
  const byInterval = new Map<number, string[]>();
  for (const t of targets) {
    const list = byInterval.get(t.intervalMs) ?? [];
    list.push(t.id);
    byInterval.set(t.intervalMs, list);
  }
  const out = new Map<string, number>();
  for (const [interval, ids] of byInterval) {
    ids.sort();
    ids.forEach((id, k) => out.set(id, Math.floor((k * interval) / ids.length)));
  }
  return out;
}
