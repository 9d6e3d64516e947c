/**
 * One request through an undici dispatcher, answered with its status, headers
 * and whole body as text: what every BMC request needs, without what undici's
 * request() adds around it for a caller that streams (a Readable per
 * response, an async resource, an abort listener per request). Aborting goes
 * through shared-abort.ts: one listener per signal, not one per request.
 *
 * Timeouts and the size limit stay undici's (the client's headersTimeout,
 * bodyTimeout and maxResponseSize): their errors arrive here as they would
 * from request().
 */
import { errors, type Dispatcher } from "undici";
import { onAbort } from "./shared-abort.js";

export interface TextResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends `options` through `dispatcher`; `signal` aborts it (before it starts, or while it runs). */
export function requestText(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: AbortSignal | undefined): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(options, new TextHandler(resolve, reject, signal));
  });
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The body as UTF-8 text, without a byte order mark (as undici's body.text() reads it). */
function decode(chunks: Buffer[], length: number): string {
  if (length === 0) return "";
  const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
  const start = buffer.length > 2 && buffer[0] === UTF8_BOM[0] && buffer[1] === UTF8_BOM[1] && buffer[2] === UTF8_BOM[2] ? 3 : 0;
  return buffer.toString("utf8", start);
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new errors.RequestAbortedError();
}

class TextHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  /** Set when the signal fired before undici started the request: it is aborted as it starts. */
  private abortedFor: { reason: unknown } | null = null;
  private readonly stopWatching: () => void;
  private statusCode = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private readonly chunks: Buffer[] = [];
  private length = 0;

  constructor(
    private readonly resolve: (response: TextResponse) => void,
    private readonly reject: (error: Error) => void,
    signal: AbortSignal | undefined,
  ) {
    this.stopWatching = signal ? onAbort(signal, (reason) => this.abort(reason)) : noop;
  }

  private abort(reason: unknown): void {
    if (this.controller) this.controller.abort(asError(reason));
    else this.abortedFor = { reason };
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortedFor) controller.abort(asError(this.abortedFor.reason));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    // 1xx answers come before the real one.
    if (statusCode < 200) return;
    this.statusCode = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  onResponseEnd(): void {
    this.stopWatching();
    this.resolve({ statusCode: this.statusCode, headers: this.headers, text: decode(this.chunks, this.length) });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.stopWatching();
    this.reject(error);
  }
}

function noop(): void {}
