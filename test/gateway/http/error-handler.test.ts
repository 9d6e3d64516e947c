import t from "tap";
import Koa from "koa";
import { errorHandler } from "../../../gateway/http/error-handler.js";
import { createLogger } from "../../../gateway/log.js";
import { RedfishError } from "../../../gateway/redfish/errors.js";
import type { GatewayState } from "../../../gateway/http/state.js";
import { call, machineBody, redfishError, startGateway } from "../helpers/http.js";
import { FakeStore } from "../helpers/fake-store.js";

async function serve(app: Koa<GatewayState>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

t.test("a bug in a handler is a 500 InternalError; its details reach only the log", async (t) => {
  const lines: string[] = [];
  const app = new Koa<GatewayState>();
  app.use(errorHandler(createLogger({ sink: (l) => lines.push(l) })));
  app.use((ctx) => {
    ctx.set("ETag", 'W/"half-done"');
    throw new TypeError("Cannot read properties of undefined (reading 'endpoint') in /srv/shoal/lib/x.js");
  });
  const s = await serve(app);
  t.teardown(s.close);
  const reply = await call(s.url, "GET", "/anything");
  t.equal(reply.status, 500);
  t.equal(redfishError(reply).code, "Base.1.22.InternalError");
  t.notMatch(reply.text, /endpoint|srv|TypeError/);
  t.equal(reply.headers["etag"], undefined, "headers of the success it did not reach are dropped");
  t.match(lines.join("\n"), /Cannot read properties of undefined/);
  t.match(lines.join("\n"), /"stack"/);
});

t.test("a RedfishError keeps its status, body and headers and is not logged as a failure", async (t) => {
  const lines: string[] = [];
  const app = new Koa<GatewayState>();
  app.use(errorHandler(createLogger({ sink: (l) => lines.push(l) })));
  app.use(() => {
    throw RedfishError.methodNotAllowed(["GET"]);
  });
  const s = await serve(app);
  t.teardown(s.close);
  const reply = await call(s.url, "POST", "/x");
  t.equal(reply.status, 405);
  t.equal(reply.headers["allow"], "GET");
  t.same(lines, []);
});

t.test("a store that fails to write gives the client a clean 500 and the operator the cause", async (t) => {
  const store = new FakeStore();
  const g = await startGateway({ store });
  t.teardown(() => g.close());
  store.failWrites = true;
  const reply = await call(g.url, "POST", "/MultiFish/v1/Platform", { body: machineBody("m1") });
  t.equal(reply.status, 500);
  t.equal(redfishError(reply).code, "Base.1.22.InternalError");
  t.notMatch(reply.text, /disk full/);
  t.match(g.logLines.join("\n"), /disk full/);
  store.failWrites = false;
  t.equal((await call(g.url, "GET", "/MultiFish/v1/Platform/m1")).status, 404, "the failed create left nothing behind");
});
