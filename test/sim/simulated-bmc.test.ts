import t from "tap";
import { SIM_FAN_NAMES } from "./bmc-model.js";
import { etagOf, startSimulatedBmc, type SimulatedBmc } from "./simulated-bmc.js";
import { until } from "../helpers/until.js";
import { localSocketStates } from "../helpers/tcp-table.js";

const basic = (bmc: SimulatedBmc) => "Basic " + Buffer.from(`${bmc.username}:${bmc.password}`).toString("base64");

async function call(bmc: SimulatedBmc, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== false && !headers["x-auth-token"]) headers.authorization = basic(bmc);
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  const res = await fetch(bmc.endpoint + path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Walks into parsed JSON: dig(doc, "Oem", "OpenBmc", "Fan"). */
function dig(value: unknown, ...path: Array<string | number>): unknown {
  let v = value;
  for (const key of path) v = typeof v === "object" && v !== null ? (v as Record<string | number, unknown>)[key] : undefined;
  return v;
}

/** The MessageId of a Redfish error body's `error.code`. */
const code = (r: { json: unknown }) => dig(r.json, "error", "code");

const fanPatch = (fan: Record<string, unknown>) => ({ Oem: { OpenBmc: { Fan: fan } } });

t.test("serves the service root without credentials and everything else only with them", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  t.equal((await call(bmc, "GET", "/redfish/v1", { auth: false })).status, 200);
  const denied = await call(bmc, "GET", "/redfish/v1/Managers/bmc", { auth: false });
  t.equal(denied.status, 401);
  t.ok(denied.headers.get("www-authenticate"));
  const wrong = await call(bmc, "GET", "/redfish/v1/Managers/bmc", { auth: false, headers: { authorization: "Basic " + Buffer.from("admin:nope").toString("base64") } });
  t.equal(wrong.status, 401);
  const ok = await call(bmc, "GET", "/redfish/v1/Managers/bmc");
  t.equal(ok.status, 200);
  t.equal(dig(ok.json, "Id"), "bmc");
  t.equal(dig((await call(bmc, "GET", "/redfish/v1/Systems")).json, "Members@odata.count"), 1);
  t.equal(dig((await call(bmc, "GET", "/redfish/v1/Systems/system")).json, "PowerState"), "On");
  t.same(dig((await call(bmc, "GET", "/redfish/v1/Managers")).json, "Members"), [{ "@odata.id": "/redfish/v1/Managers/bmc" }]);
  t.equal((await call(bmc, "GET", "/redfish/v1/Nope")).status, 404);
});

t.test("shapes the OpenBMC fan block as bmcweb does", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const fan = dig((await call(bmc, "GET", "/redfish/v1/Managers/bmc")).json, "Oem", "OpenBmc", "Fan");
  t.equal(dig(fan, "Profile"), "Performance");
  t.same(dig(fan, "Profile@Redfish.AllowableValues"), ["Performance", "Balanced", "PowerSaver", "Custom"]);
  t.equal(dig(fan, "FanControllers", "@odata.id"), "/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanControllers");
  for (const c of ["FanControllers", "FanZones", "PidControllers"] as const) {
    for (const name of SIM_FAN_NAMES[c]) {
      t.equal(dig(fan, c, name, "@odata.id"), `/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/${c}/${name}`, `${c}/${name}`);
    }
  }
  t.same(dig(fan, "FanControllers", "fan_cpu", "Zones"), [{ "@odata.id": "/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone_cpu" }]);
  t.equal(typeof dig(fan, "PidControllers", "pid_cpu_temp", "SetPoint"), "number");
  t.equal(dig(fan, "FanZones", "zone_cpu", "FailSafePercent"), 100);

  const base = await startSimulatedBmc({ type: "Base" });
  t.teardown(() => base.close());
  t.equal(dig((await call(base, "GET", "/redfish/v1/Managers/bmc")).json, "Oem"), undefined, "a Base BMC has no OEM fan block");
});

