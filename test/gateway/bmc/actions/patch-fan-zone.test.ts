import t from "tap";
import { PatchFanZone } from "../../../../gateway/bmc/actions/patch-fan-zone.js";
import { harness, rejection } from "./harness.js";

t.test("changes an existing fan zone", async (t) => {
  const { bmc, ctx } = await harness(t);
  await PatchFanZone.run(ctx([{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 90, MinThermalOutput: 35 } }]));
  t.same(bmc.state.managers.bmc!.fan!.FanZones.zone_cpu, { FailSafePercent: 90, MinThermalOutput: 35 });
});

t.test("refuses a zone the BMC does not have; no PATCH sent, nothing created", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchFanZone.run(ctx([{ ManagerID: "bmc", FanZoneID: "zone_gpu", Payload: { FailSafePercent: 90 } }])));
  t.equal(e.type, "ResourceNotFound");
  t.same(e.detail.allowed, ["zone_cpu", "zone_io"]);
  t.equal(bmc.stats.byMethod.PATCH, undefined);
  t.notOk("zone_gpu" in bmc.state.managers.bmc!.fan!.FanZones);
});

t.test("runs only on Extend machines", async (t) => {
  t.same(PatchFanZone.machineTypes, ["Extend"]);
});
