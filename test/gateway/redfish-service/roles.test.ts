import t from "tap";
import type { Gateway } from "../../../gateway/app.js";
import { mayWrite } from "../../../gateway/redfish-service/privileges.js";
import { call, registerMachines, startGateway } from "../helpers/http.js";
import { basic, PASSWORDS, ROLE_AUTH } from "./identity-fixtures.js";

interface RouteLayer {
  path: string | RegExp;
  methods: string[];
}

/** Every path and write method the gateway's router serves, read from the router itself so a new route is covered without editing this test. */
function writeRoutes(gateway: Gateway): { method: string; path: string }[] {
  const dispatch = gateway.app.middleware.find((m) => typeof (m as unknown as { router?: unknown }).router === "object");
  const router = (dispatch as unknown as { router: { stack: RouteLayer[] } }).router;
  const out: { method: string; path: string }[] = [];
  for (const layer of router.stack) {
    if (typeof layer.path !== "string") continue;
    const path = layer.path.replace(/:([A-Za-z]+)/g, "x-$1");
    for (const method of layer.methods) if (["POST", "PUT", "PATCH", "DELETE"].includes(method)) out.push({ method, path });
  }
  return out;
}

const LOGIN_OR_LOGOUT = /\/SessionService\/Sessions(\/x-sessionId|\/Members)?$/;
const PREVIEW = /JobService\.PreviewSchedule$/;

t.test("roles apply to both APIs", async (t) => {
  const g = await startGateway({ config: { auth: ROLE_AUTH } });
  t.teardown(() => g.close());
  await registerMachines(g.url, ["m1"], {}, basic("admin"));
  const routes = writeRoutes(g.gateway);
  t.ok(routes.some((r) => r.path.startsWith("/redfish/v1/")) && routes.some((r) => r.path.startsWith("/MultiFish/v1/")), "both APIs are covered");

  t.test("ReadOnly gets 403 on every write of both APIs, by Basic and by session, and changes nothing", async (t) => {
    const login = await call(g.url, "POST", "/redfish/v1/SessionService/Sessions", { body: { UserName: "viewer", Password: PASSWORDS.viewer } });
    const session = { "X-Auth-Token": login.headers["x-auth-token"]! };
    let checked = 0;
    for (const { method, path } of routes) {
      if (LOGIN_OR_LOGOUT.test(path) || PREVIEW.test(path)) continue;
      for (const headers of [basic("viewer"), session]) {
        const reply = await call(g.url, method, path, { body: {}, headers });
        t.equal(reply.status, 403, `${method} ${path}`);
        checked++;
      }
    }
    t.ok(checked > 40, `${checked} writes refused`);
    const machines = await call(g.url, "GET", "/MultiFish/v1/Platform", { headers: basic("viewer") });
    t.equal(machines.json["Members@odata.count"], 1, "reads still work, and nothing changed");
  });

  t.test("an Operator may run, cancel, plan, revert and PATCH live settings, and nothing else", async (t) => {
    const allowed = routes.filter(({ method, path }) => mayWrite("Operator", method, path) && !LOGIN_OR_LOGOUT.test(path) && !PREVIEW.test(path));
    t.match(
      allowed.map((r) => `${r.method} ${r.path}`).sort(),
      [
        /^PATCH \/MultiFish\/v1\/Platform\/x-machineId\/Managers\/x-managerId/,
      ],
    );
    t.ok(allowed.some((r) => /Actions\/Trigger$/.test(r.path)));
    t.ok(allowed.some((r) => /Actions\/Revert$/.test(r.path)));
    t.ok(allowed.some((r) => /Executions\/x-executionId\/Actions\/Cancel$/.test(r.path)));
    t.notOk(allowed.some((r) => r.path === "/MultiFish/v1/Platform" || r.path === "/MultiFish/v1/JobService/Jobs"), "no machine or job creation");
    for (const { method, path } of routes.filter((r) => !allowed.includes(r) && !LOGIN_OR_LOGOUT.test(r.path) && !PREVIEW.test(r.path))) {
      t.equal((await call(g.url, method, path, { body: {}, headers: basic("ops") })).status, 403, `${method} ${path}`);
    }
    const trigger = await call(g.url, "POST", "/MultiFish/v1/JobService/Jobs/Job-none/Actions/Trigger", { body: {}, headers: basic("ops") });
    t.equal(trigger.status, 404, "an allowed write reaches its route");
  });

  t.test("an Administrator, the basic setting's user and the login and preview writes pass the role check", async (t) => {
    const created = await call(g.url, "POST", "/MultiFish/v1/JobService/Jobs", { body: {}, headers: basic("admin") });
    t.equal(created.status, 400, "reaches validation");
    const root = await call(g.url, "POST", "/MultiFish/v1/Platform", { body: {}, headers: basic("root") });
    t.equal(root.status, 400, "the basic setting's user is an Administrator");
    const preview = await call(g.url, "POST", "/MultiFish/v1/JobService/Actions/JobService.PreviewSchedule", { body: {}, headers: basic("viewer") });
    t.not(preview.status, 403, "previewing a schedule changes nothing");
  });
});

t.test("bearer tokens map to Administrator", async (t) => {
  const g = await startGateway({ config: { auth: { enabled: true, mode: "token", basic: null, tokens: ["tok-1"] } } });
  t.teardown(() => g.close());
  const reply = await call(g.url, "POST", "/MultiFish/v1/Platform", { body: {}, headers: { authorization: "Bearer tok-1" } });
  t.equal(reply.status, 400, "reaches validation");
});
