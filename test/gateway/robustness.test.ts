/**
 * A loop of malformed requests of every kind a careless or hostile client
 * sends. The promise: each one is answered with a 4xx (never a 5xx, never a
 * dropped connection), and the server still answers afterwards.
 */
import t from "tap";
import { Pool } from "undici";
import { call, machineBody, startGateway } from "./helpers/http.js";
import { jobFixtures } from "./helpers/fixtures.js";

/** Small seeded PRNG (mulberry32) so a failure replays exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Malformed {
  kind: string;
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
  path: string;
  body?: string | Buffer;
  contentType?: string | null;
}

const ODD_IDS = [
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "%00",
  "%E2%98%83",
  "%F0%9F%90%9F%F0%9F%90%9F",
  "x".repeat(5000),
  "%ZZ",
  "a%20b",
  "%3Cscript%3E",
  "m-1%2F..",
  "..",
  "CON",
];

const WRONG_VALUES: unknown[] = [null, true, 0, -1, 1.5, "", "x".repeat(3000), [], {}, [null], { a: 1 }, 1e308, -1e308, "☃🐟", "\u0000"];

/** A job body the robustness gateway accepts: every mutation below makes it wrong in exactly one way. */
const VALID_JOB = {
  Name: "valid",
  Machines: ["m-1"],
  Action: "PatchProfile",
  Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
  Schedule: { Type: "Continuous", Time: "22:00", Period: { DaysOfWeek: ["Monday"] } },
};

/** [property, values that are each wrong for it]: a dotted path into the job body. */
const JOB_MUTATIONS: [string, unknown[]][] = [
  ["Schedule.Type", ["Hourly", 1, null, "", [], "once"]],
  ["Schedule.Time", ["25:00", "12:60", "noon", 1200, null, "", "12:00:00.5", "７:00"]],
  ["Schedule.TimeZone", ["Mars/Olympus", "", "../../etc", 5, "UTC; rm -rf", "x".repeat(100)]],
  ["Schedule.Period", ["daily", 5, [], { Weekly: true }]],
  ["Schedule.Period.StartDay", ["2026-02-30", "yesterday", 5, "2026-1-1"]],
  ["Schedule.Period.EndDay", ["2000-01-01", "2026-13-01", false]],
  ["Schedule.Period.DaysOfWeek", [["Funday"], "Monday", [1], ["Monday", "Monday"], [null]]],
  ["Schedule.Period.DaysOfMonth", ["0", "32", "1,,15", "L,x", [0], [32], [1.5], {}, "1;15"]],
  ["Schedule.Cron", ["0 3 * * *"]],
  ["Schedule.Date", ["2026-02-10", "2099-01-01"]],
  ["Machines", [[], ["ghost"], ["b-1"], ["m-1", "m-1"], ["../x"], "m-1", [5], [null], ["x".repeat(65)]]],
  ["Action", ["", "Nope", "../x", 5, null, "Patch Profile", "PatchManager"]],
  ["Payload", [[], [{}], [{ ManagerID: "bmc" }], [{ ManagerID: "bmc", Payload: { Profile: 5 } }], [{ ManagerID: "bmc", Payload: { Profile: "x", Extra: 1 } }], "x", [1], {}, null, [{ ManagerID: "", Payload: { Profile: "x" } }]]],
  ["Steps", [[], [{}], [{ Action: "Echo" }], "steps", [{ Action: "Echo", Machines: ["m-1"], Mode: "Sideways" }], [{ Action: "Echo", Machines: ["m-1"], Mode: "ParallelWithPrevious" }], [{ Action: "Echo", Machines: ["m-1"], ContinueOnFailure: "yes" }]]],
  ["Policy", ["fast", { Overlap: "Sometimes" }, { MaxConcurrency: 0 }, { TaskTimeoutSeconds: -1 }, { Retry: { MaxAttempts: 1e9 } }, { Retry: { Factor: 0 } }, { Unknown: 1 }, { Misfire: null }]],
  ["Name", ["", "x".repeat(200), 5, null, {}]],
  ["Enabled", ["true", 1, null, []]],
  ["Description", [5, "x".repeat(2000), []]],
  ["Id", ["Job-mine", "../../etc"]],
  ["ExecutionCount", [3]],
];

/** The valid job with `path` set to `value` (a Cron or Date mutation also sets the Type it belongs to). */
function mutated(path: string, value: unknown): Record<string, unknown> {
  const body = structuredClone(VALID_JOB) as Record<string, unknown>;
  if (path === "Schedule.Cron") (body["Schedule"] as Record<string, unknown>)["Type"] = "Once";
  if (path === "Schedule.Date") body["Schedule"] = { Type: "Cron", Cron: "0 3 * * *" };
  const keys = path.split(".");
  let at = body;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys[keys.length - 1] ?? ""] = value;
  return body;
}

