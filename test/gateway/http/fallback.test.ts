import t from "tap";
import { call, redfishError, startGateway } from "../helpers/http.js";

t.test("unknown paths are 404 ResourceNotFound; known paths with a wrong method are 405 with Allow", async (t) => {
  const g = await startGateway();
  t.teardown(() => g.close());

  const missing = await call(g.url, "GET", "/MultiFish/v1/Nothing/here");
  t.equal(missing.status, 404);
  t.equal(redfishError(missing).code, "Base.1.22.ResourceNotFound");
  t.same(redfishError(missing)["@Message.ExtendedInfo"][0]?.MessageArgs, ["URI", "/MultiFish/v1/Nothing/here"]);

  for (const [method, path, allow] of [
    ["DELETE", "/MultiFish/v1", "HEAD, GET"],
    ["PUT", "/MultiFish/v1/Platform", "HEAD, GET, POST"],
    ["POST", "/MultiFish/v1/Platform/m1", "HEAD, GET, PATCH, DELETE"],
  ] as const) {
    const reply = await call(g.url, method, path);
    t.equal(reply.status, 405, `${method} ${path}`);
    t.equal(redfishError(reply).code, "Base.1.22.OperationNotAllowed");
    t.equal(reply.headers["allow"], allow);
  }
});

t.test("every response carries OData-Version and a JSON content type", async (t) => {
  const g = await startGateway();
  t.teardown(() => g.close());
  for (const [method, path] of [
    ["GET", "/MultiFish/v1"],
    ["GET", "/nope"],
    ["DELETE", "/MultiFish/v1"],
    ["POST", "/MultiFish/v1/Platform"],
  ]) {
    const reply = await call(g.url, method ?? "GET", path ?? "/");
    t.equal(reply.headers["odata-version"], "4.0", `${method} ${path}`);
    t.equal(reply.headers["content-type"], "application/json; charset=utf-8", `${method} ${path}`);
  }
});
