/**
 * Machines, jobs and finished runs for the console to show: every simulated
 * BMC registered, the last one refusing PATCHes (HTTP 500) so runs have a
 * failed machine, a machine whose endpoint nothing listens on, and three
 * jobs with a few runs each.
 */
import type { ConsoleFleet } from "./console-fleet.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";
const FINAL = ["Completed", "Failed", "Cancelled", "Skipped", "Interrupted"];

async function runToEnd(f: ConsoleFleet, jobId: string): Promise<void> {
  const t = await f.api("POST", `${JOBS}/${jobId}/Actions/Trigger`, {});
  if (t.status !== 202) throw new Error(`trigger: HTTP ${t.status} ${t.text.slice(0, 300)}`);
  const id = t.json.Id as string;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const r = await f.api("GET", `${JOBS}/${jobId}/Executions/${id}`);
    if (FINAL.includes(r.json.State as string)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${id} did not end`);
}

export async function seedHistory(f: ConsoleFleet): Promise<{ jobIds: string[] }> {
  await f.registerAll();
  const ids = f.fleet.bmcs.map((b) => b.id);
  const failing = f.fleet.bmcs[f.fleet.bmcs.length - 1];
  await failing?.setFault({ kind: "status", status: 500, methods: ["PATCH"] });
  const create = async (body: Record<string, unknown>): Promise<string> => {
    const r = await f.api("POST", JOBS, body);
    if (r.status !== 201) throw new Error(`create job: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    return r.json.Id as string;
  };
  const nightly = await create({
    Name: "Nightly PowerSaver",
    Action: "PatchProfile",
    Machines: ids,
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    Schedule: { Type: "Continuous", Time: "22:00", TimeZone: "Europe/Berlin", Period: { DaysOfWeek: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] } },
  });
  const morning = await create({
    Name: "Morning Performance",
    Action: "PatchProfile",
    Machines: ids.slice(0, Math.max(1, ids.length - 1)),
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "Performance" } }],
    Schedule: { Type: "Continuous", Time: "06:30", TimeZone: "Europe/Berlin", Period: { DaysOfWeek: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] } },
  });
  const zones = await create({
    Name: "Month-end fan zone floor",
    Action: "PatchFanZone",
    Machines: ids.slice(0, 4),
    Payload: [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 90 } }],
    Schedule: { Type: "Continuous", Time: "03:00", Period: { DaysOfMonth: ["1", "15", "L"] } },
  });
  for (let i = 0; i < 3; i++) await runToEnd(f, nightly);
  for (let i = 0; i < 2; i++) await runToEnd(f, morning);
  await runToEnd(f, zones);
  return { jobIds: [nightly, morning, zones] };
}
