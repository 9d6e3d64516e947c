import t from "tap";
import { executionMachines, startFleetGateway } from "../helpers/fleet-gateway.js";

t.test("100 machines, 30 of them misbehaving: the run ends, retries only what is transient, one file per machine", async (t) => {
  const f = await startFleetGateway(100, { workerPoolSize: 50 });
  t.teardown(() => f.close());
  const ids = f.fleet.bmcs.map((b) => b.id);
  const group = (from: number, to: number) => f.fleet.bmcs.slice(from, to);
  // Only the BMCs meant to time out get a short timeout; on a busy machine a healthy one must not.
  const hangingIds = new Set(group(10, 20).map((b) => b.id));
  await f.registerAll((id) => ({ HTTPClientTimeout: hangingIds.has(id) ? 1 : 60 }));

  // 1-10: one 500 on the PATCH, then well; 11-20: never answer; 21-25: refuse connections; 26-30: 400 on the PATCH.
  for (const b of group(0, 10)) await b.setFault({ kind: "status", status: 500, times: 1, methods: ["PATCH"] });
  for (const b of group(10, 20)) await b.setFault({ kind: "hang" });
  for (const b of group(20, 25)) await b.setFault({ kind: "refuse" });
  for (const b of group(25, 30)) await b.setFault({ kind: "status", status: 400, methods: ["PATCH"] });

  const jobId = await f.createJob({
    Name: "profile under faults",
    Machines: ids,
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
    Schedule: { Type: "Manual" },
    Policy: { Retry: { MaxAttempts: 3, InitialDelaySeconds: 0.05, Factor: 2, MaxDelaySeconds: 0.2 } },
  });
  const triggered = await f.trigger(jobId);
  const execution = await f.waitForEnd(jobId, triggered.json.Id as string);

  t.match(execution, { State: "Completed", Health: "Warning" });
  t.match(execution.Summary, { Machines: 100, Succeeded: 80, Failed: 20 });
  const byMachine = new Map(executionMachines(execution).map((m) => [m.MachineId as string, m]));
  const expect = (from: number, to: number, shape: Record<string, unknown>, what: string) => {
    for (const b of group(from, to)) t.match(byMachine.get(b.id), shape, `${b.id}: ${what}`);
  };
  expect(0, 10, { Status: "Success", Attempts: 2 }, "a 500 is retried and then succeeds");
  expect(10, 20, { Status: "Error", Attempts: 3, ErrorType: "Timeout" }, "a hung BMC times out on every attempt");
  expect(20, 25, { Status: "Error", Attempts: 3, ErrorType: "ConnectionRefused" }, "refused connections are retried");
  expect(25, 30, { Status: "Error", Attempts: 1, ErrorType: "HttpError" }, "a 400 is not retried");
  expect(30, 100, { Status: "Success", Attempts: 1 }, "healthy machines are unaffected");
  t.ok(group(0, 10).every((b) => b.state.managers.bmc?.fan?.profile === "Balanced"), "recovered machines were patched");
  t.ok(group(25, 30).every((b) => b.state.managers.bmc?.fan?.profile !== "Balanced"), "the refused PATCH changed nothing");

  const files = f.resultFiles().filter((name) => !name.endsWith("_summary.json"));
  const perMachine = new Map<string, number>();
  for (const name of files) {
    const id = /_(sim-\d+)_PatchProfile_/.exec(name)?.[1] ?? "?";
    perMachine.set(id, (perMachine.get(id) ?? 0) + 1);
  }
  t.equal(files.length, 100, "100 result files");
  t.ok(ids.every((id) => perMachine.get(id) === 1), "exactly one per machine");
  const hung = f.readResult(byMachine.get(group(10, 11)[0]!.id)!.ResultFile as string);
  t.match(hung, { status: "Error", error_type: "Timeout", attempts: 3 });
  t.match(byMachine.get(group(25, 26)[0]!.id)!.ResultFile, /_error\.json$/);
  const rejected = f.readResult(byMachine.get(group(25, 26)[0]!.id)!.ResultFile as string);
  t.match(rejected, { status: "Error", error_type: "HttpError", error_detail: { status: 400 } }, "the BMC's own answer is kept");
});
