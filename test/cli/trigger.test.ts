import t from "tap";
import { run, plain } from "./helpers.js";
import { redfishError, stubServer, type StubReply, type StubRequest } from "./stub-server.js";

const JOB = "Job-01JTEST";
const EXEC_PATH = `/MultiFish/v1/JobService/Jobs/${JOB}/Executions/Exec-7`;

type Outcome = "Success" | "Error" | "Pending";

function execution(state: string, health: string | null, machines: Outcome[]): Record<string, unknown> {
  const succeeded = machines.filter((m) => m === "Success").length;
  const failed = machines.filter((m) => m === "Error").length;
  return {
    "@odata.type": "#JobExecution.v1_0_0.JobExecution",
    "@odata.id": EXEC_PATH,
    Id: "Exec-7",
    JobId: JOB,
    State: state,
    Health: health,
    PercentComplete: Math.round(((succeeded + failed) / machines.length) * 100),
    Trigger: "Manual",
    InitiatedBy: "api:anonymous",
    Reason: null,
    ScheduledTime: null,
    StartTime: "2026-02-10T22:00:00Z",
    EndTime: state === "Running" ? null : "2026-02-10T22:00:02.500Z",
    Summary: { Machines: machines.length, Succeeded: succeeded, Failed: failed },
    Steps: [
      {
        Name: "patch",
        Action: "PatchProfile",
        State: state,
        Machines: machines.map((status, i) => ({
          MachineId: `server-${i + 1}`,
          Status: status,
          Attempts: status === "Error" ? 3 : 1,
          StartTime: "2026-02-10T22:00:00Z",
          EndTime: status === "Pending" ? null : "2026-02-10T22:00:00.300Z",
          ErrorType: status === "Error" ? "ConnectionRefused" : null,
          Message: status === "Error" ? "connect ECONNREFUSED 127.0.0.1:9" : "ok",
          ResultFile: null,
        })),
      },
    ],
    Actions: { "#JobExecution.Cancel": { target: `${EXEC_PATH}/Actions/Cancel` } },
  };
}

/** A gateway whose execution goes through `states` one poll at a time. */
async function gateway(states: Record<string, unknown>[], triggerReply?: StubReply) {
  let polls = 0;
  const stub = await stubServer((req: StubRequest): StubReply => {
    if (req.method === "POST" && req.url === `/MultiFish/v1/JobService/Jobs/${JOB}/Actions/Trigger`) {
      return triggerReply ?? { status: 202, headers: { Location: EXEC_PATH }, body: states[0] };
    }
    if (req.method === "GET" && req.url === EXEC_PATH) {
      polls++;
      return { body: states[Math.min(polls, states.length - 1)] };
    }
    return { status: 404, body: redfishError([["ResourceNotFound", `No ${req.url}`]]) };
  });
  return stub;
}

const running = execution("Running", null, ["Success", "Pending", "Pending", "Pending"]);
const halfway = execution("Running", null, ["Success", "Success", "Error", "Pending"]);

t.test("trigger without --wait reports the new execution and exits 0", async (t) => {
  const stub = await gateway([running]);
  t.teardown(() => stub.close());
  const r = await run(["jobs", "trigger", JOB, "--url", stub.url]);
  t.equal(r.code, 0);
  t.equal(r.stdout, `Triggered job ${JOB}: execution Exec-7 (Running)\n`);
  t.same(stub.requests[0]?.body, {});
  const json = await run(["jobs", "trigger", JOB, "--url", stub.url, "--json"]);
  t.equal(JSON.parse(json.stdout).Id, "Exec-7");
});

t.test("--wait follows the execution to the end: all OK exits 0", async (t) => {
  const stub = await gateway([
    running,
    execution("Running", null, ["Success", "Success", "Pending", "Pending"]),
    execution("Completed", "OK", ["Success", "Success", "Success", "Success"]),
  ]);
  t.teardown(() => stub.close());
  const r = await run(["jobs", "trigger", JOB, "--wait", "--interval", "50", "--url", stub.url]);
  t.equal(r.code, 0);
  t.equal(r.stdout, `Execution Exec-7 of job ${JOB}: Completed, health OK: 4 machines, 4 ok, 0 failed, in 2.5s\n`);
  t.equal(stub.requests.filter((q) => q.method === "GET").length, 2, "polled until final");
  t.equal(r.stderr, "", "no progress bar off a terminal");
});

