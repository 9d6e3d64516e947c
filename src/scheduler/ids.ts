import { randomBytes } from "node:crypto";

/**
 * Ids like "Job-0mkx3b1c4-000-k3f9": a prefix, the creation time in base 36, a
 * counter that keeps ids from the same millisecond in order, and randomness so
 * two processes never collide. They sort by creation time as plain strings and
 * are safe in URLs and file names.
 */
export class IdGenerator {
  private lastTime = 0;
  private counter = 0;
  /** Random bytes fetched in bulk: one crypto call per id is a measurable cost when a thousand runs start at once. */
  private entropy = Buffer.alloc(0);
  private offset = 0;
  /** "<prefix>-<time>-" of the last id: ids made in the same millisecond share it. */
  private head = "";
  private headPrefix = "";
  private headTime = -1;

  constructor(private readonly now: () => number = Date.now) {}

  next(prefix: string): string {
    let time = Math.max(0, Math.floor(this.now()));
    if (time <= this.lastTime) {
      time = this.lastTime;
      this.counter++;
      if (this.counter >= 36 ** 3) {
        time = ++this.lastTime;
        this.counter = 0;
      }
    } else {
      this.counter = 0;
    }
    this.lastTime = time;
    if (this.offset + 4 > this.entropy.length) {
      this.entropy = randomBytes(4096);
      this.offset = 0;
    }
    const random = this.entropy.readUInt32BE(this.offset).toString(36).padStart(7, "0").slice(-5);
    this.offset += 4;
    if (time !== this.headTime || prefix !== this.headPrefix) {
      this.head = `${prefix}-${time.toString(36).padStart(9, "0")}-`;
      this.headTime = time;
      this.headPrefix = prefix;
    }
    return `${this.head}${this.counter.toString(36).padStart(3, "0")}${random}`;
  }
}

/** What an id given by a caller must look like: URL- and file-name-safe, no "." or ".." names. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