interface Targets {
  jobId: string;
  executionId: string;
}

function generator(rnd: () => number, targets: Targets = { jobId: "Job-none", executionId: "Exec-none" }) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const jobs = jobFixtures().map((f) => f.body);
  const validMachine = JSON.stringify(machineBody("fresh-id"));

  const builders: (() => Malformed)[] = [
    () => {
      const text = pick([validMachine, JSON.stringify(pick(jobs))]);
      const cut = 1 + Math.floor(rnd() * (text.length - 2));
      const path = text === validMachine ? "/MultiFish/v1/Platform" : "/MultiFish/v1/JobService/Jobs";
      return { kind: "truncated JSON", method: "POST", path, body: text.slice(0, cut) };
    },
    () => {
      const body = machineBody(`wt-${Math.floor(rnd() * 1e9)}`);
      const field = pick(["Id", "Endpoint", "Username", "Password", "Insecure", "HTTPClientTimeout", "Type", "DisableEtagMatch"]);
      let value = pick(WRONG_VALUES);
      // A value that happens to be right for the field would make a valid request.
      if (field === "Insecure" || field === "DisableEtagMatch") value = pick([null, 0, "true", [], {}]);
      if (field === "HTTPClientTimeout") value = pick([null, 0, -1, 1.5, 1e308, "30", []]);
      if (field === "Username" || field === "Password") value = pick([null, 0, true, [], {}, "x".repeat(3000)]);
      return { kind: "wrong type", method: "POST", path: "/MultiFish/v1/Platform", body: JSON.stringify({ ...body, [field]: value }) };
    },
    () => {
      const number = pick(["1e400", "-1e400", "123456789012345678901234567890", "1e308", "0.0000000000000000000001", "-0"]);
      return { kind: "huge number", method: "PATCH", path: "/MultiFish/v1/Platform/m-1", body: `{"HTTPClientTimeout":${number}}` };
    },
    () => {
      const depth = 33 + Math.floor(rnd() * 3000);
      const open = pick(["[", '{"a":']);
      const close = open === "[" ? "]" : "}";
      return { kind: "deep nesting", method: "POST", path: "/MultiFish/v1/Platform", body: `{"Name":${open.repeat(depth)}1${close.repeat(depth)}}` };
    },
    () => {
      const key = pick(["__proto__", "constructor", "prototype"]);
      const inner = `{"${key}":{"isAdmin":true}}`;
      const body = pick([
        `{"Id":"p1","Endpoint":"http://h","Username":"u","Password":"p","${key}":{"polluted":1}}`,
        `{"Name":${inner}}`,
        `{"Schedule":{"Type":"Manual","Period":${inner}},"Action":"A","Machines":["m-1"]}`,
      ]);
      const path = body.includes("Schedule") ? "/MultiFish/v1/JobService/Jobs" : pick(["/MultiFish/v1/Platform", "/MultiFish/v1/Platform/m-1"]);
      return { kind: "prototype keys", method: path.endsWith("m-1") ? "PATCH" : "POST", path, body };
    },
    () => ({ kind: "odd id", method: pick(["GET", "PATCH", "DELETE"] as const), path: `/MultiFish/v1/Platform/${pick(ODD_IDS)}`, body: '{"Name":"x"}' }),
    () => {
      const id = pick(["../../etc", "☃", "名前", "a b", ".hidden", "-dash", "x".repeat(65), "nul\u0000", "🐟"]);
      return { kind: "unicode or bad id in body", method: "POST", path: "/MultiFish/v1/Platform", body: JSON.stringify(machineBody(id)) };
    },
    () => ({
      kind: "invalid UTF-8",
      method: "POST",
      path: "/MultiFish/v1/Platform",
      body: Buffer.concat([Buffer.from('{"Id":"'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]), Buffer.from('"}')]),
    }),
    () => ({
      kind: "wrong content type",
      method: "POST",
      path: "/MultiFish/v1/Platform",
      body: validMachine,
      contentType: pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16"]),
    }),
    () => ({ kind: "not an object", method: pick(["POST", "PATCH"] as const), path: pick(["/MultiFish/v1/Platform", "/MultiFish/v1/Platform/m-1"]), body: pick(["[]", "null", "42", '"s"', "true", "", " "]) }),
    () => ({ kind: "bad paging", method: "GET", path: `/MultiFish/v1/Platform?${pick(["$top=-1", "$top=abc", "$skip=1.5", "$skip=-9", "$top=1e3", "$top=99999999999999999999999"])}` }),
    () => ({ kind: "wrong method", method: pick(["PUT", "DELETE", "PATCH"] as const), path: pick(["/MultiFish/v1", "/MultiFish/v1/Platform"]) }),
    () => ({ kind: "unknown path", method: pick(["GET", "POST"] as const), path: pick(["/MultiFish/v2", "/redfish/v2", "/MultiFish/v1/Platform/m-1/Nope/Deeper", "/ui/%2e%2e/package.json", "/MultiFish/v1/%2e%2e/%2e%2e/etc"]) }),
    () => ({ kind: "patch without body", method: "PATCH", path: "/MultiFish/v1/Platform/m-1" }),
    () => {
      const job = { ...pick(jobs) } as Record<string, unknown>;
      const field = pick(["Schedule", "Machines", "Action", "Payload", "Name"]);
      job[field] = pick(WRONG_VALUES.filter((v) => v !== null));
      return { kind: "bad job body", method: "POST", path: "/MultiFish/v1/JobService/Jobs", body: JSON.stringify(job) };
    },
    () => ({ kind: "stale If-Match", method: "PATCH", path: "/MultiFish/v1/Platform/m-1", body: '{"Name":"n"}', contentType: "application/json" }),
    () => {
      const [path, values] = pick(JOB_MUTATIONS);
      return { kind: "job body wrong in one place", method: "POST", path: "/MultiFish/v1/JobService/Jobs", body: JSON.stringify(mutated(path, pick(values))) };
    },
    () => {
      const [path, values] = pick(JOB_MUTATIONS.filter(([p]) => !p.startsWith("Action") && !p.startsWith("Schedule.Date")));
      const whole = mutated(path, pick(values));
      const top = path.split(".")[0] ?? "";
      return { kind: "job patch wrong in one place", method: "PATCH", path: `/MultiFish/v1/JobService/Jobs/${targets.jobId}`, body: JSON.stringify({ [top]: whole[top] }) };
    },
    () => ({
      kind: "job body of the wrong shape",
      method: pick(["POST", "PATCH"] as const),
      path: pick(["/MultiFish/v1/JobService/Jobs", `/MultiFish/v1/JobService/Jobs/${targets.jobId}`]),
      body: pick([
        "[]",
        "null",
        '"job"',
        "{",
        `{"Schedule":${"[".repeat(40)}${"]".repeat(40)}}`,
        '{"Schedule":{"Type":"Manual","__proto__":{"polluted":true}},"Action":"Echo","Machines":["m-1"]}',
        '{"constructor":{"prototype":{"x":1}}}',
        '{"Policy":{"TaskTimeoutSeconds":1e400}}',
        '{"Name":"\ud800"}',
        JSON.stringify({ ...VALID_JOB, Payload: Array.from({ length: 101 }, () => ({ ManagerID: "bmc", Payload: { Profile: "x" } })) }),
      ]),
    }),
    () => ({
      kind: "odd job id",
      method: pick(["GET", "PATCH", "DELETE", "POST"] as const),
      path: `/MultiFish/v1/JobService/Jobs/${pick(ODD_IDS)}${pick(["", "/Actions/Trigger", "/Actions/Cancel", "/Executions", `/Executions/${pick(ODD_IDS)}`])}`,
      body: '{"Name":"x"}',
    }),
    () => ({
      kind: "unknown job action or execution",
      method: "POST",
      path: pick([
        `/MultiFish/v1/JobService/Jobs/${targets.jobId}/Actions/${pick(["Frobnicate", "Job.Trigger", "trigger", "%00", "..", "Delete"])}`,
        `/MultiFish/v1/JobService/Jobs/${targets.jobId}/Executions/${targets.executionId}/Actions/Cancel`,
        `/MultiFish/v1/JobService/Jobs/${targets.jobId}/Executions/${pick(ODD_IDS)}/Actions/Cancel`,
      ]),
    }),
    () => ({
      kind: "bad job paging",
      method: "GET",
      path: `${pick(["/MultiFish/v1/JobService/Jobs", `/MultiFish/v1/JobService/Jobs/${targets.jobId}/Executions`])}?${pick(["$top=-1", "$top=abc", "$skip=1.5", "$skip=-9", "$top=1e3", "$top=99999999999999999999999", "$top="])}`,
    }),
    () => ({
      kind: "bad JobService patch",
      method: "PATCH",
      path: "/MultiFish/v1/JobService",
      body: JSON.stringify(
        pick([
          { WorkerPoolSize: 0 },
          { WorkerPoolSize: 10001 },
          { WorkerPoolSize: "5" },
          { WorkerPoolSize: 2.5 },
          { WorkerPoolSize: null },
          { ServiceCapabilities: { WorkerPoolSize: -1 } },
          { ServiceCapabilities: 5 },
          { ServiceCapabilities: { RunningJobs: 0 } },
          { ServiceCapabilities: { WorkerPoolSize: 3 }, WorkerPoolSize: 4 },
          { Jobs: [] },
        ]),
      ),
    }),
    () => ({
      kind: "stale If-Match on a job",
      method: pick(["PATCH", "DELETE"] as const),
      path: `/MultiFish/v1/JobService/Jobs/${targets.jobId}`,
      body: '{"Name":"n"}',
    }),
    () => ({ kind: "wrong method on a job route", method: pick(["PUT", "DELETE", "PATCH"] as const), path: pick(["/MultiFish/v1/JobService/Jobs", `/MultiFish/v1/JobService/Jobs/${targets.jobId}/Executions`, `/MultiFish/v1/JobService/Jobs/${targets.jobId}/Actions/Trigger`]) }),
  ];
  return { builders, pick };
}

