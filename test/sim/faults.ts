/**
 * Misbehaviour a simulated BMC can be told to show. A fault with `times` hits
 * that many matching requests and then the BMC recovers; without `times` it
 * lasts until cleared. `methods` narrows it (e.g. only PATCH).
 */

export type SimMethod = "GET" | "PATCH" | "POST" | "DELETE";

interface Scoped {
  /** Hit this many matching requests, then recover. Default: until cleared. */
  times?: number;
  /** Only requests with these methods. Default: every request. */
  methods?: SimMethod[];
}

export type SimFault =
  /** Answer with this status and a bmcweb-like error body (500, 503, 429, 400...). */
  | (Scoped & { kind: "status"; status: number; retryAfter?: string })
  /** Accept the request and never answer. */
  | (Scoped & { kind: "hang" })
  /** Reset the TCP connection (RST) instead of answering. */
  | (Scoped & { kind: "reset" })
  /** Answer 200 with a body that is not valid JSON (and do not apply a PATCH). */
  | (Scoped & { kind: "malformedJson" })
  /** Close the listening socket: connections are refused until the fault is cleared. */
  | { kind: "refuse" };

/** Counts down a fault's budget; decides whether a request is hit. */
export class FaultSlot {
  private fault: SimFault | null = null;
  private remaining = Infinity;

  set(fault: SimFault | null): void {
    this.fault = fault;
    this.remaining = fault && fault.kind !== "refuse" && fault.times !== undefined ? fault.times : Infinity;
  }

  get current(): SimFault | null {
    return this.fault;
  }

  /** The fault to apply to this request, if any; consumes one unit of its budget. */
  take(method: string): Exclude<SimFault, { kind: "refuse" }> | null {
    const f = this.fault;
    if (!f || f.kind === "refuse") return null;
    if (f.methods && !f.methods.includes(method as SimMethod)) return null;
    if (this.remaining <= 0) return null;
    this.remaining -= 1;
    if (this.remaining <= 0) this.fault = null;
    return f;
  }
}
