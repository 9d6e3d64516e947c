import t, { type Test } from "tap";
import { PatchProfile } from "../../../gateway/bmc/actions/index.js";
import { RedfishClient } from "../../../gateway/bmc/client.js";
import { ThreadTransport } from "../../../gateway/bmc/thread-transport.js";
import { startSimulatedBmc } from "../../sim/simulated-bmc.js";
import { rejection } from "./actions/harness.js";

const withoutDurations = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === "duration_ms" ? 0 : v)));

async function setup(t: Test) {
  const bmc = await startSimulatedBmc();
  const here = new RedfishClient();
  const there = new RedfishClient({ ioThread: true });
  t.teardown(async () => {
    await here.close();
    await there.close();
    await bmc.close();
  });
  t.ok(there.transport instanceof ThreadTransport);
  return { bmc, here, thread: there.transport as ThreadTransport };
}

t.test("an action run on the BMC I/O thread answers as it does on this thread: output, before/after and requests", async (t) => {
  const { bmc, here, thread } = await setup(t);
  const machine = bmc.machine({ httpClientTimeoutSeconds: 5 });
  const signal = new AbortController().signal;
  const payload = (profile: string) => [{ ManagerID: "bmc", Payload: { Profile: profile } }];

  const local = await PatchProfile.run({ machine, payload: payload("PowerSaver"), signal, client: here });
  const restored = local.before["bmc"]!["Oem/OpenBmc/Fan/Profile"] as string;
  await PatchProfile.run({ machine, payload: payload(restored), signal, client: here });
  const remote = await thread.runAction("run", "PatchProfile", { machine, payload: payload("PowerSaver"), signal });
  t.same(withoutDurations(remote), withoutDurations(local));
  t.equal(remote.requests.length, 3, "GET, PATCH, GET again for After");

  const plan = await thread.runAction("plan", "PatchProfile", { machine, payload: payload("Balanced"), signal });
  t.same(plan, await PatchProfile.plan({ machine, payload: payload("Balanced"), signal, client: here }));
});

t.test("a refusal on the thread is the same BmcError here: type, message, detail and the requests made", async (t) => {
  const { bmc, here, thread } = await setup(t);
  const machine = bmc.machine({ httpClientTimeoutSeconds: 5 });
  const signal = new AbortController().signal;
  const payload = [{ ManagerID: "bmc", Payload: { Profile: "NoSuchProfile" } }];
  const local = await rejection(PatchProfile.run({ machine, payload, signal, client: here }));
  const remote = await rejection(thread.runAction("run", "PatchProfile", { machine, payload, signal }));
  t.equal(remote.type, "PropertyValueNotInList");
  t.equal(remote.type, local.type);
  t.equal(remote.message, local.message);
  t.equal(remote.transient, local.transient);
  t.same(withoutDurations(remote.detail), withoutDurations(local.detail));
});

t.test("the task's signal cancels an action on the thread, before it is sent and while it waits on the BMC", async (t) => {
  const { bmc, thread } = await setup(t);
  const machine = bmc.machine({ httpClientTimeoutSeconds: 30 });
  const payload = [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }];

  const already = new AbortController();
  already.abort();
  t.equal((await rejection(thread.runAction("run", "PatchProfile", { machine, payload, signal: already.signal }))).type, "Cancelled");
  t.equal(bmc.stats.requests, 0, "nothing was sent");

  const release = bmc.holdPatches();
  t.teardown(release);
  const controller = new AbortController();
  const running = rejection(thread.runAction("run", "PatchProfile", { machine, payload, signal: controller.signal }));
  while (bmc.stats.inFlightPatches === 0) await new Promise((r) => setImmediate(r));
  controller.abort();
  const e = await running;
  t.equal(e.type, "Cancelled");
  t.same(
    e.detail.requests.map((r) => [r.method, r.status]),
    [
      ["GET", 200],
      ["PATCH", null],
    ],
    "the requests made so far travel with the error",
  );
});