t.test("2 000 malformed requests get only 4xx, and the server still answers", async (t) => {
  const g = await startGateway({
    defineActions: (s) => {
      s.defineAction("PatchProfile", { run: async () => ({ message: "ok" }) });
      s.defineAction("Echo", { run: async () => ({ message: "ok" }) });
    },
  });
  t.teardown(() => g.close());
  t.equal((await call(g.url, "POST", "/MultiFish/v1/Platform", { body: machineBody("m-1") })).status, 201);
  t.equal((await call(g.url, "POST", "/MultiFish/v1/Platform", { body: machineBody("b-1", { Type: "Base" }) })).status, 201);
  const job = await call(g.url, "POST", "/MultiFish/v1/JobService/Jobs", { body: VALID_JOB });
  t.equal(job.status, 201, "the valid job body is valid");
  const jobId = String(job.json["Id"]);
  const run = await call(g.url, "POST", `/MultiFish/v1/JobService/Jobs/${jobId}/Actions/Trigger`);
  const executionId = String(run.json["Id"]);
  await g.scheduler.waitForExecution(executionId);

  const pool = new Pool(g.url, { connections: 8 });
  t.teardown(() => pool.close());
  const rnd = random(20260210);
  const { builders } = generator(rnd, { jobId, executionId });
  const requests: Malformed[] = [];
  for (let i = 0; i < 2000; i++) {
    if (i % 200 === 199) {
      requests.push({ kind: "2 MiB body", method: "POST", path: "/MultiFish/v1/Platform", body: Buffer.alloc(2 * 1024 * 1024, 0x7b) });
      continue;
    }
    requests.push((builders[i % builders.length] as () => Malformed)());
  }

  const outcomes = new Map<string, number[]>();
  const unexpected: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const r = requests[next++] as Malformed;
      const headers: Record<string, string> = {};
      if (r.body !== undefined && r.contentType !== null) headers["content-type"] = r.contentType ?? "application/json";
      if (r.kind.startsWith("stale If-Match")) headers["if-match"] = 'W/"not-the-current-one"';
      let status: number;
      try {
        const res = await pool.request({ method: r.method, path: r.path, headers, ...(r.body !== undefined ? { body: r.body } : {}) });
        await res.body.text();
        status = res.statusCode;
      } catch (error) {
        status = -1;
        unexpected.push(`${r.kind} ${r.method} ${r.path.slice(0, 80)}: ${String(error)}`);
      }
      outcomes.set(r.kind, [...(outcomes.get(r.kind) ?? []), status]);
      if (status < 400 || status > 499) unexpected.push(`${r.kind} ${r.method} ${r.path.slice(0, 80)} -> ${status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  t.comment(JSON.stringify(Object.fromEntries([...outcomes].map(([k, s]) => [k, [...new Set(s)].sort()]))));
  const total = [...outcomes.values()].reduce((n, s) => n + s.length, 0);
  t.equal(total, 2000);
  t.same(unexpected.slice(0, 20), [], "every malformed request got a 4xx");
  t.ok(outcomes.size >= 25, `${outcomes.size} kinds of malformed request were sent`);
  t.notMatch(g.logLines.join("\n"), /"level":"error"/, "no request was our bug");
  const root = await call(g.url, "GET", "/MultiFish/v1");
  t.equal(root.status, 200, "the server still answers the root");
  t.equal((await call(g.url, "GET", "/MultiFish/v1/Platform/m-1")).json["Name"], "Machine m-1", "the machine was never changed");
  const after = await call(g.url, "GET", `/MultiFish/v1/JobService/Jobs/${jobId}`);
  t.equal(after.headers["etag"], job.headers["etag"], "the job was never changed");
  t.equal((await call(g.url, "GET", "/MultiFish/v1/JobService/Jobs")).json["Members@odata.count"], 1, "no job was created");
  t.equal(g.scheduler.pool.size, 5, "the pool was never resized");
});