t.test("sessions: login gives a token and a Location, the token authenticates, logout ends it", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const bad = await call(bmc, "POST", "/redfish/v1/SessionService/Sessions", { auth: false, body: { UserName: bmc.username, Password: "x" } });
  t.equal(bad.status, 401);
  const login = await call(bmc, "POST", "/redfish/v1/SessionService/Sessions", { auth: false, body: { UserName: bmc.username, Password: bmc.password } });
  t.equal(login.status, 201);
  const token = login.headers.get("x-auth-token")!;
  const location = login.headers.get("location")!;
  t.match(location, /^\/redfish\/v1\/SessionService\/Sessions\/\w+$/);
  t.notOk(JSON.stringify(login.json).includes(bmc.password), "the session resource does not echo the password");
  t.equal((await call(bmc, "GET", "/redfish/v1/Managers/bmc", { headers: { "x-auth-token": token } })).status, 200);
  t.equal(bmc.activeSessions, 1);
  t.equal((await call(bmc, "DELETE", location, { headers: { "x-auth-token": token } })).status, 204);
  t.equal(bmc.activeSessions, 0);
  t.equal((await call(bmc, "GET", "/redfish/v1/Managers/bmc", { headers: { "x-auth-token": token } })).status, 401);
  t.equal(bmc.stats.sessionsCreated, 1);
  t.equal(bmc.stats.sessionsDeleted, 1);
});

t.test("expired sessions answer 401 NoValidSession", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const login = await call(bmc, "POST", "/redfish/v1/SessionService/Sessions", { auth: false, body: { UserName: bmc.username, Password: bmc.password } });
  bmc.expireSessions();
  const res = await call(bmc, "GET", "/redfish/v1/Managers/bmc", { headers: { "x-auth-token": login.headers.get("x-auth-token")! } });
  t.equal(res.status, 401);
  t.equal(code(res), "Base.1.19.0.NoValidSession");
});

t.test("ETags: stable while nothing changes, new after a PATCH, If-Match mismatch is 412", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const first = await call(bmc, "GET", "/redfish/v1/Managers/bmc");
  const etag = first.headers.get("etag")!;
  t.match(etag, /^"[0-9a-f]{16}"$/);
  t.equal((await call(bmc, "GET", "/redfish/v1/Managers/bmc")).headers.get("etag"), etag);
  t.equal(etag, etagOf(bmc.managerDocument("bmc")));

  const stale = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { ServiceIdentification: "a" }, headers: { "if-match": '"0000000000000000"' } });
  t.equal(stale.status, 412);
  t.equal(code(stale), "Base.1.19.0.PreconditionFailed");
  t.equal(bmc.state.managers.bmc!.serviceIdentification, "", "a 412 changes nothing");

  t.equal((await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { ServiceIdentification: "a" }, headers: { "if-match": etag } })).status, 204);
  const after = await call(bmc, "GET", "/redfish/v1/Managers/bmc");
  t.not(after.headers.get("etag"), etag);
  t.equal(dig(after.json, "ServiceIdentification"), "a");
  t.equal((await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { ServiceIdentification: "b" }, headers: { "if-match": "*" } })).status, 204, "If-Match: * always matches");
  t.equal(bmc.stats.patchesApplied, 2);
  t.equal(bmc.stats.patchesRejected, 1);
});

t.test("PATCH validates like bmcweb: unknown -> PropertyUnknown, read-only, bad type, value not allowed", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const unknown = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: fanPatch({ FanControllers: { fan_cpu: { Multiplier: 1.2, StepUp: 5 } } }) });
  t.equal(unknown.status, 400);
  t.equal(code(unknown), "Base.1.19.0.GeneralError", "several problems: GeneralError at top");
  t.same((dig(unknown.json, "error", "@Message.ExtendedInfo") as unknown[]).map((m) => [dig(m, "MessageId"), dig(m, "MessageArgs", 0)]), [
    ["Base.1.19.0.PropertyUnknown", "Multiplier"],
    ["Base.1.19.0.PropertyUnknown", "StepUp"],
  ]);
  const one = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { Bogus: 1 } });
  t.equal(code(one), "Base.1.19.0.PropertyUnknown");
  t.equal(dig(one.json, "error", "@Message.ExtendedInfo", 0, "MessageSeverity"), "Warning");
  t.equal(code(await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { Id: "x" } })), "Base.1.19.0.PropertyNotWritable");
  t.equal(code(await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: fanPatch({ FanZones: { zone_cpu: { FailSafePercent: "high" } } }) })), "Base.1.19.0.PropertyValueTypeError");
  t.equal(code(await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: fanPatch({ Profile: "Turbo" }) })), "Base.1.19.0.PropertyValueNotInList");
  t.equal(code(await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: "{not json" })), "Base.1.19.0.MalformedJSON");
  t.equal(bmc.stats.patchesApplied, 0);
  t.equal(bmc.state.managers.bmc!.fan!.profile, "Performance");
  t.notOk("Multiplier" in bmc.state.managers.bmc!.fan!.FanControllers.fan_cpu!);
});

