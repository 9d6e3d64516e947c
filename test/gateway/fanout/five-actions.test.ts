import t from "tap";
import { executionMachines, startFleetGateway } from "../helpers/fleet-gateway.js";
import { until } from "../../helpers/until.js";

const COUNT = 50;

const ACTIONS = [
  {
    action: "PatchProfile",
    payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    changed: (m: SimManagerView) => m.fan?.profile === "PowerSaver",
  },
  {
    action: "PatchManager",
    payload: [{ ManagerID: "bmc", Payload: { ServiceIdentification: "rack 7, row C" } }],
    changed: (m: SimManagerView) => m.serviceIdentification === "rack 7, row C",
  },
  {
    action: "PatchFanController",
    payload: [{ ManagerID: "bmc", FanControllerID: "fan_cpu", Payload: { PCoefficient: 0.5, OutLimitMin: 35 } }],
    changed: (m: SimManagerView) => m.fan?.FanControllers.fan_cpu?.PCoefficient === 0.5 && m.fan.FanControllers.fan_cpu.OutLimitMin === 35,
  },
  {
    action: "PatchFanZone",
    payload: [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 90, MinThermalOutput: 30 } }],
    changed: (m: SimManagerView) => m.fan?.FanZones.zone_cpu?.FailSafePercent === 90 && m.fan.FanZones.zone_cpu.MinThermalOutput === 30,
  },
  {
    action: "PatchPidController",
    payload: [{ ManagerID: "bmc", PidControllerID: "pid_cpu_temp", Payload: { SetPoint: 72 } }],
    changed: (m: SimManagerView) => m.fan?.PidControllers.pid_cpu_temp?.SetPoint === 72,
  },
];

interface SimManagerView {
  serviceIdentification: string;
  fan?: {
    profile: string;
    FanControllers: Record<string, Record<string, unknown>>;
    FanZones: Record<string, Record<string, unknown>>;
    PidControllers: Record<string, Record<string, unknown>>;
  };
}

t.test(`each of the five actions, triggered over HTTP, reaches all ${COUNT} simulated BMCs`, async (t) => {
  const f = await startFleetGateway(COUNT);
  t.teardown(() => f.close());
  await f.registerAll();
  const machines = f.fleet.bmcs.map((b) => b.id);

  for (const { action, payload, changed } of ACTIONS) {
    t.test(action, async (t) => {
      const before = new Set(f.resultFiles());
      const jobId = await f.createJob({ Name: `${action} everywhere`, Machines: machines, Action: action, Payload: payload, Schedule: { Type: "Manual" } });
      const triggered = await f.trigger(jobId);
      t.match(triggered.headers["location"], new RegExp(`/Jobs/${jobId}/Executions/`));
      const execution = await f.waitForEnd(jobId, triggered.json.Id as string);

      t.match(execution, { State: "Completed", Health: "OK", PercentComplete: 100 });
      t.match(execution.Summary, { Machines: COUNT, Succeeded: COUNT, Failed: 0 });
      t.ok(f.fleet.bmcs.every((b) => changed(b.state.managers.bmc as unknown as SimManagerView)), "every BMC's state changed");

      const files = f.resultFiles().filter((name) => !before.has(name) && !name.endsWith("_summary.json"));
      t.equal(files.length, COUNT, "one result file per machine");
      const pattern = new RegExp(`^${jobId}_(sim-\\d+)_${action}_\\d{8}_\\d{6}_success\\.json$`);
      t.ok(files.every((name) => pattern.test(name)), "named {JobId}_{MachineId}_{Action}_{YYYYMMDD_HHMMSS}_success.json");
      t.same(new Set(files.map((name) => pattern.exec(name)?.[1])), new Set(machines), "one for each machine");

      const entries = executionMachines(execution);
      t.equal(entries.length, COUNT);
      for (const entry of entries) {
        t.equal(entry.Status, "Success");
        t.ok(files.includes(entry.ResultFile as string), `ResultFile of ${String(entry.MachineId)} names its file`);
      }
      const sample = f.readResult(entries[0]!.ResultFile as string);
      t.match(sample, {
        job_id: jobId,
        machine_id: entries[0]!.MachineId,
        action,
        status: "Success",
        execution_id: triggered.json.Id,
        attempts: 1,
        payload,
      });
      const requests = sample.requests as { method: string; uri: string; status: number }[];
      t.ok(requests.some((r) => r.method === "PATCH" && r.uri === "/redfish/v1/Managers/bmc" && r.status >= 200 && r.status < 300));
      const password = f.fleet.bmcs[0]!.machine().password;
      t.notOk(JSON.stringify(sample).includes(password), "no credentials in the result file");
      const summary = `${jobId}_${String(triggered.json.Id)}_summary.json`;
      t.ok(await until(() => f.resultFiles().includes(summary), { what: summary }), "the summary file is written");
    });
  }
});
