import t from "tap";
import { DEFAULT_CONFIG } from "../../../gateway/config.js";
import { call, startGateway } from "../helpers/http.js";
import { startFleetGateway } from "../helpers/fleet-gateway.js";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, as far as prom-client writes it: samples with optional labels, # HELP/# TYPE comments. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    samples.push({ name: m[1]!, labels, value: m[3] === "+Inf" ? Infinity : Number(m[3]) });
  }
  return { samples, types };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hits.reduce((n, s) => n + s.value, 0);
}

t.test("/metrics counts agree with the executions: runs by state and health, machine outcomes, BMC requests, pool, events", async (t) => {
  const f = await startFleetGateway(3, { workerPoolSize: 7 });
  t.teardown(() => f.close());
  await f.registerAll();
  const broken = f.fleet.bmcs[2]!;
  await broken.setFault({ kind: "status", status: 400, methods: ["PATCH"] });
  const jobId = await f.createJob({
    Name: "profile",
    Machines: f.fleet.machines().map((m) => m.id),
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
    Schedule: { Type: "Manual" },
  });
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const reply = await f.trigger(jobId);
    runs.push(await f.waitForEnd(jobId, String(reply.json.Id)));
  }

  const scraped = await call(f.g.url, "GET", "/metrics");
  t.equal(scraped.status, 200);
  t.match(scraped.headers["content-type"], /^text\/plain; version=0\.0\.4/);
  const { samples, types } = parseExposition(scraped.text);
  t.equal(types.get("shoal_executions_total"), "counter");
  t.equal(types.get("shoal_execution_duration_seconds"), "histogram");

  for (const run of runs) t.match(run, { State: "Completed", Health: "Warning" });
  t.equal(value(samples, "shoal_executions_total", { state: "Completed", health: "Warning" }), runs.length, "runs by state and health");
  t.equal(value(samples, "shoal_executions_total"), runs.length, "and no others");
  t.equal(value(samples, "shoal_execution_duration_seconds_count", { state: "Completed" }), runs.length);
  t.equal(value(samples, "shoal_executions_running"), 0);
  t.equal(value(samples, "shoal_machine_outcomes_total", { action: "PatchProfile", status: "Success", error_type: "" }), 2 * runs.length);
  t.equal(value(samples, "shoal_machine_outcomes_total", { action: "PatchProfile", status: "Error", error_type: "HttpError" }), runs.length);
  t.equal(value(samples, "shoal_task_duration_seconds_count"), 3 * runs.length);
  t.equal(value(samples, "shoal_bmc_request_duration_seconds_count", { method: "PATCH", status: "400" }), runs.length, "the refused PATCHes");
  t.equal(value(samples, "shoal_bmc_request_duration_seconds_count", { method: "PATCH", status: "200" }) + value(samples, "shoal_bmc_request_duration_seconds_count", { method: "PATCH", status: "204" }), 2, "the first run patched the two good machines; the second found them Balanced already and sent nothing");
  t.equal(value(samples, "shoal_jobs", { status: "enabled" }), 1);
  t.equal(value(samples, "shoal_jobs", { status: "paused" }), 0);
  t.equal(value(samples, "shoal_pool_size"), 7);
  t.equal(value(samples, "shoal_pool_active_tasks"), 0);
  t.equal(value(samples, "shoal_events_total", { message_id: "TaskEvent.1.0.4.TaskStarted" }), runs.length);
  t.equal(value(samples, "shoal_events_total", { message_id: "Shoal.1.0.0.MachineFailed" }), runs.length);
});

t.test("/metrics is behind authentication unless METRICS_OPEN", async (t) => {
  const auth = { enabled: true, mode: "token" as const, basic: null, tokens: ["metrics-test-token"] };
  const closed = await startGateway({ config: { auth } });
  t.teardown(() => closed.close());
  t.equal((await call(closed.url, "GET", "/metrics")).status, 401);
  t.equal((await call(closed.url, "GET", "/metrics", { headers: { authorization: "Bearer metrics-test-token" } })).status, 200);
  const open = await startGateway({ config: { auth, events: { ...DEFAULT_CONFIG.events, metricsOpen: true } } });
  t.teardown(() => open.close());
  t.equal((await call(open.url, "GET", "/metrics")).status, 200);
  t.equal((await call(open.url, "GET", "/MultiFish/v1/JobService")).status, 401, "the rest stays closed");
});
