import { connect, type Socket } from "node:net";
import t from "tap";
import { DEFAULT_CONFIG } from "../../../gateway/config.js";
import { call, machineBody, startGateway, type Running } from "../helpers/http.js";

const PLATFORM = "/MultiFish/v1/Platform";

function open(g: Running): Socket {
  const { hostname, port } = new URL(g.url);
  const socket = connect(Number(port), hostname);
  socket.on("error", () => undefined);
  return socket;
}

/** Everything the gateway sends on the socket until it closes the connection. */
function readToClose(socket: Socket): Promise<string> {
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve) => socket.once("close", () => resolve(text)));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const requestLines = (g: Running, method: string, path: string): number =>
  g.logLines.filter((l) => l.includes('"msg":"request"') && l.includes(`"method":"${method}","path":"${path}",`)).length;
const errorLines = (g: Running): string[] => g.logLines.filter((l) => l.includes('"level":"error"'));

t.test("a client that pipelines requests and reads no answers is capped and cut off; another client is served meanwhile", async (t) => {
  const g = await startGateway({ config: { connections: { ...DEFAULT_CONFIG.connections, maxPipelinedRequests: 4 } } });
  t.teardown(() => g.close());
  for (let i = 0; i < 20; i++) t.equal((await call(g.url, "POST", PLATFORM, { body: machineBody(`m${i}`) })).status, 201);

  const attackers = Array.from({ length: 5 }, () => {
    const socket = open(g);
    socket.pause();
    socket.write(`GET ${PLATFORM}?$expand=. HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(2000));
    return socket;
  });
  t.teardown(() => attackers.forEach((s) => s.destroy()));
  await until(() => g.gateway.connectionStats().pipelineCapped === 5, "every attacking connection to be capped");

  const other = await call(g.url, "GET", `${PLATFORM}/m1`);
  t.equal(other.status, 200, "another client is served");
  const handled = requestLines(g, "GET", PLATFORM);
  t.ok(handled <= 5 * 4, `at most 4 requests handled per connection, not 2000 (${handled})`);
  t.same(errorLines(g), [], "nothing logged as an error");
});

t.test("a request whose body does not arrive within REQUEST_TIMEOUT is cut off with 408, counted, not logged as an error", async (t) => {
  const g = await startGateway({ config: { connections: { ...DEFAULT_CONFIG.connections, headersTimeoutSeconds: 1, requestTimeoutSeconds: 1 } } });
  t.teardown(() => g.close());
  const slow = open(g);
  const answer = readToClose(slow);
  slow.write(`POST ${PLATFORM} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"Id":`);
  t.match(await answer, /^HTTP\/1\.1 408 /, "cut off long before Node's 300 s");
  t.equal(g.gateway.connectionStats().clientErrors, 1);
  t.same(errorLines(g), []);
});

t.test("malformed client connections are answered 400, logged at debug and counted, never as errors with a stack", async (t) => {
  const g = await startGateway();
  t.teardown(() => g.close());
  const garbage = ["NOT HTTP AT ALL\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", `GET /MultiFish/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`];
  for (const text of garbage) {
    const socket = open(g);
    const answer = readToClose(socket);
    socket.write(text);
    t.match(await answer, /^HTTP\/1\.1 400 /, JSON.stringify(text));
  }
  await until(() => g.gateway.connectionStats().clientErrors === garbage.length, "every broken connection to be counted");
  t.same(errorLines(g), []);
  t.notOk(g.logLines.some((l) => l.includes('"stack"')), "no stack traces");
  const counted = g.logLines.filter((l) => l.includes("broke HTTP"));
  t.equal(counted.length, garbage.length);
  t.match(counted[0], /"level":"info".*first time/, "the first one at info, so an operator learns it happens");
  t.ok(counted.slice(1).every((l) => l.includes('"level":"debug"')), "the rest at debug");
  t.match(counted.at(-1), /"clientErrors":3/);
});
