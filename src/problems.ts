/**
 * The collector every validator of untrusted input uses: problems are
 * gathered, not thrown one at a time, so a caller learns everything that is
 * wrong in one answer, each at its JSON pointer.
 */
import { ShoalError, pointer, type ErrorDetail } from "./errors.js";

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

export class Problems {
  readonly list: ErrorDetail[] = [];
  private readonly seen = new Set<string>();

  add(path: string, kind: ErrorDetail["kind"], message: string, value?: unknown): void {
    const key = `${path}\n${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(value === undefined ? { path, kind, message } : { path, kind, message, value });
  }

  /** Flags every property of `input` not in `allowed`; `base` is the pointer of `input`. */
  unknownKeys(input: Obj, allowed: readonly string[], base: string): void {
    for (const key of Object.keys(input)) {
      if (!allowed.includes(key)) this.add(base + pointer(key), "unknown", "is not a known property", key);
    }
  }

  /** A string property: undefined (with a problem noted when required or mistyped) otherwise. */
  string(input: Obj, key: string, base: string, required: boolean): string | undefined {
    const value = input[key];
    if (value === undefined) {
      if (required) this.add(base + pointer(key), "missing", "is required");
      return undefined;
    }
    if (typeof value !== "string") {
      this.add(base + pointer(key), "type", `must be a string, not ${typeName(value)}`, value);
      return undefined;
    }
    return value;
  }

  /** Re-homes the details of an error thrown by a nested validator under `base`. */
  adopt(error: unknown, base: string): void {
    if (error instanceof ShoalError && error.details.length > 0) {
      for (const d of error.details) this.add(base + d.path, d.kind ?? "invalid", d.message, d.value);
    } else {
      this.add(base, "invalid", error instanceof Error ? error.message : String(error));
    }
  }
}
