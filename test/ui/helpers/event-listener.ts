/**
 * The test's own reader of the gateway's event stream, so a test can wait for
 * an event the gateway has sent (a run's progress, say) before it looks at
 * what the page does.
 */

export interface HeardEvent {
  messageId: string;
  origin: string;
  oem: Record<string, unknown>;
}

export interface EventListener {
  heard: HeardEvent[];
  /** Resolves once an event matching `match` has been heard (earlier ones count). */
  until(match: (e: HeardEvent) => boolean, timeoutMs?: number): Promise<HeardEvent>;
  close(): void;
}

export async function listenToEvents(baseUrl: string): Promise<EventListener> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/redfish/v1/EventService/SSE`, { headers: { Accept: "text/event-stream" }, signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
  const heard: HeardEvent[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        const frames = buffer.split("\n\n");
        buffer = frames.pop() ?? "";
        for (const frame of frames) {
          const data = frame.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (!data) continue;
          const body = JSON.parse(data) as { Events: { MessageId: string; OriginOfCondition: { "@odata.id": string }; Oem?: { Shoal?: Record<string, unknown> } }[] };
          for (const e of body.Events) heard.push({ messageId: e.MessageId, origin: e.OriginOfCondition["@odata.id"], oem: e.Oem?.Shoal ?? {} });
          for (const w of waiters) w();
        }
      }
    } catch {
      // Closed by the test.
    }
  })();
  return {
    heard,
    until(match, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = heard.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such event within ${timeoutMs} ms; heard ${heard.map((e) => e.messageId).join(", ")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      abort.abort();
    },
  };
}
