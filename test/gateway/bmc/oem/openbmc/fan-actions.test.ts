import t from "tap";
import { PatchFanController, PatchFanZone, PatchPidController, PatchProfile } from "../../../../../gateway/bmc/oem/openbmc/fan-actions.js";
import { harness, rejection } from "../../actions/harness.js";

t.test("PatchProfile sets the fan profile on the BMC and records the requests", async (t) => {
  const { bmc, ctx } = await harness(t);
  const out = await PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]));
  t.equal(bmc.state.managers.bmc!.fan!.profile, "PowerSaver");
  t.same(out.entries, [{ ManagerID: "bmc", uri: "/redfish/v1/Managers/bmc", status: 204 }]);
  t.same(out.requests.map((r) => [r.method, r.uri, r.status]), [
    ["GET", "/redfish/v1/Managers/bmc", 200],
    ["PATCH", "/redfish/v1/Managers/bmc", 204],
    ["GET", "/redfish/v1/Managers/bmc", 200],
  ], "After is read again once the PATCH is done");
  t.match(out.message, /Profile PowerSaver on manager bmc \(HTTP 204\)/);
});

t.test("PatchProfile one PATCH per entry, to each manager named", async (t) => {
  const { bmc, ctx } = await harness(t, { managers: ["bmc", "bmc2"] });
  await PatchProfile.run(
    ctx([
      { ManagerID: "bmc", Payload: { Profile: "Balanced" } },
      { ManagerID: "bmc2", Payload: { Profile: "Custom" } },
    ]),
  );
  t.equal(bmc.state.managers.bmc!.fan!.profile, "Balanced");
  t.equal(bmc.state.managers.bmc2!.fan!.profile, "Custom");
  t.equal(bmc.stats.patchesApplied, 2);
});

t.test("PatchProfile a profile outside the BMC's AllowableValues is refused and nothing is sent", async (t) => {
  const { bmc, ctx } = await harness(t, { profiles: ["Performance", "Balanced"] });
  const e = await rejection(PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }])));
  t.equal(e.type, "PropertyValueNotInList");
  t.equal(e.transient, false);
  t.same(e.detail.allowed, ["Performance", "Balanced"]);
  t.match(e.message, /PowerSaver.*not allowed.*Performance, Balanced/);
  t.equal(bmc.stats.byMethod.PATCH, undefined, "no PATCH reached the BMC");
  t.same(e.detail.requests.map((r) => r.method), ["GET"]);
  t.equal(bmc.state.managers.bmc!.fan!.profile, "Performance");
});

t.test("PatchProfile a BMC without the OpenBMC fan block is refused (ResourceNotFound)", async (t) => {
  const { bmc, ctx } = await harness(t, { type: "Base" });
  const e = await rejection(PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], { type: "Extend" })));
  t.equal(e.type, "ResourceNotFound");
  t.equal(bmc.stats.byMethod.PATCH, undefined);
});

t.test("PatchProfile runs only on Extend machines", async (t) => {
  t.same(PatchProfile.machineTypes, ["Extend"]);
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], { type: "Base" })));
  t.equal(e.type, "NotSupported");
  t.equal(bmc.stats.requests, 0);
});

const zone = (z: string) => ({ "@odata.id": `/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/${z}` });

t.test("PatchFanController changes an existing fan controller", async (t) => {
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

t.test("PatchFanController refuses a controller the BMC does not have, so bmcweb's upsert never creates one", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchFanController.run(ctx([{ ManagerID: "bmc", FanControllerID: "fan_cpu_typo", Payload: { OutLimitMin: 35 } }])));
  t.equal(e.type, "ResourceNotFound");
  t.equal(e.transient, false);
  t.match(e.message, /fan_cpu_typo.*does not exist.*would create it/);
  t.same(e.detail.allowed, ["fan_cpu", "fan_io"]);
  t.equal(bmc.stats.byMethod.PATCH, undefined, "no PATCH sent");
  t.same(Object.keys(bmc.state.managers.bmc!.fan!.FanControllers).sort(), ["fan_cpu", "fan_io"], "nothing created");
});

t.test("PatchFanController refuses a Zones reference to a zone the BMC does not have", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchFanController.run(ctx([{ ManagerID: "bmc", FanControllerID: "fan_io", Payload: { Zones: [zone("zone_gpu")] } }])));
  t.equal(e.type, "ResourceNotFound");
  t.match(e.message, /zone_gpu/);
  t.equal(bmc.stats.byMethod.PATCH, undefined);
});

t.test("PatchFanZone changes an existing fan zone", async (t) => {
  const { bmc, ctx } = await harness(t);
  await PatchFanZone.run(ctx([{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 90, MinThermalOutput: 35 } }]));
  t.same(bmc.state.managers.bmc!.fan!.FanZones.zone_cpu, { FailSafePercent: 90, MinThermalOutput: 35 });
});

t.test("PatchFanZone refuses a zone the BMC does not have; no PATCH sent, nothing created", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchFanZone.run(ctx([{ ManagerID: "bmc", FanZoneID: "zone_gpu", Payload: { FailSafePercent: 90 } }])));
  t.equal(e.type, "ResourceNotFound");
  t.same(e.detail.allowed, ["zone_cpu", "zone_io"]);
  t.equal(bmc.stats.byMethod.PATCH, undefined);
  t.notOk("zone_gpu" in bmc.state.managers.bmc!.fan!.FanZones);
});

t.test("PatchFanZone runs only on Extend machines", async (t) => {
  t.same(PatchFanZone.machineTypes, ["Extend"]);
});

t.test("PatchPidController changes an existing PID controller", async (t) => {
  const { bmc, ctx } = await harness(t);
  await PatchPidController.run(
    ctx([{ ManagerID: "bmc", PidControllerID: "pid_cpu_temp", Payload: { SetPoint: 72, PCoefficient: -3.5, ILimitMax: 80, SetPointOffset: "WarningHigh" } }]),
  );
  const pid = bmc.state.managers.bmc!.fan!.PidControllers.pid_cpu_temp!;
  t.equal(pid.SetPoint, 72);
  t.equal(pid.PCoefficient, -3.5);
  t.equal(pid.ILimitMax, 80);
  t.equal(pid.SetPointOffset, "WarningHigh");
});

t.test("PatchPidController refuses a PID controller the BMC does not have; no PATCH sent", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchPidController.run(ctx([{ ManagerID: "bmc", PidControllerID: "cpu_temp_controller", Payload: { SetPoint: 72 } }])));
  t.equal(e.type, "ResourceNotFound");
  t.same(e.detail.allowed, ["pid_cpu_temp", "pid_inlet_temp"]);
  t.equal(bmc.stats.byMethod.PATCH, undefined);
  t.notOk("cpu_temp_controller" in bmc.state.managers.bmc!.fan!.PidControllers);
});
