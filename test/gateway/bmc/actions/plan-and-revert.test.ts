import t from "tap";
import { PatchFanZone, PatchProfile } from "../../../../gateway/bmc/oem/openbmc/fan-actions.js";
import { PatchManager } from "../../../../gateway/bmc/actions/patch-manager.js";
import { harness, rejection } from "./harness.js";

const PROFILE = "Oem/OpenBmc/Fan/Profile";

t.test("plan reads, diffs and sends nothing", async (t) => {
  const { bmc, ctx } = await harness(t);
  const current = bmc.state.managers.bmc!.fan!.profile;
  const plan = await PatchProfile.plan(ctx([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]));
  t.same(plan, { outcome: "Change", changes: [{ property: PROFILE, current, desired: "PowerSaver", scope: "bmc" }], message: "1 property to change" });
  t.equal(bmc.stats.byMethod.PATCH, undefined);
  const same = await PatchProfile.plan(ctx([{ ManagerID: "bmc", Payload: { Profile: current } }]));
  t.equal(same.outcome, "NoChange");
});

t.test("plan reports what a run would refuse as Refused, and a dead BMC as Unreachable", async (t) => {
  const { bmc, ctx } = await harness(t);
  const notAllowed = await PatchProfile.plan(ctx([{ ManagerID: "bmc", Payload: { Profile: "Turbo" } }]));
  t.match(notAllowed, { outcome: "Refused", message: /not allowed/ });
  const noZone = await PatchFanZone.plan(ctx([{ ManagerID: "bmc", FanZoneID: "zone_typo", Payload: { FailSafePercent: 5 } }]));
  t.match(noZone, { outcome: "Refused", message: /does not exist/ });
  const noProperty = await PatchManager.plan(ctx([{ ManagerID: "bmc", Payload: { NoSuchProperty: 1 } }]));
  t.match(noProperty, { outcome: "Refused", message: /has no NoSuchProperty/ });
  await bmc.setFault({ kind: "refuse" });
  const down = await PatchProfile.plan(ctx([{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }]));
  t.equal(down.outcome, "Unreachable");
});

t.test("a run on a machine already as desired sends no PATCH and says Changed false", async (t) => {
  const { bmc, ctx } = await harness(t);
  const current = bmc.state.managers.bmc!.fan!.profile;
  const out = await PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: current } }]));
  t.equal(bmc.stats.byMethod.PATCH, undefined);
  t.equal(out.changed, false);
  t.same(out.before, { bmc: { [PROFILE]: current } });
  t.same(out.after, out.before);
  t.match(out.message, /already set, not sent/);
});

t.test("a run records Before and After of exactly what it set; revert restores them, and refuses a machine changed since", async (t) => {
  const { bmc, ctx } = await harness(t);
  const zone = () => bmc.state.managers.bmc!.fan!.FanZones.zone_cpu!;
  const minThermal = zone().MinThermalOutput;
  const out = await PatchFanZone.run(ctx([{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 70, MinThermalOutput: 25 } }]));
  const path = "Oem/OpenBmc/Fan/FanZones/zone_cpu";
  t.same(out.before, { bmc: { [`${path}/FailSafePercent`]: 100, [`${path}/MinThermalOutput`]: minThermal } });
  t.same(out.after, { bmc: { [`${path}/FailSafePercent`]: 70, [`${path}/MinThermalOutput`]: 25 } });
  t.equal(out.changed, true);

  const back = await PatchFanZone.revert({ ...ctx([]), before: out.before, after: out.after });
  t.same(back.after, out.before, "the exact values are back");
  t.equal(zone().FailSafePercent, 100);
  t.equal(zone().MinThermalOutput, minThermal);

  const again = await PatchFanZone.run(ctx([{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 70 } }]));
  zone().FailSafePercent = 55; // someone else changed it
  bmc.resetStats();
  const e = await rejection(PatchFanZone.revert({ ...ctx([]), before: again.before, after: again.after }));
  t.equal(e.type, "Conflict");
  t.match(e.message, /FailSafePercent is 55, the run left 70/);
  t.equal(bmc.stats.byMethod.PATCH, undefined, "nothing sent");
  t.equal(zone().FailSafePercent, 55);
});
