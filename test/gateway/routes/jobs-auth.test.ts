/**
 * With authentication on, every JobService, Jobs and Executions route needs
 * credentials (401 without), and answers as usual with them.
 */
import t from "tap";
import type { AuthConfig } from "../../../gateway/config.js";
import { call, machineBody, redfishError, startGateway, type CallOptions } from "../helpers/http.js";

const auth: AuthConfig = { enabled: true, mode: "basic", basic: { username: "ops", password: "Gateway-Pa55-word" }, tokens: [] };
const authorization = `Basic ${Buffer.from("ops:Gateway-Pa55-word").toString("base64")}`;
const JOBS = "/MultiFish/v1/JobService/Jobs";

t.test("auth on: 401 without credentials on every job route, the usual answer with them", async (t) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const g = await startGateway({
    config: { auth },
    defineActions: (s) => {
      s.defineAction("Echo", { run: async () => ({ message: "ok" }) });
      s.defineAction("Hold", { run: async () => (await held, { message: "released" }) });
    },
  });
  t.teardown(async () => {
    release();
    await g.close();
  });
  const as = (options: CallOptions = {}): CallOptions => ({ ...options, headers: { ...options.headers, authorization } });
  t.equal((await call(g.url, "POST", "/MultiFish/v1/Platform", as({ body: machineBody("m-1") }))).status, 201);

  const job = async (body: Record<string, unknown>): Promise<string> =>
    String((await call(g.url, "POST", JOBS, as({ body: { Machines: ["m-1"], Schedule: { Type: "Manual" }, ...body } }))).json["Id"]);
  const echo = await job({ Action: "Echo" });
  const done = await call(g.url, "POST", `${JOBS}/${echo}/Actions/Trigger`, as());
  const doneId = String(done.json["Id"]);
  await g.scheduler.waitForExecution(doneId);
  const holding = await job({ Action: "Hold" });
  const toDelete = await job({ Action: "Echo" });
  const toCancel = await job({ Action: "Echo" });

  // Each route, once without credentials (expect 401) and once with them (expect `status`).
  const routes: [string, string, () => CallOptions, number][] = [
    ["GET", "/MultiFish/v1/JobService", () => ({}), 200],
    ["PATCH", "/MultiFish/v1/JobService", () => ({ body: { WorkerPoolSize: 6 } }), 200],
    ["POST", "/MultiFish/v1/JobService/Actions/JobService.PreviewSchedule", () => ({ body: { Schedule: { Type: "Cron", Cron: "0 3 * * *" } } }), 200],
    ["GET", JOBS, () => ({}), 200],
    ["POST", JOBS, () => ({ body: { Action: "Echo", Machines: ["m-1"], Schedule: { Type: "Manual" } } }), 201],
    ["GET", `${JOBS}/${echo}`, () => ({}), 200],
    ["PATCH", `${JOBS}/${echo}`, () => ({ body: { Name: "renamed" } }), 200],
    ["GET", `${JOBS}/${echo}/Executions`, () => ({}), 200],
    ["GET", `${JOBS}/${echo}/Executions/${doneId}`, () => ({}), 200],
    ["POST", `${JOBS}/${holding}/Actions/Trigger`, () => ({}), 202],
    ["POST", `${JOBS}/${toCancel}/Actions/Cancel`, () => ({}), 200],
    ["DELETE", `${JOBS}/${toDelete}`, () => ({}), 200],
  ];
  for (const [method, path, options, status] of routes) {
    const without = await call(g.url, method, path, options());
    t.equal(without.status, 401, `${method} ${path} without credentials`);
    t.equal(without.headers["www-authenticate"], 'Basic realm="Shoal", charset="UTF-8"');
    t.equal(redfishError(without).code, "Base.1.22.NoValidSession");
    const wrong = await call(g.url, method, path, { ...options(), headers: { authorization: `Basic ${Buffer.from("ops:guess").toString("base64")}` } });
    t.equal(wrong.status, 401, `${method} ${path} with a wrong password`);
    const withIt = await call(g.url, method, path, as(options()));
    t.equal(withIt.status, status, `${method} ${path} with credentials`);
  }

  const running = g.scheduler.listExecutions({ jobId: holding, state: "Running" }).items[0];
  t.equal(running?.initiatedBy, "api:ops", "a trigger records who asked for it");
  const cancelPath = `${JOBS}/${holding}/Executions/${running?.id}/Actions/Cancel`;
  t.equal((await call(g.url, "POST", cancelPath)).status, 401, "execution Cancel without credentials");
  t.equal((await call(g.url, "POST", cancelPath, as())).status, 200, "execution Cancel with credentials");

  const everything = g.logLines.join("\n");
  t.notMatch(everything, /Gateway-Pa55-word|s3cret-bmc-password/, "no password in the request log");
});
