import t from "tap";
import { PatchPidController } from "../../../../gateway/bmc/actions/patch-pid-controller.js";
import { harness, rejection } from "./harness.js";

t.test("changes an existing PID controller", async (t) => {
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

t.test("refuses a PID controller the BMC does not have; no PATCH sent", async (t) => {
  const { bmc, ctx } = await harness(t);
  const e = await rejection(PatchPidController.run(ctx([{ ManagerID: "bmc", PidControllerID: "cpu_temp_controller", Payload: { SetPoint: 72 } }])));
  t.equal(e.type, "ResourceNotFound");
  t.same(e.detail.allowed, ["pid_cpu_temp", "pid_inlet_temp"]);
  t.equal(bmc.stats.byMethod.PATCH, undefined);
  t.notOk("cpu_temp_controller" in bmc.state.managers.bmc!.fan!.PidControllers);
});
