import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import t from "tap";
import { ConnectionGate, type GateEvent } from "../../../gateway/http/connection-gate.js";

/** Larger than what loopback's socket buffers take, so an unread answer stays in the server's memory. */
const BIG = Buffer.alloc(32 * 1024 * 1024, 0x61);

async function serve(gate: ConnectionGate): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer(gate.handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pipelined(port: number, count: number): Socket {
  const socket = connect(port, "127.0.0.1");
  socket.pause();
  socket.on("error", () => undefined);
  socket.write(Buffer.from("GET /x HTTP/1.1\r\nHost: test\r\n\r\n".repeat(count)));
  return socket;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

t.test("a connection's requests are handled one at a time, each once the client has taken the previous answer", async (t) => {
  const started: number[] = [];
  const gate = new ConnectionGate(
    (req: IncomingMessage, res: ServerResponse) => {
      // What the socket still holds of earlier answers when this request starts.
      started.push(req.socket.writableLength);
      res.end(BIG);
    },
    { maxPipelined: 8, sendTimeoutMs: 60_000 },
  );
  const server = await serve(gate);
  t.teardown(server.close);
  const client = pipelined(server.port, 3);
  await until(() => started.length === 1, "the first request");
  t.equal(started.length, 1, "while the client reads nothing, only the first request is handled");

  let received = 0;
  client.on("data", (chunk: Buffer) => (received += chunk.length));
  client.resume();
  await until(() => received >= 3 * BIG.length, "all three answers");
  t.same(started, [0, 0, 0], "each later request started only once the previous answer had left the socket");
  client.destroy();
});

t.test("a connection with too many unanswered requests gets a 503 that closes it, and is cut off if it keeps sending", async (t) => {
  const events: GateEvent[] = [];
  let handled = 0;
  const gate = new ConnectionGate(
    (_req, res) => {
      handled += 1;
      res.end("{}");
    },
    { maxPipelined: 4, sendTimeoutMs: 60_000, onEvent: (e) => events.push(e) },
  );
  const server = await serve(gate);
  t.teardown(server.close);

  // Exactly one over the cap, and the client reads: four answers, then the 503, then the end of the connection.
  const polite = connect(server.port, "127.0.0.1");
  polite.write(Buffer.from("GET /x HTTP/1.1\r\nHost: test\r\n\r\n".repeat(5)));
  let text = "";
  polite.on("data", (chunk: Buffer) => (text += chunk.toString()));
  await new Promise((resolve) => polite.once("close", resolve));
  t.equal((text.match(/HTTP\/1\.1 200/g) ?? []).length, 4);
  t.match(text, /HTTP\/1\.1 503 Service Unavailable[\s\S]*Connection: close[\s\S]*ServiceTemporarilyUnavailable/);
  t.match(events, [{ kind: "pipelineCapped", unanswered: 4 }]);

  // Far over the cap: the connection is closed, and no more than the cap was ever handled.
  handled = 0;
  const flood = pipelined(server.port, 500);
  const closed = new Promise((resolve) => flood.once("close", resolve));
  flood.resume();
  await closed;
  t.ok(handled <= 4, `handled ${handled} of 500`);
});

t.test("a client that takes none of its answer for the send timeout is disconnected", async (t) => {
  const events: GateEvent[] = [];
  const gate = new ConnectionGate((_req, res) => res.end(BIG), { maxPipelined: 4, sendTimeoutMs: 200, onEvent: (e) => events.push(e) });
  const server = await serve(gate);
  t.teardown(server.close);
  const client = pipelined(server.port, 1);
  await until(() => events.length > 0, "the send timeout");
  t.match(events, [{ kind: "sendTimeout" }]);
  t.ok((events[0] as { bufferedBytes: number }).bufferedBytes > 0, "it was holding an unread answer");
  client.destroy();
});
