import t from "tap";
import { PatchFanController } from "../../../../gateway/bmc/actions/patch-fan-controller.js";
import { harness, rejection } from "./harness.js";

const zone = (z: string) => ({ "@odata.id": `/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/${z}` });

t.test("changes an existing fan controller", async (t) => {
  const { bmc, ctx } = await harness(t);
  const out = await PatchFanController.run(
    ctx([{ ManagerID: "bmc", FanControllerID: "fan_io", Payload: { OutLimitMin: 35, SlewPos: 2.5, Outputs: ["Pwm_3", "Pwm_4"], Zones: [zone("zone_io")] } }]),
  );
  const c = bmc.state.managers.bmc!.fan!.FanControllers.fan_io!;
  t.equal(c.OutLimitMin, 35);
  t.equal(c.SlewPos, 2.5);
  t.same(c.Outputs, ["Pwm_3", "Pwm_4"]);
  t.same(out.entries, [{ ManagerID: "bmc", Target: "fan_io", uri: "/redfish/v1/Managers/bmc", status: 204 }]);
});

t.test("refuses a controller the BMC does not have, so bmcweb's upsert never creates one", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchFanController.run(ctx([{ ManagerID: "bmc", FanControllerID: "fan_cpu_typo", Payload: { OutLimitMin: 35 } }])));
  t.equal(e.type, "ResourceNotFound");
  t.equal(e.transient, false);
  t.match(e.message, /fan_cpu_typo.*does not exist.*would create it/);
  t.same(e.detail.allowed, ["fan_cpu", "fan_io"]);
  t.equal(bmc.stats.byMethod.PATCH, undefined, "no PATCH sent");
  t.same(Object.keys(bmc.state.managers.bmc!.fan!.FanControllers).sort(), ["fan_cpu", "fan_io"], "nothing created");
});

t.test("refuses a Zones reference to a zone the BMC does not have", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchFanController.run(ctx([{ ManagerID: "bmc", FanControllerID: "fan_io", Payload: { Zones: [zone("zone_gpu")] } }])));
  t.equal(e.type, "ResourceNotFound");
  t.match(e.message, /zone_gpu/);
  t.equal(bmc.stats.byMethod.PATCH, undefined);
});
