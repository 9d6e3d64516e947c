/**
 * A Server-Sent Events reader over undici for tests: collects every event
 * the stream sends and lets a test wait for one by condition.
 */
import { request } from "undici";

export interface SseEvent {
  id: string | undefined;
  data: Record<string, unknown>;
  /** The one entry of `Events` the gateway puts in each Event resource. */
  record: Record<string, unknown>;
}

export interface SseReader {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  events: SseEvent[];
  /** Resolves with the first event (already seen or to come) that passes; rejects after the deadline. */
  waitFor(pass: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openSse(base: string, path: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const controller = new AbortController();
  const res = await request(`${base}${path}`, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters: { pass: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  let buffer = "";
  const take = (block: string): void => {
    let id: string | undefined;
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (data === "") return;
    const parsed = JSON.parse(data) as Record<string, unknown>;
    const record = ((parsed.Events as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
    const event: SseEvent = { id, data: parsed, record };
    events.push(event);
    for (const w of [...waiters]) {
      if (w.pass(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  };
  if (res.statusCode === 200) {
    res.body.setEncoding("utf8");
    res.body.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        take(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    });
    res.body.on("error", () => undefined);
  }
  return {
    status: res.statusCode,
    headers: res.headers,
    events,
    waitFor(pass, timeoutMs = 20_000) {
      const seen = events.find(pass);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such event within ${timeoutMs} ms; saw ${events.map((e) => String(e.record.MessageId)).join(", ")}`)), timeoutMs);
        waiters.push({ pass, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    close() {
      controller.abort();
    },
  };
}

export const messageIs = (key: string) => (e: SseEvent): boolean => String(e.record.MessageId ?? "").endsWith(`.${key}`);
