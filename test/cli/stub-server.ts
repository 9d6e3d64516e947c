/**
 * A tiny HTTP server on 127.0.0.1:0 that answers with whatever a test says,
 * REDFISH.md-shaped, and records what the CLI sent.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface StubReply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
}

export interface Stub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function stubServer(handler: (req: StubRequest) => StubReply | Promise<StubReply>): Promise<Stub> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = null;
      if (text !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const request: StubRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(request);
      void Promise.resolve(handler(request)).then((reply) => {
        const status = reply.status ?? 200;
        const isText = typeof reply.body === "string";
        const payload = reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
        res.writeHead(status, {
          "Content-Type": isText ? "text/html" : "application/json; charset=utf-8",
          "OData-Version": "4.0",
          ...reply.headers,
        });
        res.end(payload);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Redfish error body with one ExtendedInfo entry per [key, message, pointer]. */
export function redfishError(entries: [string, string, string?][]): unknown {
  const info = entries.map(([key, message, pointer]) => ({
    "@odata.type": "#Message.v1_1_1.Message",
    MessageId: `Base.1.22.${key}`,
    Message: message,
    MessageArgs: [],
    RelatedProperties: pointer ? [`#${pointer}`] : [],
    Severity: "Warning",
    MessageSeverity: "Warning",
    Resolution: "Correct the request and resubmit it.",
  }));
  const first = entries[0];
  return {
    error: {
      code: entries.length === 1 && first ? `Base.1.22.${first[0]}` : "Base.1.22.GeneralError",
      message: entries.length === 1 && first ? first[1] : "Several problems; see @Message.ExtendedInfo.",
      "@Message.ExtendedInfo": info,
    },
  };
}
