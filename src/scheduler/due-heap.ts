/**
 * A binary min-heap of (due instant, key), indexed by key so that re-scheduling
 * or removing one job is O(log n) without leaving stale entries behind. Ties are
 * broken by insertion order, so jobs due at the same instant fire in the order
 * they were scheduled.
 *
 * Each entry carries its own place in the heap: sifting moves entries without a
 * map write per level (with 100 000 jobs a pop sifts 17 levels).
 */
interface Entry<K> {
  readonly key: K;
  due: number;
  seq: number;
  at: number;
}

export class DueHeap<K> {
  private readonly entries: Entry<K>[] = [];
  private readonly byKey = new Map<K, Entry<K>>();
  private seq = 0;

  get size(): number {
    return this.entries.length;
  }

  has(key: K): boolean {
    return this.byKey.has(key);
  }

  dueOf(key: K): number | undefined {
    return this.byKey.get(key)?.due;
  }

  /** Inserts the key, or moves it if it is already there. */
  set(key: K, due: number): void {
    const entry = this.byKey.get(key);
    if (entry === undefined) {
      const added: Entry<K> = { key, due, seq: this.seq++, at: this.entries.length };
      this.entries.push(added);
      this.byKey.set(key, added);
      this.up(added);
      return;
    }
    const earlier = due < entry.due;
    entry.due = due;
    entry.seq = this.seq++;
    if (earlier) this.up(entry);
    else this.down(entry);
  }

  delete(key: K): boolean {
    const entry = this.byKey.get(key);
    if (entry === undefined) return false;
    this.remove(entry);
    return true;
  }

  /** The earliest entry; read it, do not keep it. */
  peek(): { readonly key: K; readonly due: number } | undefined {
    return this.entries[0];
  }

  pop(): { readonly key: K; readonly due: number } | undefined {
    const top = this.entries[0];
    if (top) this.remove(top);
    return top;
  }

  private remove(entry: Entry<K>): void {
    const last = this.entries.pop()!;
    this.byKey.delete(entry.key);
    if (last === entry) return;
    last.at = entry.at;
    this.entries[last.at] = last;
    this.up(last);
    this.down(last);
  }

  private less(a: Entry<K>, b: Entry<K>): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private up(entry: Entry<K>): void {
    let at = entry.at;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = this.entries[parentAt]!;
      if (!this.less(entry, parent)) break;
      this.entries[at] = parent;
      parent.at = at;
      at = parentAt;
    }
    this.entries[at] = entry;
    entry.at = at;
  }

  private down(entry: Entry<K>): void {
    let at = entry.at;
    const n = this.entries.length;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.less(this.entries[right]!, this.entries[left]!) ? right : left;
      const smaller = this.entries[child]!;
      if (!this.less(smaller, entry)) break;
      this.entries[at] = smaller;
      smaller.at = at;
      at = child;
    }
    this.entries[at] = entry;
    entry.at = at;
  }
}