t.test("PATCH applies the OEM body, all or nothing", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const ok = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", {
    body: fanPatch({ Profile: "PowerSaver", FanZones: { zone_io: { FailSafePercent: 90 } }, PidControllers: { pid_cpu_temp: { SetPoint: 75 } } }),
  });
  t.equal(ok.status, 204);
  const fan = bmc.state.managers.bmc!.fan!;
  t.equal(fan.profile, "PowerSaver");
  t.equal(fan.FanZones.zone_io!.FailSafePercent, 90);
  t.equal(fan.FanZones.zone_io!.MinThermalOutput, 20, "a PATCH merges, it does not replace");
  t.equal(fan.PidControllers.pid_cpu_temp!.SetPoint, 75);

  const mixed = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: fanPatch({ Profile: "Balanced", FanZones: { zone_io: { Nope: 1 } } }) });
  t.equal(mixed.status, 400);
  t.equal(fan.profile, "PowerSaver", "one bad property: nothing applied");
});

t.test("PATCH has bmcweb's upsert semantics: an unknown name is created, null deletes", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const created = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: fanPatch({ FanControllers: { fan_typo: { PCoefficient: 1 } } }) });
  t.equal(created.status, 204);
  t.same(bmc.state.managers.bmc!.fan!.FanControllers.fan_typo, { PCoefficient: 1 });
  const deleted = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: fanPatch({ FanZones: { zone_io: null } }) });
  t.equal(deleted.status, 204);
  t.notOk("zone_io" in bmc.state.managers.bmc!.fan!.FanZones);
  const badZone = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", {
    body: fanPatch({ FanControllers: { fan_cpu: { Zones: [{ "@odata.id": "/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone_io" }] } } }),
  });
  t.equal(badZone.status, 400, "a zone reference must name a zone that exists");
});

t.test("faults: N times 5xx then recover; 429 and 503 carry Retry-After; 400 fault", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  await bmc.setFault({ kind: "status", status: 500, times: 2 });
  t.equal((await call(bmc, "GET", "/redfish/v1/Managers/bmc")).status, 500);
  const second = await call(bmc, "GET", "/redfish/v1/Managers/bmc");
  t.equal(second.status, 500);
  t.equal(code(second), "Base.1.19.0.InternalError");
  t.equal((await call(bmc, "GET", "/redfish/v1/Managers/bmc")).status, 200, "recovered after 2");
  t.equal(bmc.fault, null);

  await bmc.setFault({ kind: "status", status: 429, retryAfter: "3" });
  const limited = await call(bmc, "GET", "/redfish/v1/Managers/bmc");
  t.equal(limited.status, 429);
  t.equal(limited.headers.get("retry-after"), "3");

  await bmc.setFault({ kind: "status", status: 503, retryAfter: "1", methods: ["PATCH"] });
  t.equal((await call(bmc, "GET", "/redfish/v1/Managers/bmc")).status, 200, "a PATCH-only fault leaves GETs alone");
  const busy = await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { ServiceIdentification: "x" } });
  t.equal(busy.status, 503);
  t.equal(code(busy), "Base.1.19.0.ServiceTemporarilyUnavailable");

  await bmc.setFault({ kind: "status", status: 400, methods: ["PATCH"] });
  t.equal((await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { ServiceIdentification: "x" } })).status, 400);
  t.equal(bmc.state.managers.bmc!.serviceIdentification, "", "a faulted PATCH is not applied");
  t.equal(bmc.stats.faultsInjected, 5);
});

