import t from "tap";
import { ResultWriter } from "../../../gateway/results/result-writer.js";
import { FileSinkError, type ResultFileSink } from "../../../gateway/results/worker-file-sink.js";
import { executionMachines, startFleetGateway } from "../helpers/fleet-gateway.js";
import { tempDir } from "../../helpers/temp-dir.js";

/** A disk that filled up after the run's pre-flight check: every file write fails with ENOSPC. */
const fullDisk: ResultFileSink = {
  async create() {
    throw Object.assign(new FileSinkError("write", "ENOSPC", "ENOSPC: no space left on device, write", undefined), { code: "ENOSPC" });
  },
};

t.test("the pre-flight check refuses a directory whose file system has no room left", async (t) => {
  const dir = tempDir("shoal-full-");
  const writer = new ResultWriter({ dir, freeBytes: async () => 0 });
  await t.rejects(writer.check(), { code: "ResultDirUnwritable", fsCode: "ENOSPC", message: /no space left on device \(0 bytes free/ });
  await new ResultWriter({ dir }).check(); // the real file system has room
});

t.test("a result file that cannot be written: the machine's result says so, the run is Warning with the reason", async (t) => {
  const gw = await startFleetGateway(3, { results: { sink: fullDisk } });
  t.teardown(() => gw.close());
  await gw.registerAll();
  const jobId = await gw.createJob({
    Name: "profile",
    Machines: gw.fleet.machines().map((m) => m.id),
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    Schedule: { Type: "Manual" },
  });
  const triggered = await gw.trigger(jobId);
  const execution = await gw.waitForEnd(jobId, triggered.json.Id as string);
  t.equal(execution.State, "Completed", "every BMC was patched");
  t.equal(execution.Health, "Warning", "but not OK: no file records it");
  t.match(execution.Reason, /^AfterTaskFailed: 3 of 3 tasks: Cannot write result file \S+_success\.json in .*: no space left on device \(ENOSPC\)$/);
  for (const m of executionMachines(execution)) {
    t.equal(m.Status, "Success");
    t.equal(m.ResultFile, null);
    t.match(m.Message, /^Profile PowerSaver on manager bmc \(HTTP \d+\); result not recorded: Cannot write result file .*\(ENOSPC\)$/);
  }
  t.same(gw.resultFiles(), [], "nothing half-written was left behind");
});
