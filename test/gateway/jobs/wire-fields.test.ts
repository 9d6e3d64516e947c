import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import {
  JOB_FIELDS,
  PERIOD_FIELDS,
  POLICY_FIELDS,
  readFields,
  RETRY_FIELDS,
  ROLLOUT_FIELDS,
  SCHEDULE_FIELDS,
  STEP_FIELDS,
  writeFields,
  type WireField,
} from "../../../gateway/jobs/wire-fields.js";

const SCHEMAS = join(fileURLToPath(new URL("../../../../", import.meta.url)), "schemas");
type SchemaNode = { properties?: Record<string, SchemaNode> };
const schema = (file: string): SchemaNode & { definitions?: Record<string, SchemaNode> } => JSON.parse(readFileSync(join(SCHEMAS, file), "utf8"));
const names = (node: SchemaNode | undefined): string[] => Object.keys(node?.properties ?? {}).sort();
const wire = (table: readonly WireField[]): string[] => table.map((f) => f.wire).sort();

t.test("the table names exactly the fields the schemas accept", async (t) => {
  const common = schema("common.json").definitions ?? {};
  t.same(wire(POLICY_FIELDS), names(common["Policy"]), "Policy");
  t.same(wire(RETRY_FIELDS), names(common["Policy"]?.properties?.["Retry"]), "Policy/Retry");
  t.same(wire(STEP_FIELDS), names(common["Step"]), "Step");
  t.same(wire(SCHEDULE_FIELDS), names(common["Schedule"]), "Schedule");
  t.same(wire(PERIOD_FIELDS), names(common["Period"]), "Schedule/Period");
  t.same(wire(ROLLOUT_FIELDS), names(schema("job-rollout.json")), "Rollout");
  const create = names(schema("job-create.json"));
  for (const field of wire(JOB_FIELDS)) t.ok(create.includes(field), `job-create.json has ${field}`);
});

t.test("reading renames, makes seconds milliseconds, fills defaults and reads a null as nothing", async (t) => {
  t.same(readFields(POLICY_FIELDS, { TaskTimeoutSeconds: 1.5, Retry: { MaxAttempts: 4 } }), {
    taskTimeoutMs: 1500,
    retry: { maxAttempts: 4, initialDelayMs: 1000, factor: 2, maxDelayMs: 60_000 },
  });
  t.same(readFields(STEP_FIELDS, { Action: "A", Machines: ["m1"], Payload: null }), { action: "A", targets: ["m1"] });
});

t.test("writing is reading's inverse, in the wire's order, with null where the wire wants one", async (t) => {
  const step = writeFields(STEP_FIELDS, { name: "one", action: "A", targets: ["m1"], mode: "Sequential", continueOnFailure: false });
  t.same(Object.keys(step), ["Name", "Action", "Machines", "Payload", "Mode", "ContinueOnFailure"]);
  t.equal(step["Payload"], null);
  const rollout = { Canary: 1, BatchSize: 5, MaxFailurePercent: 10, PauseSeconds: 2.5, OnHalt: "Revert" };
  t.same(writeFields(ROLLOUT_FIELDS, readFields(ROLLOUT_FIELDS, rollout)), rollout);
});
