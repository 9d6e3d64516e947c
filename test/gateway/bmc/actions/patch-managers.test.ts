import t from "tap";
import { PatchFanZone, PatchProfile } from "../../../../gateway/bmc/oem/openbmc/fan-actions.js";
import { BMC_ACTIONS } from "../../../../gateway/bmc/actions/index.js";
import { harness, rejection } from "./harness.js";
import { until } from "../../../helpers/until.js";

t.test("the five actions are exported under their wire names", async (t) => {
  t.same(BMC_ACTIONS.map((a) => a.name), ["PatchProfile", "PatchManager", "PatchFanController", "PatchFanZone", "PatchPidController"]);
});

t.test("one bad entry refuses the whole target before anything is sent", async (t) => {
  const { bmc, ctx } = await harness(t, { managers: ["bmc", "bmc2"] });
  const e = await rejection(
    PatchFanZone.run(
      ctx([
        { ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 70 } },
        { ManagerID: "bmc2", FanZoneID: "zone_typo", Payload: { FailSafePercent: 70 } },
      ]),
    ),
  );
  t.equal(e.type, "ResourceNotFound");
  t.equal(bmc.stats.byMethod.PATCH, undefined, "the valid first entry was not sent either");
  t.equal(bmc.state.managers.bmc!.fan!.FanZones.zone_cpu!.FailSafePercent, 100);
  t.same(e.detail.requests.map((r) => [r.method, r.uri]), [
    ["GET", "/redfish/v1/Managers/bmc"],
    ["GET", "/redfish/v1/Managers/bmc2"],
  ]);
});

t.test("two entries on the same manager: each PATCH uses a fresh ETag", async (t) => {
  const { bmc, ctx } = await harness(t);
  const out = await PatchFanZone.run(
    ctx([
      { ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 70 } },
      { ManagerID: "bmc", FanZoneID: "zone_io", Payload: { FailSafePercent: 60 } },
    ]),
  );
  t.equal(bmc.state.managers.bmc!.fan!.FanZones.zone_cpu!.FailSafePercent, 70);
  t.equal(bmc.state.managers.bmc!.fan!.FanZones.zone_io!.FailSafePercent, 60);
  t.same(out.requests.map((r) => [r.method, r.status]), [
    ["GET", 200],
    ["PATCH", 204],
    ["GET", 200],
    ["PATCH", 204],
    ["GET", 200],
  ], "no 412: the second entry re-reads instead of using the stale ETag; one read after, for After");
});

t.test("after a 412 the entry is checked again: a zone deleted meanwhile is refused, not recreated", async (t) => {
  const { bmc, ctx } = await harness(t);
  // Someone deletes zone_io between our GET and our PATCH.
  bmc.onRequest = (method) => {
    if (method === "PATCH" && bmc.state.managers.bmc!.fan!.FanZones.zone_io) delete bmc.state.managers.bmc!.fan!.FanZones.zone_io;
  };
  const e = await rejection(PatchFanZone.run(ctx([{ ManagerID: "bmc", FanZoneID: "zone_io", Payload: { FailSafePercent: 60 } }])));
  t.equal(e.type, "ResourceNotFound");
  t.same(e.detail.requests.map((r) => [r.method, r.status]), [
    ["GET", 200],
    ["PATCH", 412],
    ["GET", 200],
  ]);
  t.notOk("zone_io" in bmc.state.managers.bmc!.fan!.FanZones, "the deleted zone was not recreated");
});

t.test("transient BMC failures propagate with their class for the scheduler to retry", async (t) => {
  const { bmc, ctx } = await harness(t);
  await bmc.setFault({ kind: "status", status: 503, retryAfter: "1", methods: ["PATCH"], times: 1 });
  const e = await rejection(PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }])));
  t.equal(e.type, "HttpError");
  t.equal(e.transient, true);
  t.equal(e.retryAfterMs, 1000);
  // The retry the scheduler would make succeeds.
  await PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }]));
  t.equal(bmc.state.managers.bmc!.fan!.profile, "Balanced");
});

t.test("a cancelled task stops with Cancelled", async (t) => {
  const { bmc, ctx } = await harness(t);
  await bmc.setFault({ kind: "hang" });
  const controller = new AbortController();
  const running = rejection(PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], {}, controller.signal)));
  await until(() => bmc.stats.hanging > 0);
  controller.abort();
  const e = await running;
  t.equal(e.type, "Cancelled");
});
