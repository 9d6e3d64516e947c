import t from "tap";
import { PatchProfile } from "../../../../gateway/bmc/actions/patch-profile.js";
import { harness, rejection } from "./harness.js";

t.test("sets the fan profile on the BMC and records the requests", async (t) => {
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

t.test("one PATCH per entry, to each manager named", async (t) => {
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

t.test("a profile outside the BMC's AllowableValues is refused and nothing is sent", async (t) => {
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

t.test("a BMC without the OpenBMC fan block is refused (ResourceNotFound)", async (t) => {
  const { bmc, ctx } = await harness(t, { type: "Base" });
  const e = await rejection(PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], { type: "Extend" })));
  t.equal(e.type, "ResourceNotFound");
  t.equal(bmc.stats.byMethod.PATCH, undefined);
});

t.test("runs only on Extend machines", async (t) => {
  t.same(PatchProfile.machineTypes, ["Extend"]);
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchProfile.run(ctx([{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], { type: "Base" })));
  t.equal(e.type, "NotSupported");
  t.equal(bmc.stats.requests, 0);
});
