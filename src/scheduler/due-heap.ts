/**
 * A binary min-heap of (due instant, key), indexed by key so that re-scheduling
 * or removing one job is O(log n) without leaving stale entries behind. Ties are
 * broken by insertion order, so jobs due at the same instant fire in the order
 * they were scheduled.
 */
interface Entry<K> {
  key: K;
  due: number;
  seq: number;
}

export class DueHeap<K> {
  private readonly entries: Entry<K>[] = [];
  private readonly positions = new Map<K, number>();
  private seq = 0;

  get size(): number {
    return this.entries.length;
  }

  has(key: K): boolean {
    return this.positions.has(key);
  }

  dueOf(key: K): number | undefined {
    const at = this.positions.get(key);
    return at === undefined ? undefined : this.entries[at]!.due;
  }

  /** Inserts the key, or moves it if it is already there. */
  set(key: K, due: number): void {
    const at = this.positions.get(key);
    if (at === undefined) {
      const entry = { key, due, seq: this.seq++ };
      this.entries.push(entry);
      this.positions.set(key, this.entries.length - 1);
      this.up(this.entries.length - 1);
      return;
    }
    const entry = this.entries[at]!;
    const earlier = due < entry.due;
    entry.due = due;
    entry.seq = this.seq++;
    if (earlier) this.up(at);
    else this.down(at);
  }

  delete(key: K): boolean {
    const at = this.positions.get(key);
    if (at === undefined) return false;
    this.removeAt(at);
    return true;
  }

  peek(): { key: K; due: number } | undefined {
    const top = this.entries[0];
    return top && { key: top.key, due: top.due };
  }

  pop(): { key: K; due: number } | undefined {
    const top = this.entries[0];
    if (!top) return undefined;
    this.removeAt(0);
    return { key: top.key, due: top.due };
  }

  private removeAt(at: number): void {
    const removed = this.entries[at]!;
    const last = this.entries.pop()!;
    this.positions.delete(removed.key);
    if (at === this.entries.length) return;
    this.entries[at] = last;
    this.positions.set(last.key, at);
    this.up(at);
    this.down(this.positions.get(last.key)!);
  }

  private less(a: Entry<K>, b: Entry<K>): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private up(at: number): void {
    const entry = this.entries[at]!;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = this.entries[parentAt]!;
      if (!this.less(entry, parent)) break;
      this.entries[at] = parent;
      this.positions.set(parent.key, at);
      at = parentAt;
    }
    this.entries[at] = entry;
    this.positions.set(entry.key, at);
  }

  private down(at: number): void {
    const entry = this.entries[at]!;
    const n = this.entries.length;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.less(this.entries[right]!, this.entries[left]!) ? right : left;
      const smaller = this.entries[child]!;
      if (!this.less(smaller, entry)) break;
      this.entries[at] = smaller;
      this.positions.set(smaller.key, at);
      at = child;
    }
    this.entries[at] = entry;
    this.positions.set(entry.key, at);
  }
}
