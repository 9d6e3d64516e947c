import t from "tap";
import { call, machineBody, startGateway } from "../helpers/http.js";

t.test("one JSON line per request with method, path, status and ms, and nothing else from the request", async (t) => {
  const g = await startGateway();
  t.teardown(() => g.close());
  await call(g.url, "POST", "/MultiFish/v1/Platform?token=query-secret", {
    body: machineBody("m1", { Password: "body-secret" }),
    headers: { authorization: "Bearer header-secret", cookie: "session=cookie-secret" },
  });
  await call(g.url, "GET", "/MultiFish/v1/nowhere");
  const records = g.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r["msg"] === "request");
  t.equal(records.length, 2);
  t.same(Object.keys(records[0] ?? {}).sort(), ["level", "method", "ms", "msg", "path", "status", "time"]);
  t.match(records[0], { method: "POST", path: "/MultiFish/v1/Platform", status: 201 });
  t.match(records[1], { method: "GET", path: "/MultiFish/v1/nowhere", status: 404 });
  t.type(records[0]?.["ms"], "number");
  t.notMatch(g.logLines.join("\n"), /secret/, "no query string, header or body value");
});
