/**
 * A one-line progress bar for `jobs trigger --wait`, redrawn in place on a
 * terminal's stderr. Off a terminal it draws nothing, so logs and pipes get
 * only the final result.
 */
import type { OutStream } from "./io.js";
import { paint } from "./output.js";

export interface ProgressState {
  done: number;
  total: number;
  failed: number;
  /** Execution state, e.g. "Running". */
  label: string;
  /** What done/total count: "machines", or "tasks" for a job of several steps. */
  unit?: string;
}

/** "[##########----------]  12/40 machines  1 failed  Running", fitted to `width` columns. */
export function renderProgress(state: ProgressState, width: number, colour = false): string {
  const total = Math.max(state.total, state.done);
  const counts = `${state.done}/${total} ${state.unit ?? "machines"}`;
  const failed = state.failed > 0 ? paint(`${state.failed} failed`, "red", colour) : "0 failed";
  const tail = `  ${counts}  ${failed}  ${state.label}`;
  const tailWidth = `  ${counts}  ${state.failed} failed  ${state.label}`.length;
  // One column spare: writing the terminal's last column makes some terminals wrap.
  const barWidth = Math.min(40, width - 1 - tailWidth - 2);
  if (barWidth < 5) return tail.trimStart();
  const filled = total > 0 ? Math.round((state.done / total) * barWidth) : 0;
  return `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]${tail}`;
}

export class ProgressBar {
  private readonly stream: OutStream;
  private readonly colour: boolean;
  private readonly enabled: boolean;
  private drawn = false;
  private last = "";

  /** Draws only when `stream` is a terminal and `enabled` (false with --json). */
  constructor(stream: OutStream, options: { enabled: boolean; colour: boolean }) {
    this.stream = stream;
    this.colour = options.colour;
    this.enabled = options.enabled && stream.isTTY === true;
  }

  update(state: ProgressState): void {
    if (!this.enabled) return;
    const line = renderProgress(state, this.stream.columns ?? 80, this.colour);
    if (line === this.last) return;
    this.last = line;
    // \r back to column 0, ESC[K clears what a longer previous line left behind.
    this.stream.write(`\r${line}\u001b[K`);
    this.drawn = true;
  }

  /** Removes the bar so the final report starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write("\r\u001b[K");
    this.drawn = false;
    this.last = "";
  }
}