t.test("faults: malformed JSON, reset, hang", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  await bmc.setFault({ kind: "malformedJson", times: 1 });
  const garbled = await call(bmc, "GET", "/redfish/v1/Managers/bmc");
  t.equal(garbled.status, 200);
  t.throws(() => JSON.parse(garbled.text));

  await bmc.setFault({ kind: "reset", times: 1 });
  await t.rejects(call(bmc, "GET", "/redfish/v1/Managers/bmc"), "the connection is reset");
  t.equal((await call(bmc, "GET", "/redfish/v1/Managers/bmc")).status, 200);

  await bmc.setFault({ kind: "hang" });
  await t.rejects(call(bmc, "GET", "/redfish/v1/Managers/bmc", { signal: AbortSignal.timeout(150) }));
  t.equal(bmc.stats.faultsInjected, 3);
});

t.test("faults: refuse closes the listener; clearing listens again on the same port", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const endpoint = bmc.endpoint;
  await bmc.setFault({ kind: "refuse" });
  const error: unknown = await call(bmc, "GET", "/redfish/v1", { auth: false }).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(String((error as { cause?: { code?: string } })?.cause?.code), "ECONNREFUSED");
  const port = Number(new URL(endpoint).port);
  // Held, so that another test file's simulator cannot take the port and answer in its place.
  t.same(localSocketStates(port), ["ESTABLISHED"], "the port stays bound while refusing");
  await bmc.setFault(null);
  t.equal(bmc.endpoint, endpoint);
  t.ok(localSocketStates(port).includes("LISTEN"));
  t.equal((await call(bmc, "GET", "/redfish/v1", { auth: false })).status, 200);
});

t.test("counts requests, applied PATCHes and the most PATCHes in flight at once", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const release = bmc.holdPatches();
  const three = Promise.all(Array.from({ length: 3 }, (_, i) => call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { ServiceIdentification: `n${i}` } })));
  await until(() => bmc.stats.inFlightPatches === 3, { what: "3 PATCHes in flight" });
  release();
  await three;
  t.equal(bmc.stats.requests, 3);
  t.equal(bmc.stats.byMethod.PATCH, 3);
  t.equal(bmc.stats.patchesApplied, 3);
  t.equal(bmc.stats.maxInFlightPatches, 3);
  t.equal(bmc.stats.inFlightPatches, 0);
  bmc.resetStats();
  t.equal(bmc.stats.requests, 0);
  t.equal(bmc.stats.maxInFlightPatches, 0);
});

t.test("latency can be limited to some methods", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  bmc.setLatency(600_000, ["PATCH"]);
  // A GET would wait ten minutes if latency applied to it (the signal is only a safety net).
  t.equal((await call(bmc, "GET", "/redfish/v1/Managers/bmc", { signal: AbortSignal.timeout(120_000) })).status, 200);
});

t.test("managers are configurable; machine() reaches the BMC", async (t) => {
  const bmc = await startSimulatedBmc({ id: "rack7-node3", managers: ["bmc", "bmc2"], profiles: ["Acoustic", "Performance"] });
  t.teardown(() => bmc.close());
  t.same(Object.keys(bmc.state.managers), ["bmc", "bmc2"]);
  t.same(bmc.state.managers.bmc2!.fan!.allowableProfiles, ["Acoustic", "Performance"]);
  const m = bmc.machine({ httpClientTimeoutSeconds: 2 });
  t.equal(m.id, "rack7-node3");
  t.equal(m.endpoint, bmc.endpoint);
  t.equal(m.type, "Extend");
  t.equal(m.httpClientTimeoutSeconds, 2);
});

t.test("counts the most requests of any method in flight at once", async (t) => {
  const bmc = await startSimulatedBmc({ latencyMs: 30 });
  t.teardown(() => bmc.close());
  await Promise.all(Array.from({ length: 3 }, () => call(bmc, "GET", "/redfish/v1/Managers/bmc")));
  t.equal(bmc.stats.maxInFlightRequests, 3);
  bmc.resetStats();
  await call(bmc, "GET", "/redfish/v1/Managers/bmc");
  await call(bmc, "PATCH", "/redfish/v1/Managers/bmc", { body: { ServiceIdentification: "one at a time" } });
  t.equal(bmc.stats.maxInFlightRequests, 1);
  t.equal(bmc.stats.inFlightRequests, 0);
});
