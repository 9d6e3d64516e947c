import { execFileSync } from "node:child_process";
import { getEventListeners } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { RedfishClient } from "../../../gateway/bmc/client.js";
import { BmcTransport } from "../../../gateway/bmc/transport.js";
import { hasBmcMessage, isBmcError, type BmcError } from "../../../gateway/bmc/errors.js";
import type { SimFault } from "../../sim/faults.js";
import { startSimulatedBmc } from "../../sim/simulated-bmc.js";
import { until } from "../../helpers/until.js";

const MANAGER = "/redfish/v1/Managers/bmc";

async function failure(promise: Promise<unknown>): Promise<BmcError> {
  try {
    await promise;
  } catch (error) {
    if (isBmcError(error)) return error;
    throw error;
  }
  throw new Error("expected a BmcError");
}

/**
 * The Redfish client's behaviour, pinned for both wires: requests sent from
 * this thread (client.test.ts) and from the BMC I/O thread (thread-transport.test.ts).
 */
export function describeClient(ioThread: boolean): void {
  async function setup(t: Test, options: Parameters<typeof startSimulatedBmc>[0] = {}) {
    const bmc = await startSimulatedBmc(options);
    const client = new RedfishClient({ ioThread });
    t.teardown(async () => {
      await client.close();
      await bmc.close();
    });
    return { bmc, client };
  }

  t.test("basic auth: a GET returns body and ETag, and is recorded", async (t) => {
    const { bmc, client } = await setup(t);
    const conn = client.connect(bmc.machine());
    const manager = await conn.get(MANAGER);
    t.equal(manager.status, 200);
    t.equal(manager.body.Id, "bmc");
    t.match(manager.etag, /^"[0-9a-f]{16}"$/);
    t.equal(conn.requests.length, 1);
    t.match(conn.requests[0], { method: "GET", uri: MANAGER, status: 200 });
    t.type(conn.requests[0]!.duration_ms, "number");
  });

  t.test("wrong credentials: HttpError 401, not transient, and the password appears nowhere", async (t) => {
    const { bmc, client } = await setup(t);
    const machine = bmc.machine({ password: "hunter2-wrong" });
    const e = await failure(client.connect(machine).get(MANAGER));
    t.equal(e.type, "HttpError");
    t.equal(e.status, 401);
    t.equal(e.transient, false);
    const serialised = JSON.stringify({ message: e.message, detail: e.detail });
    t.notOk(serialised.includes("hunter2-wrong"));
    t.notOk(serialised.includes(Buffer.from(`admin:hunter2-wrong`).toString("base64")));
  });

  t.test("session auth: one login shared by every task on the machine", async (t) => {
    const { bmc, client } = await setup(t);
    const machine = bmc.machine({ auth: "Session" });
    const a = client.connect(machine);
    const b = client.connect(machine);
    await Promise.all([a.get(MANAGER), b.get(MANAGER), a.get("/redfish/v1/Systems")]);
    t.equal(bmc.stats.sessionsCreated, 1);
    t.equal(bmc.stats.byMethod.POST, 1);
    const logins = [...a.requests, ...b.requests].filter((r) => r.method === "POST");
    t.equal(logins.length, 1, "the login is recorded once, by the task that made it");
    t.match(logins[0], { uri: "/redfish/v1/SessionService/Sessions", status: 201 });
    await client.connect(machine).get(MANAGER);
    t.equal(bmc.stats.sessionsCreated, 1, "later tasks reuse the session");
  });

  t.test("session auth: a 401 on an expired session logs in again once and retries", async (t) => {
    const { bmc, client } = await setup(t);
    const machine = bmc.machine({ auth: "Session" });
    await client.connect(machine).get(MANAGER);
    bmc.expireSessions();
    const conn = client.connect(machine);
    const manager = await conn.get(MANAGER);
    t.equal(manager.status, 200);
    t.same(
      conn.requests.map((r) => [r.method, r.status]),
      [
        ["GET", 401],
        ["POST", 201],
        ["GET", 200],
      ],
    );
    t.equal(bmc.stats.sessionsCreated, 2);
  });

  t.test("session auth: a refused login fails at once, without a loop", async (t) => {
    const { bmc, client } = await setup(t);
    const conn = client.connect(bmc.machine({ auth: "Session", password: "nope" }));
    const e = await failure(conn.get(MANAGER));
    t.equal(e.type, "HttpError");
    t.equal(e.status, 401);
    t.equal(e.transient, false);
    t.equal(bmc.stats.requests, 1, "only the login was sent");
    t.same(e.detail.requests.map((r) => r.method), ["POST"]);
  });

  t.test("close() logs out of sessions and closes every connection", async (t) => {
    const bmc = await startSimulatedBmc();
    t.teardown(() => bmc.close());
    const client = new RedfishClient({ ioThread });
    await client.connect(bmc.machine({ auth: "Session" })).get(MANAGER);
    t.equal(bmc.activeSessions, 1);
    t.ok(bmc.stats.openConnections > 0);
    await client.close();
    t.equal(bmc.activeSessions, 0);
    t.equal(bmc.stats.sessionsDeleted, 1);
    await until(() => bmc.stats.openConnections === 0);
    const e = await failure(client.connect(bmc.machine()).get(MANAGER));
    t.equal(e.type, "ClientClosed");
  });

  t.test("update: PATCH carries If-Match with the ETag read", async (t) => {
    const { bmc, client } = await setup(t);
    const conn = client.connect(bmc.machine());
    const before = await conn.get(MANAGER);
    // A stale ETag must be refused by the BMC: proves If-Match is sent.
    bmc.state.managers.bmc!.serviceIdentification = "changed behind our back";
    const e = await failure(conn.patch(MANAGER, { ServiceIdentification: "x" }, { ifMatch: before.etag! }));
    t.equal(e.status, 412);
    t.ok(hasBmcMessage(e, "Base", "PreconditionFailed"));

    const result = await client.connect(bmc.machine()).update(MANAGER, () => ({ ServiceIdentification: "ours" }));
    t.equal(result.status, 204);
    t.equal(bmc.state.managers.bmc!.serviceIdentification, "ours");
  });

  t.test("update: on 412 the resource is read again, rebuilt, and PATCHed once more", async (t) => {
    const { bmc, client } = await setup(t);
    const conn = client.connect(bmc.machine());
    let builds = 0;
    await conn.update(MANAGER, (current) => {
      builds += 1;
      if (builds === 1) bmc.state.managers.bmc!.serviceIdentification = "someone else";
      else t.equal(current.body.ServiceIdentification, "someone else", "the rebuild sees the fresh copy");
      return { ServiceIdentification: "ours" };
    });
    t.equal(builds, 2);
    t.same(
      conn.requests.map((r) => [r.method, r.status]),
      [
        ["GET", 200],
        ["PATCH", 412],
        ["GET", 200],
        ["PATCH", 204],
      ],
    );
    t.equal(bmc.state.managers.bmc!.serviceIdentification, "ours");
  });

  t.test("update: a second 412 fails with the BMC's PreconditionFailed", async (t) => {
    const { bmc, client } = await setup(t);
    const conn = client.connect(bmc.machine());
    let n = 0;
    const e = await failure(
      conn.update(MANAGER, () => {
        bmc.state.managers.bmc!.serviceIdentification = `racer ${++n}`;
        return { ServiceIdentification: "ours" };
      }),
    );
    t.equal(e.type, "HttpError");
    t.equal(e.status, 412);
    t.equal(e.transient, false);
    t.ok(hasBmcMessage(e, "Base", "PreconditionFailed"));
    t.equal(e.detail.requests.length, 4, "the error carries every request made");
    t.equal(bmc.stats.patchesApplied, 0);
  });

  t.test("update: DisableEtagMatch sends no If-Match", async (t) => {
    const { bmc, client } = await setup(t);
    const conn = client.connect(bmc.machine({ disableEtagMatch: true }));
    await conn.update(MANAGER, () => {
      bmc.state.managers.bmc!.serviceIdentification = "someone else";
      return { ServiceIdentification: "ours" };
    });
    t.same(conn.requests.map((r) => r.status), [200, 204], "no 412, no re-read");
    t.equal(bmc.state.managers.bmc!.serviceIdentification, "ours");
  });

  t.test("every fault class maps to its error type and transient flag", async (t) => {
    const cases: Array<{ fault: SimFault; type: string; transient: boolean; status?: number; retryAfterMs?: number; code?: string }> = [
      { fault: { kind: "status", status: 500, times: 1 }, type: "HttpError", transient: true, status: 500, code: "Base.1.19.0.InternalError" },
      { fault: { kind: "status", status: 502 }, type: "HttpError", transient: true, status: 502 },
      { fault: { kind: "status", status: 503, retryAfter: "2" }, type: "HttpError", transient: true, status: 503, retryAfterMs: 2000, code: "Base.1.19.0.ServiceTemporarilyUnavailable" },
      { fault: { kind: "status", status: 429, retryAfter: "1" }, type: "HttpError", transient: true, status: 429, retryAfterMs: 1000 },
      { fault: { kind: "status", status: 400 }, type: "HttpError", transient: false, status: 400, code: "Base.1.19.0.GeneralError" },
      { fault: { kind: "hang" }, type: "Timeout", transient: true },
      { fault: { kind: "refuse" }, type: "ConnectionRefused", transient: true },
      { fault: { kind: "reset" }, type: "ConnectionReset", transient: true },
      { fault: { kind: "malformedJson" }, type: "InvalidResponse", transient: false, status: 200 },
    ];
    const bmc = await startSimulatedBmc();
    t.teardown(() => bmc.close());
    for (const c of cases) {
      const client = new RedfishClient({ ioThread });
      await bmc.setFault(c.fault);
      // Short only where the timeout is the point; a busy machine must not turn the others into timeouts.
      const conn = client.connect(bmc.machine({ httpClientTimeoutSeconds: c.fault.kind === "hang" ? 0.2 : 30 }));
      const e = await failure(conn.get(MANAGER));
      const label = JSON.stringify(c.fault);
      t.equal(e.type, c.type, `${label}: type`);
      t.equal(e.transient, c.transient, `${label}: transient`);
      t.equal(e.status, c.status, `${label}: status`);
      t.equal(e.retryAfterMs, c.retryAfterMs, `${label}: retryAfterMs`);
      if (c.code) t.equal(e.detail.code, c.code, `${label}: the BMC's own code`);
      t.equal(e.detail.requests.length, 1, `${label}: recorded`);
      if (c.status === undefined) t.equal(e.detail.requests[0]!.error_type, c.type, `${label}: recorded without status`);
      await bmc.setFault(null);
      await client.close();
    }
  });

  t.test("a 400 from the BMC keeps its @Message.ExtendedInfo verbatim", async (t) => {
    const { bmc, client } = await setup(t);
    const e = await failure(client.connect(bmc.machine()).patch(MANAGER, { Oem: { OpenBmc: { Fan: { FanControllers: { fan_cpu: { Multiplier: 1.2 } } } } } }));
    t.equal(e.status, 400);
    t.equal(e.transient, false);
    t.ok(hasBmcMessage(e, "Base", "PropertyUnknown"));
    const info = e.detail["@Message.ExtendedInfo"] as Array<Record<string, unknown>>;
    t.equal(info[0]!.MessageId, "Base.1.19.0.PropertyUnknown", "the BMC's version, as returned");
    t.same(info[0]!.MessageArgs, ["Multiplier"]);
  });

  t.test("aborting the task aborts the request and releases its socket", async (t) => {
    const { bmc, client } = await setup(t);
    await bmc.setFault({ kind: "hang" });
    const machine = bmc.machine({ httpClientTimeoutSeconds: 30 });
    const controller = new AbortController();
    const pending = failure(client.connect(machine, { signal: controller.signal }).get(MANAGER));
    await until(() => bmc.stats.hanging === 1);
    controller.abort();
    const e = await pending;
    t.equal(e.type, "Cancelled");
    t.equal(e.transient, false);
    // The socket the request was stuck on is closed. (undici may open one fresh
    // idle socket in its place; keep-alive closes that after a few seconds.)
    await until(() => bmc.stats.hanging === 0);
    if (client.transport instanceof BmcTransport) t.ok(client.transport.connectedSockets(machine.id) <= 1);
  });

  t.test("requests sharing a task's signal add no listener of their own to it, and aborting it cancels every one", async (t) => {
    const { bmc, client } = await setup(t);
    await bmc.setFault({ kind: "hang" });
    const machine = bmc.machine({ httpClientTimeoutSeconds: 30 });
    const controller = new AbortController();
    const conn = client.connect(machine, { signal: controller.signal });
    // 4 on the wire (the machine's connection cap), 16 queued behind them.
    const twenty = Array.from({ length: 20 }, () => failure(conn.get(MANAGER)));
    await until(() => bmc.stats.hanging === 4, { what: "4 requests held at the BMC" });
    t.ok(getEventListeners(controller.signal, "abort").length <= 1, `one listener at most on the signal (saw ${getEventListeners(controller.signal, "abort").length})`);
    controller.abort();
    const errors = await Promise.all(twenty);
    t.same(new Set(errors.map((e) => e.type)), new Set(["Cancelled"]), "every request, on the wire or queued, is cancelled");
    await until(() => bmc.stats.hanging === 0, { what: "the held requests' sockets closed" });
  });

  t.test("a task already cancelled sends nothing", async (t) => {
    const { bmc, client } = await setup(t);
    const e = await failure(client.connect(bmc.machine(), { signal: AbortSignal.abort() }).get(MANAGER));
    t.equal(e.type, "Cancelled");
    t.equal(bmc.stats.requests, 0);
  });

  t.test("the machine's timeout bounds each request; the client does not wait for the BMC", async (t) => {
    const { bmc, client } = await setup(t);
    bmc.setLatency(5000);
    const e = await failure(client.connect(bmc.machine({ httpClientTimeoutSeconds: 0.2 })).get(MANAGER));
    t.equal(e.type, "Timeout");
    t.match(e.message, /200 ms/);
  });

  t.test("connections per machine are capped (default 4) and kept alive", async (t) => {
    const { bmc, client } = await setup(t);
    const machine = bmc.machine();
    // PATCHes are held at the BMC until the client has sent all it will send at once.
    let release = bmc.holdPatches();
    const twelve = Promise.all(Array.from({ length: 12 }, (_, i) => client.connect(machine).patch(MANAGER, { ServiceIdentification: `n${i}` })));
    await until(() => bmc.stats.inFlightPatches === 4, { what: "4 PATCHes in flight" });
    release();
    await twelve;
    t.equal(bmc.stats.patchesApplied, 12);
    t.equal(bmc.stats.maxInFlightPatches, 4);
    t.ok(bmc.stats.connectionsAccepted <= 4, `at most 4 connections (saw ${bmc.stats.connectionsAccepted})`);

    const fewer = new RedfishClient({ connectionsPerMachine: 2, ioThread });
    t.teardown(() => fewer.close());
    bmc.resetStats();
    release = bmc.holdPatches();
    const six = Promise.all(Array.from({ length: 6 }, () => fewer.connect(machine).patch(MANAGER, { ServiceIdentification: "y" })));
    await until(() => bmc.stats.inFlightPatches === 2, { what: "2 PATCHes in flight" });
    release();
    await six;
    t.equal(bmc.stats.maxInFlightPatches, 2);
  });

  t.test("sequential requests reuse one kept-alive connection", async (t) => {
    const { bmc, client } = await setup(t);
    const conn = client.connect(bmc.machine());
    for (let i = 0; i < 20; i++) await conn.get(MANAGER);
    t.equal(bmc.stats.requests, 20);
    t.ok(bmc.stats.connectionsAccepted <= 4, `20 requests over ${bmc.stats.connectionsAccepted} connection(s)`);
  });

  t.test("one slow machine does not hold up another", async (t) => {
    const slow = await startSimulatedBmc({ id: "slow" });
    const fast = await startSimulatedBmc({ id: "fast" });
    const client = new RedfishClient({ connectionsPerMachine: 1, ioThread });
    t.teardown(async () => {
      await client.close();
      await slow.close();
      await fast.close();
    });
    await slow.setFault({ kind: "hang" });
    const stuck = failure(client.connect(slow.machine({ httpClientTimeoutSeconds: 10 })).get(MANAGER));
    const answered = await client.connect(fast.machine()).get(MANAGER);
    t.equal(answered.status, 200);
    await slow.close(); // ends the hang
    t.ok(isBmcError(await stuck));
  });

  function makeCertificate(): { key: string; cert: string } | undefined {
    const dir = mkdtempSync(join(tmpdir(), "shoal-tls-"));
    try {
      execFileSync("openssl", [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      ], { stdio: "ignore" });
      return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
    } catch {
      return undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const tls = makeCertificate();
  t.test("Insecure skips TLS verification for that machine only", { skip: tls ? false : "openssl is not available to make a test certificate" }, async (t) => {
    const { bmc, client } = await setup(t, { tls: tls! });
    t.match(bmc.endpoint, /^https:/);
    const trusted = await client.connect(bmc.machine({ id: "lenient", insecure: true })).get(MANAGER);
    t.equal(trusted.status, 200);
    const e = await failure(client.connect(bmc.machine({ id: "strict", insecure: false })).get(MANAGER));
    t.equal(e.type, "TlsError");
    t.equal(e.transient, false);
  });

  t.test("changed credentials get a new session and the old one is logged out", async (t) => {
    const { bmc, client } = await setup(t);
    const machine = bmc.machine({ auth: "Session" });
    await client.connect(machine).get(MANAGER);
    // The operator re-registers the machine (same BMC, new record).
    await client.connect({ ...machine, name: "renamed", username: bmc.username }).get(MANAGER);
    t.equal(bmc.stats.sessionsCreated, 1, "a change that does not touch credentials keeps the session");
    await client.connect({ ...machine, auth: "Basic" }).get(MANAGER);
    await until(() => bmc.stats.sessionsDeleted === 1);
    t.equal(bmc.activeSessions, 0);
  });

  t.test("forget() logs out of the machine's session and drops its pool", async (t) => {
    const { bmc, client } = await setup(t);
    const machine = bmc.machine({ auth: "Session" });
    await client.connect(machine).get(MANAGER);
    if (client.transport instanceof BmcTransport) t.equal(client.transport.poolCount, 1);
    await client.forget(machine.id);
    t.equal(bmc.activeSessions, 0);
    if (client.transport instanceof BmcTransport) t.equal(client.transport.poolCount, 0);
    await until(() => bmc.stats.openConnections === 0);
  });
}
