/**
 * `executions follow` against stand-in gateways: one without an event stream
 * (it polls), and one whose stream drops (it resumes with Last-Event-ID and
 * reads the run once more, since run-log lines are not replayed).
 */
import t from "tap";
import { plain, run } from "./helpers.js";
import { redfishError, stubServer, type StubRequest } from "./stub-server.js";

const JOB = "Job-1";
const EXEC = "Exec-1";
const EXEC_PATH = `/MultiFish/v1/JobService/Jobs/${JOB}/Executions/${EXEC}`;

function execution(state: string, statuses: [string, string]): Record<string, unknown> {
  const done = statuses.filter((s) => s === "Success").length;
  return {
    "@odata.id": EXEC_PATH,
    Id: EXEC,
    JobId: JOB,
    State: state,
    Health: state === "Running" ? null : "OK",
    Summary: { Machines: 2, Succeeded: done, Failed: 0 },
    Steps: [
      {
        Name: "Step 1",
        Action: "PatchProfile",
        State: state,
        Machines: statuses.map((s, i) => ({ MachineId: `m${i + 1}`, Status: s, Attempts: s === "Pending" ? 0 : 1, ErrorType: null, Message: s === "Success" ? "OK" : null })),
      },
    ],
  };
}

function sseFrame(id: string, record: Record<string, unknown>): string {
  return `id: ${id}\ndata: ${JSON.stringify({ "@odata.type": "#Event.v1_7_0.Event", Id: id, Events: [{ EventId: id, ...record }] })}\n\n`;
}

const isSse = (r: StubRequest): boolean => r.url.startsWith("/redfish/v1/EventService/SSE");
const isExecutionGet = (r: StubRequest): boolean => r.method === "GET" && r.url === EXEC_PATH;

t.test("a gateway without an event stream (404) is polled", async (t) => {
  let reads = 0;
  const stub = await stubServer((req) => {
    if (isSse(req)) return { status: 404, body: redfishError([["ResourceNotFound", "not here"]]) };
    if (isExecutionGet(req)) {
      reads++;
      return { body: reads < 4 ? execution("Running", ["Success", "Pending"]) : execution("Completed", ["Success", "Success"]) };
    }
    return { status: 500 };
  });
  t.teardown(() => stub.close());
  const r = await run(["executions", "follow", JOB, EXEC, "--interval", "50"], { env: { SHOAL_URL: stub.url } });
  t.equal(r.code, 0, r.stderr);
  t.same(plain(r.stdout).trim().split("\n").slice(0, 2), ["Step 1  m1  Success  OK", "Step 1  m2  Success  OK"]);
  t.equal(stub.requests.filter(isSse).length, 1, "the stream is asked for once");
  t.equal(stub.requests.filter(isExecutionGet).length, 4, "then the run is polled to its end");
});

t.test("a dropped stream is resumed with Last-Event-ID and the run read once more", async (t) => {
  let reads = 0;
  let streams = 0;
  const stub = await stubServer((req) => {
    if (isSse(req)) {
      streams++;
      const sse = { "Content-Type": "text/event-stream" };
      if (streams === 1) {
        const log = { kind: "result", machine: "m1", step: "Step 1", action: "PatchProfile", attempt: 1, message: "OK", outcome: "Success" };
        // The server ends the stream after one event; it asks for a quick reconnection.
        return { headers: sse, body: `retry: 10\n\n: keep-alive\n\n${sseFrame("7", { MessageId: "Shoal.1.0.0.MachineLog", Oem: { Shoal: { Log: log } } })}` };
      }
      return { headers: sse, body: sseFrame("8", { MessageId: "TaskEvent.1.0.4.TaskCompletedOK", Oem: { Shoal: { State: "Completed", Health: "OK" } } }) };
    }
    if (isExecutionGet(req)) {
      reads++;
      return { body: reads < 4 ? execution("Running", ["Pending", "Pending"]) : execution("Completed", ["Success", "Success"]) };
    }
    return { status: 500 };
  });
  t.teardown(() => stub.close());
  const r = await run(["executions", "follow", JOB, EXEC, "--json"], { env: { SHOAL_URL: stub.url } });
  t.equal(r.code, 0, r.stderr);
  t.same(
    r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { MachineId: string }).MachineId),
    ["m1", "m2"],
    "m1 from the stream's event, m2 from the read at the end",
  );
  const opened = stub.requests.filter(isSse);
  t.equal(opened.length, 2);
  t.equal(opened[0]?.headers["last-event-id"], undefined, "a first connection resumes nothing");
  t.equal(opened[1]?.headers["last-event-id"], "7", "the reconnection resumes after the last event seen");
  t.match(decodeURIComponent(opened[0]?.url ?? ""), `$filter=OriginResource eq '${EXEC_PATH}' and (`, "filtered to the run");
  t.equal(stub.requests.filter(isExecutionGet).length, 4, "the caller's read, one per connection, one at the end");
});
