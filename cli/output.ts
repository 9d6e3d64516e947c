/**
 * How the CLI writes: plain tables for people, JSON for scripts, warnings and
 * errors on stderr. Colour only when stdout is a terminal, and never with
 * --json, NO_COLOR (https://no-color.org), --no-color or TERM=dumb.
 */
import type { CliIo, OutStream } from "./io.js";

export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** A table cell: text, optionally painted when colour is on. */
export type Cell = string | { text: string; style?: Style | undefined };

export interface OutputOptions {
  json: boolean;
  noColor?: boolean;
}

export function colourWanted(stream: OutStream, env: CliIo["env"], options: OutputOptions): boolean {
  if (options.json || options.noColor) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export function paint(text: string, style: Style | undefined, colour: boolean): string {
  if (!colour || !style || text === "") return text;
  const [on, off] = SGR[style];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

function cellText(cell: Cell): string {
  return typeof cell === "string" ? cell : cell.text;
}

function cellStyle(cell: Cell): Style | undefined {
  return typeof cell === "string" ? undefined : cell.style;
}

/** Cuts text to `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return "";
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export interface TableOptions {
  colour?: boolean;
  /** Terminal width; the last column is cut to fit when given. */
  maxWidth?: number;
}

/**
 * Renders rows under upper-case headers, columns two spaces apart, the last
 * column unpadded (it usually holds free text such as an error message).
 */
export function renderTable(headers: string[], rows: Cell[][], options: TableOptions = {}): string {
  const colour = options.colour ?? false;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => cellText(r[i] ?? "").length)));
  const last = headers.length - 1;
  const lead = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  const lastWidth = options.maxWidth !== undefined ? Math.max(10, options.maxWidth - lead) : Infinity;
  const line = (cells: Cell[], header: boolean): string =>
    cells
      .map((cell, i) => {
        let text = cellText(cell);
        if (i === last) text = truncate(text, lastWidth);
        const padded = i === last ? text : text.padEnd(widths[i] ?? 0);
        return paint(padded, header ? "bold" : cellStyle(cell), colour);
      })
      .join("  ")
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase()), true), ...rows.map((r) => line(r, false))].join("\n");
}

/** "Key:   value" lines, keys aligned. Empty values print as "-". */
export function renderFields(fields: [string, string | null | undefined][]): string {
  const width = Math.max(...fields.map(([k]) => k.length)) + 1;
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${v === null || v === undefined || v === "" ? "-" : v}`).join("\n");
}

export class Output {
  readonly json: boolean;
  readonly colour: boolean;
  readonly stderrColour: boolean;
  private readonly io: CliIo;

  constructor(io: CliIo, options: OutputOptions) {
    this.io = io;
    this.json = options.json;
    this.colour = colourWanted(io.stdout, io.env, options);
    this.stderrColour = colourWanted(io.stderr, io.env, options);
  }

  get stdout(): OutStream {
    return this.io.stdout;
  }

  get stderr(): OutStream {
    return this.io.stderr;
  }

  /** Terminal width when stdout is a terminal, so long cells are cut to fit; else unlimited. */
  get width(): number | undefined {
    return this.io.stdout.isTTY && this.io.stdout.columns ? this.io.stdout.columns : undefined;
  }

  paint(text: string, style: Style | undefined): string {
    return paint(text, style, this.colour);
  }

  /** Writes and waits when the pipe is full, so streaming 100 000 rows does not pile up in memory. */
  async write(text: string): Promise<void> {
    const stream = this.io.stdout;
    if (stream.destroyed) return;
    if (!stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.off("drain", done);
          stream.off("close", done);
          stream.off("error", done);
          resolve();
        };
        stream.once("drain", done);
        stream.once("close", done);
        stream.once("error", done);
      });
    }
  }

  print(text = ""): void {
    this.io.stdout.write(`${text}\n`);
  }

  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  table(headers: string[], rows: Cell[][]): void {
    const width = this.width;
    this.print(renderTable(headers, rows, width === undefined ? { colour: this.colour } : { colour: this.colour, maxWidth: width }));
  }

  warn(text: string): void {
    this.io.stderr.write(`${paint("shoal: warning:", "yellow", this.stderrColour)} ${text}\n`);
  }

  error(text: string): void {
    this.io.stderr.write(`${paint("shoal:", "red", this.stderrColour)} ${text}\n`);
  }

  /** A remark for a person on stderr (kept off stdout so pipes get only data). */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }
}

/** Colour for an outcome word, shared by every table. */
export function statusStyle(status: string | null | undefined): Style | undefined {
  switch (status) {
    case "Success":
    case "Completed":
    case "OK":
    case "ok":
      return "green";
    case "Error":
    case "Failed":
    case "Critical":
    case "error":
      return "red";
    case "Warning":
    case "Unknown":
    case "Cancelled":
    case "Interrupted":
    case "Skipped":
    case "Paused":
      return "yellow";
    case "Running":
    case "Pending":
      return "cyan";
    default:
      return undefined;
  }
}