t.test("--wait on a terminal draws progress on stderr, then clears it", async (t) => {
  const stub = await gateway([running, halfway, execution("Completed", "Warning", ["Success", "Success", "Error", "Success"])]);
  t.teardown(() => stub.close());
  const r = await run(["jobs", "trigger", JOB, "--wait", "--interval", "50", "--url", stub.url], { tty: 100 });
  t.equal(r.code, 1, "a failed machine exits 1");
  const frames = r.stderr.split("\r").filter((f) => f !== "");
  t.match(plain(frames[0] ?? ""), /1\/4 machines {2}0 failed {2}Running/);
  t.match(plain(frames[1] ?? ""), /3\/4 machines {2}1 failed {2}Running/);
  t.equal(frames.at(-1), "\u001b[K", "the bar is cleared before the report");
  const out = plain(r.stdout);
  t.match(out, /Completed, health Warning: 4 machines, 3 ok, 1 failed/);
  t.match(out, /STEP\s+MACHINE\s+STATUS\s+ATTEMPTS\s+DURATION\s+DETAIL\npatch\s+server-3\s+Error\s+3\s+300ms\s+ConnectionRefused: connect ECONNREFUSED 127\.0\.0\.1:9/);
  t.notMatch(out, /server-1/, "only the failures are listed");
});

t.test("--wait --json prints nothing but the final execution, and still exits 1 on failures", async (t) => {
  const final = execution("Failed", "Critical", ["Error", "Error", "Error", "Error"]);
  const stub = await gateway([running, final]);
  t.teardown(() => stub.close());
  const r = await run(["jobs", "trigger", JOB, "--wait", "--interval", "50", "--json", "--url", stub.url], { tty: 100 });
  t.equal(r.code, 1);
  t.same(JSON.parse(r.stdout), final);
  t.equal(r.stderr, "", "no progress bar with --json, even on a terminal");
});

t.test("a cancelled execution exits 3; so does one that failed with no machine to blame", async (t) => {
  const cancelled = await gateway([running, execution("Cancelled", "Warning", ["Success", "Pending", "Pending", "Pending"])]);
  t.teardown(() => cancelled.close());
  const r = await run(["jobs", "trigger", JOB, "--wait", "--interval", "50", "--url", cancelled.url]);
  t.equal(r.code, 3);
  t.match(r.stdout, /Cancelled/);
  const failedToStart = { ...execution("Failed", null, []), Reason: "LOGS_DIR /var/empty is not writable", Steps: [] };
  const broken = await gateway([failedToStart]);
  t.teardown(() => broken.close());
  const b = await run(["jobs", "trigger", JOB, "--wait", "--interval", "50", "--url", broken.url]);
  t.equal(b.code, 3);
  t.match(b.stdout, /Failed: 0 machines, 0 ok, 0 failed, in 2\.5s \(LOGS_DIR \/var\/empty is not writable\)/);
});

t.test("a trigger refused because the job is running (409 ResourceInUse) exits 3 with the gateway's message", async (t) => {
  const stub = await gateway([running], {
    status: 409,
    body: redfishError([["ResourceInUse", `The change to the requested resource failed because the resource is in use or in transition.`]]),
  });
  t.teardown(() => stub.close());
  const r = await run(["jobs", "trigger", JOB, "--wait", "--url", stub.url]);
  t.equal(r.code, 3);
  t.equal(
    r.stderr,
    "shoal: The change to the requested resource failed because the resource is in use or in transition.\n" +
      `shoal:   Follow the run in progress with: shoal executions follow ${JOB}\n`,
  );
  const missing = await run(["jobs", "trigger", "Job-nope", "--url", stub.url]);
  t.equal(missing.code, 2, "an unknown job is the caller's mistake (2)");
});

t.test("Ctrl-C stops waiting (130) and leaves the execution running", async (t) => {
  const stub = await gateway([running, running, running]);
  t.teardown(() => stub.close());
  const r = await run(["jobs", "trigger", JOB, "--wait", "--interval", "60000", "--url", stub.url], {
    onInterrupt: (handler) => setTimeout(handler, 20),
  });
  t.equal(r.code, 130);
  t.match(r.stderr, /Stopped waiting; execution Exec-7 carries on\. Follow it again with: shoal executions follow Job-01JTEST Exec-7/);
  t.equal(stub.requests.filter((q) => q.url.endsWith("/Actions/Cancel")).length, 0, "nothing cancelled");
});
