import t from "tap";
import { call, startGateway } from "../helpers/http.js";
import { basic, PASSWORDS, ROLE_AUTH } from "./identity-fixtures.js";

const SESSIONS = "/redfish/v1/SessionService/Sessions";

t.test("sessions: login, use on both APIs, logout, idle timeout", async (t) => {
  let nowMs = Date.UTC(2026, 0, 1);
  const g = await startGateway({ config: { auth: ROLE_AUTH }, now: () => nowMs });
  t.teardown(() => g.close());

  t.test("POST logs in without other credentials: 201, X-Auth-Token, Location; the token works on /redfish/v1 and /MultiFish/v1", async (t) => {
    const login = await call(g.url, "POST", SESSIONS, { body: { UserName: "viewer", Password: PASSWORDS.viewer } });
    t.equal(login.status, 201);
    const token = login.headers["x-auth-token"]!;
    t.ok(token && token.length >= 32, "a long random token");
    t.match(login.headers.location, /^\/redfish\/v1\/SessionService\/Sessions\/[0-9a-f]+$/);
    t.match(login.json, { "@odata.type": /^#Session\.v1_\d+_\d+\.Session$/, UserName: "viewer", Password: null, Roles: ["ReadOnly"] });
    t.notMatch(login.text, PASSWORDS.viewer!, "the password is never echoed");

    t.equal((await call(g.url, "GET", "/redfish/v1/AccountService", { headers: { "X-Auth-Token": token } })).status, 200);
    t.equal((await call(g.url, "GET", "/MultiFish/v1/Platform", { headers: { "X-Auth-Token": token } })).status, 200);
    const self = await call(g.url, "GET", login.headers.location!, { headers: { "X-Auth-Token": token } });
    t.equal(self.status, 200);

    const logout = await call(g.url, "DELETE", login.headers.location!, { headers: { "X-Auth-Token": token } });
    t.equal(logout.status, 204);
    const after = await call(g.url, "GET", "/MultiFish/v1/Platform", { headers: { "X-Auth-Token": token } });
    t.equal(after.status, 401, "a logged-out token is refused");
  });

  t.test("a POST to the collection's Members logs in too (DSP0266)", async (t) => {
    const login = await call(g.url, "POST", `${SESSIONS}/Members`, { body: { UserName: "viewer", Password: PASSWORDS.viewer } });
    t.equal(login.status, 201);
    t.ok(login.headers["x-auth-token"]);
  });

  t.test("login is offered under /MultiFish/v1 too", async (t) => {
    const login = await call(g.url, "POST", "/MultiFish/v1/SessionService/Sessions", { body: { UserName: "ops", Password: PASSWORDS.ops } });
    t.equal(login.status, 201);
    t.match(login.headers.location, /^\/MultiFish\/v1\/SessionService\/Sessions\//);
    t.equal((await call(g.url, "GET", "/redfish/v1/SessionService", { headers: { "X-Auth-Token": login.headers["x-auth-token"]! } })).status, 200);
  });

  t.test("a wrong password or an unknown user is 401 and makes no session", async (t) => {
    for (const body of [{ UserName: "viewer", Password: "nope" }, { UserName: "nobody", Password: "x" }]) {
      const reply = await call(g.url, "POST", SESSIONS, { body });
      t.equal(reply.status, 401, body.UserName);
      t.notOk(reply.headers["x-auth-token"]);
    }
    t.equal((await call(g.url, "POST", SESSIONS, { body: { UserName: "viewer" } })).status, 400, "a missing Password is a 400");
  });

  t.test("a session idle longer than SessionTimeout ends; use restarts its idle clock", async (t) => {
    const set = await call(g.url, "PATCH", "/redfish/v1/SessionService", { body: { SessionTimeout: 60 }, headers: basic("admin") });
    t.equal(set.status, 200);
    t.equal(set.json.SessionTimeout, 60);
    const login = await call(g.url, "POST", SESSIONS, { body: { UserName: "viewer", Password: PASSWORDS.viewer } });
    const headers = { "X-Auth-Token": login.headers["x-auth-token"]! };
    nowMs += 50_000;
    t.equal((await call(g.url, "GET", "/redfish/v1/SessionService", { headers })).status, 200, "within the timeout");
    nowMs += 50_000;
    t.equal((await call(g.url, "GET", "/redfish/v1/SessionService", { headers })).status, 200, "idle clock restarted by the last use");
    nowMs += 61_000;
    t.equal((await call(g.url, "GET", "/redfish/v1/SessionService", { headers })).status, 401, "idle too long");
  });

  t.test("an account sees only its own sessions; an Administrator sees all", async (t) => {
    const mine = await call(g.url, "POST", SESSIONS, { body: { UserName: "ops", Password: PASSWORDS.ops } });
    const opsToken = { "X-Auth-Token": mine.headers["x-auth-token"]! };
    await call(g.url, "POST", SESSIONS, { body: { UserName: "viewer", Password: PASSWORDS.viewer } });
    const seenByOps = await call(g.url, "GET", SESSIONS, { headers: opsToken });
    const all = await call(g.url, "GET", SESSIONS, { headers: basic("admin") });
    t.ok((seenByOps.json["Members@odata.count"] as number) >= 1);
    t.ok((all.json["Members@odata.count"] as number) > (seenByOps.json["Members@odata.count"] as number));
  });

  t.test("accounts: the seeded ones and the basic setting's user, with roles; passwords never returned", async (t) => {
    const list = await call(g.url, "GET", "/redfish/v1/AccountService/Accounts", { headers: basic("viewer") });
    t.equal(list.status, 200);
    t.equal(list.json["Members@odata.count"], 4);
    const root = await call(g.url, "GET", "/redfish/v1/AccountService/Accounts/root", { headers: basic("viewer") });
    t.match(root.json, { UserName: "root", RoleId: "Administrator", Password: null });
    t.ok(root.headers.etag);
    const ops = await call(g.url, "GET", "/redfish/v1/AccountService/Accounts/ops", { headers: basic("viewer") });
    t.match(ops.json, { RoleId: "Operator", Links: { Role: { "@odata.id": "/redfish/v1/AccountService/Roles/Operator" } } });
    const role = await call(g.url, "GET", "/redfish/v1/AccountService/Roles/ReadOnly", { headers: basic("viewer") });
    t.same(role.json.AssignedPrivileges, ["Login", "ConfigureSelf"]);
    for (const password of Object.values(PASSWORDS)) {
      t.notMatch(list.text + root.text + ops.text, password);
    }
    t.notOk(g.logLines.some((line) => Object.values(PASSWORDS).some((p) => line.includes(p))), "no password in the log");
  });
});

t.test("auth off: login still needs an account's password, and everything else stays open", async (t) => {
  const g = await startGateway({ config: { auth: { ...ROLE_AUTH, enabled: false, mode: "none" } } });
  t.teardown(() => g.close());
  t.equal((await call(g.url, "POST", SESSIONS, { body: { UserName: "viewer", Password: "wrong" } })).status, 401);
  t.equal((await call(g.url, "POST", SESSIONS, { body: { UserName: "viewer", Password: PASSWORDS.viewer } })).status, 201);
  t.equal((await call(g.url, "POST", "/MultiFish/v1/Platform", { body: {} })).status, 400, "open: a write reaches validation");
});
