/** A webhook receiver on 127.0.0.1 for tests: records each POST and answers with the status a test chooses. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  /** The status this request was answered with. */
  answered: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** The status for the next request; 200 unless set. */
  answer: () => number;
  waitFor(pass: (all: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const checks: (() => void)[] = [];
  const receiver: Receiver = {
    url: "",
    port: 0,
    received,
    answer: () => 200,
    waitFor(pass, timeoutMs = 20_000) {
      if (pass(received)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} received)`)), timeoutMs);
        const check = (): void => {
          if (!pass(received)) return;
          clearTimeout(timer);
          checks.splice(checks.indexOf(check), 1);
          resolve();
        };
        checks.push(check);
      });
    },
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const status = receiver.answer();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        json = {};
      }
      received.push({ headers: req.headers, body, json, answered: status });
      res.writeHead(status).end();
      for (const check of [...checks]) check();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

/** The MessageId of a delivered Redfish Event. */
export function messageIdOf(r: Received): string {
  const events = r.json.Events as { MessageId?: string }[] | undefined;
  return String(events?.[0]?.MessageId ?? "");
}
