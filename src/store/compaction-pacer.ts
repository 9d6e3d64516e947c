/**
 * When a journal that has grown enough to be folded into a new snapshot is
 * folded: at the first quiet moment (no commit for `quietMs`), not in the
 * middle of a burst of writes. Writing a snapshot serialises and syncs the
 * whole state; a fan-out to 2 000 machines journals every machine's start and
 * outcome, grows the journal past the threshold, and used to pay for a
 * snapshot of the whole history inside its own run (its main thread 270-510
 * ms per warm run with one, 220-270 without). A journal that reaches twice
 * what made it due is folded at once, quiet or not, so a store that is never
 * quiet still compacts and what an open replays stays bounded.
 */
export class CompactionPacer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastCommit = 0;

  constructor(
    /** 0: fold as soon as it is due. */
    private readonly quietMs: number,
    /** Asked to fold now (the store checks again that it still should). */
    private readonly foldNow: () => void,
  ) {}

  /**
   * A commit has just been made. Returns whether the journal is to be folded
   * at once; otherwise, if it is due, a quiet moment will call foldNow.
   */
  committed(due: boolean, urgent: boolean): boolean {
    this.lastCommit = performance.now();
    if (!due) return false;
    if (urgent || this.quietMs === 0) return true;
    this.arm(this.quietMs);
    return false;
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One timer at most: it looks at the last commit when it fires, rather than being re-armed by every commit. */
  private arm(ms: number): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(this.fire, ms);
    // A pending compaction is no reason to keep a process alive: close() writes a snapshot anyway.
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = null;
    const quietFor = performance.now() - this.lastCommit;
    if (quietFor < this.quietMs) this.arm(this.quietMs - quietFor);
    else this.foldNow();
  };
}
