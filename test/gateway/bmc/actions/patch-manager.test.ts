import t from "tap";
import { PatchManager } from "../../../../gateway/bmc/actions/patch-manager.js";
import { hasBmcMessage } from "../../../../gateway/bmc/errors.js";
import { harness, rejection } from "./harness.js";

t.test("sends standard Manager properties as they are, on Base and Extend machines", async (t) => {
  t.same(PatchManager.machineTypes, ["Base", "Extend"]);
  for (const type of ["Base", "Extend"] as const) {
    const { bmc, ctx } = await harness(t, { type });
    const out = await PatchManager.run(ctx([{ ManagerID: "bmc", Payload: { ServiceIdentification: "Rack 7 / U12", DateTimeLocalOffset: "+08:00" } }]));
    t.equal(bmc.state.managers.bmc!.serviceIdentification, "Rack 7 / U12", type);
    t.equal(bmc.state.managers.bmc!.dateTimeLocalOffset, "+08:00", type);
    t.equal(out.entries[0]!.status, 204);
  }
});

t.test("the BMC's rejection comes back with its own message, not transient", async (t) => {
  const { bmc, ctx } = await harness(t);
  await bmc.setFault({ kind: "status", status: 400, methods: ["PATCH"] });
  const e = await rejection(PatchManager.run(ctx([{ ManagerID: "bmc", Payload: { ServiceIdentification: "x" } }])));
  t.equal(e.type, "HttpError");
  t.equal(e.status, 400);
  t.equal(e.transient, false);
  t.ok(hasBmcMessage(e, "Base", "GeneralError"));
  t.same(e.detail.requests.map((r) => [r.method, r.status]), [["GET", 200], ["PATCH", 400]]);
});

t.test("an unknown manager fails with the BMC's 404, nothing patched", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchManager.run(ctx([{ ManagerID: "bmc9", Payload: { ServiceIdentification: "x" } }])));
  t.equal(e.type, "HttpError");
  t.equal(e.status, 404);
  t.ok(hasBmcMessage(e, "Base", "ResourceNotFound"));
  t.equal(bmc.stats.byMethod.PATCH, undefined);
});
