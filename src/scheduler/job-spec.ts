/**
 * Checks a job spec (or a patch against an existing job) from an untrusted
 * caller and returns its normalised fields. Every problem is reported at its own
 * JSON pointer relative to the spec: "/schedule/time", "/steps/0/targets",
 * "/steps/1/payload/speed", "/policy/retry/factor".
 */
import { ShoalError, pointer } from "../errors.js";
import { Problems, isObject, typeName, type Obj } from "../problems.js";
import type { Job, Policy, RetryPolicy, Step } from "../jobs/types.js";
import { validateSchedule } from "../schedule/index.js";
import type { Schedule } from "../schedule/types.js";
import type { ActionDefinition } from "./actions.js";
import { ID_PATTERN } from "./ids.js";
import { checkRollout } from "./rollout.js";

export interface SpecContext {
  actions: ReadonlyMap<string, ActionDefinition>;
  /** Epoch ms, for refusing a Once date that has passed. */
  now: number;
  timeZone: string;
}

export interface JobFields {
  name: string;
  description: string | null;
  enabled: boolean;
  schedule: Schedule;
  steps: Step[];
  policy: Policy;
  metadata?: Record<string, unknown>;
}

const SPEC_KEYS = ["id", "name", "description", "enabled", "schedule", "steps", "policy", "metadata"];
const STEP_KEYS = ["name", "action", "targets", "payload", "mode", "continueOnFailure"];
const POLICY_KEYS = ["overlap", "misfire", "retry", "taskTimeoutMs", "executionTimeoutMs", "maxConcurrency", "rollout"];
const RETRY_KEYS = ["maxAttempts", "initialDelayMs", "factor", "maxDelayMs", "jitter"];
const DEFAULT_POLICY: Policy = { overlap: "Skip", misfire: "RunOnce" };

/** Validates a whole spec, as createJob receives it. */
export function validateJobSpec(input: unknown, ctx: SpecContext): JobFields & { id?: string } {
  const p = new Problems();
  if (!isObject(input)) {
    p.add("", "type", `must be an object, not ${typeName(input)}`);
    throw ShoalError.validation(p.list, "job");
  }
  p.unknownKeys(input, SPEC_KEYS, "");
  let id: string | undefined;
  if (input.id !== undefined) {
    if (typeof input.id !== "string" || !ID_PATTERN.test(input.id)) {
      p.add("/id", "format", "must be 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit", input.id);
    } else id = input.id;
  }
  const fields = checkFields(input, p, ctx, undefined);
  if (p.list.length > 0 || !fields) throw ShoalError.validation(p.list, "job");
  return id === undefined ? fields : { ...fields, id };
}

/**
 * Validates `patch` applied to `job`. Only what the patch touches is checked
 * anew: a job whose Once date has passed can still be renamed, and a payload
 * check that depends on outside state does not block an unrelated change.
 * `policy` merges key by key (null removes an optional key); other fields replace.
 */
export function validateJobPatch(patch: unknown, job: Job, ctx: SpecContext): JobFields {
  const p = new Problems();
  if (!isObject(patch)) {
    p.add("", "type", `must be an object, not ${typeName(patch)}`);
    throw ShoalError.validation(p.list, "job");
  }
  p.unknownKeys(patch, SPEC_KEYS.filter((k) => k !== "id"), "");
  if ("id" in patch) p.add("/id", "notWritable", "cannot be changed");
  const fields = checkFields(patch, p, ctx, job);
  if (p.list.length > 0 || !fields) throw ShoalError.validation(p.list, "job");
  return fields;
}

function checkFields(input: Obj, p: Problems, ctx: SpecContext, base: Job | undefined): JobFields | undefined {
  const name = input.name === undefined && base ? base.name : checkName(input.name, p);
  const description =
    input.description === undefined && base ? base.description : checkDescription(input.description, p);
  let enabled = base ? base.enabled : true;
  if (input.enabled !== undefined) {
    if (typeof input.enabled !== "boolean") p.add("/enabled", "type", `must be a boolean, not ${typeName(input.enabled)}`, input.enabled);
    else enabled = input.enabled;
  }
  let schedule: Schedule | undefined = base?.schedule;
  if (input.schedule !== undefined || !base) {
    if (input.schedule === undefined) p.add("/schedule", "missing", "is required");
    else {
      try {
        schedule = validateSchedule(input.schedule, { now: new Date(ctx.now), timeZone: ctx.timeZone });
      } catch (error) {
        p.adopt(error, "/schedule");
      }
    }
  }
  const steps = input.steps === undefined && base ? base.steps : checkSteps(input.steps, p, ctx.actions);
  const policy = checkPolicy(input.policy, p, base?.policy ?? DEFAULT_POLICY);
  let metadata = base?.metadata;
  if (input.metadata !== undefined) {
    if (input.metadata === null) metadata = undefined;
    else if (!isObject(input.metadata)) p.add("/metadata", "type", `must be an object, not ${typeName(input.metadata)}`);
    else metadata = input.metadata;
  }
  if (name === undefined || description === undefined || !schedule || !steps || !policy) return undefined;
  const fields: JobFields = { name, description, enabled, schedule, steps, policy };
  if (metadata !== undefined) fields.metadata = metadata;
  return fields;
}

function checkName(value: unknown, p: Problems): string | undefined {
  if (value === undefined) p.add("/name", "missing", "is required");
  else if (typeof value !== "string") p.add("/name", "type", `must be a string, not ${typeName(value)}`, value);
  else if (value.trim() === "") p.add("/name", "format", "must not be empty", value);
  else return value;
  return undefined;
}

function checkDescription(value: unknown, p: Problems): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  p.add("/description", "type", `must be a string or null, not ${typeName(value)}`, value);
  return undefined;
}

function checkSteps(value: unknown, p: Problems, actions: ReadonlyMap<string, ActionDefinition>): Step[] | undefined {
  if (value === undefined) {
    p.add("/steps", "missing", "is required");
    return undefined;
  }
  if (!Array.isArray(value)) {
    p.add("/steps", "type", `must be an array, not ${typeName(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    p.add("/steps", "outOfRange", "must hold at least one step");
    return undefined;
  }
  const steps: Step[] = [];
  value.forEach((raw: unknown, i) => {
    const step = checkStep(raw, i, p, actions);
    if (step) steps.push(step);
  });
  return steps.length === value.length ? steps : undefined;
}

function checkStep(raw: unknown, i: number, p: Problems, actions: ReadonlyMap<string, ActionDefinition>): Step | undefined {
  const at = pointer("steps", i);
  if (!isObject(raw)) {
    p.add(at, "type", `must be an object, not ${typeName(raw)}`);
    return undefined;
  }
  const before = p.list.length;
  p.unknownKeys(raw, STEP_KEYS, at);

  let name = `Step ${i + 1}`;
  if (raw.name !== undefined) {
    if (typeof raw.name !== "string" || raw.name.trim() === "") p.add(`${at}/name`, "type", "must be a non-empty string", raw.name);
    else name = raw.name;
  }

  let action: ActionDefinition | undefined;
  if (raw.action === undefined) p.add(`${at}/action`, "missing", "is required");
  else if (typeof raw.action !== "string") p.add(`${at}/action`, "type", `must be a string, not ${typeName(raw.action)}`, raw.action);
  else if (!(action = actions.get(raw.action))) {
    const known = [...actions.keys()].join(", ") || "none defined";
    p.add(`${at}/action`, "notInList", `"${raw.action}" is not a defined action (${known})`, raw.action);
  }

  const targets = checkTargets(raw.targets, `${at}/targets`, p);

  let mode: Step["mode"] = "Sequential";
  if (raw.mode !== undefined) {
    if (raw.mode !== "Sequential" && raw.mode !== "ParallelWithPrevious") {
      p.add(`${at}/mode`, "notInList", "must be Sequential or ParallelWithPrevious", raw.mode);
    } else if (raw.mode === "ParallelWithPrevious" && i === 0) {
      p.add(`${at}/mode`, "invalid", "the first step has no previous step to run in parallel with", raw.mode);
    } else mode = raw.mode;
  }

  let continueOnFailure = false;
  if (raw.continueOnFailure !== undefined) {
    if (typeof raw.continueOnFailure !== "boolean") {
      p.add(`${at}/continueOnFailure`, "type", `must be a boolean, not ${typeName(raw.continueOnFailure)}`, raw.continueOnFailure);
    } else continueOnFailure = raw.continueOnFailure;
  }

  if (action?.validate && targets) {
    for (const target of targets) {
      try {
        action.validate(raw.payload, target);
      } catch (error) {
        p.adopt(error, `${at}/payload`);
      }
    }
  }
  if (p.list.length > before || !targets || typeof raw.action !== "string") return undefined;
  const step: Step = { name, action: raw.action, targets, mode, continueOnFailure };
  if (raw.payload !== undefined) step.payload = raw.payload;
  return step;
}

function checkTargets(value: unknown, at: string, p: Problems): string[] | undefined {
  if (value === undefined) {
    p.add(at, "missing", "is required");
    return undefined;
  }
  if (!Array.isArray(value)) {
    p.add(at, "type", `must be an array of target names, not ${typeName(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    p.add(at, "outOfRange", "must name at least one target");
    return undefined;
  }
  const seen = new Set<string>();
  let ok = true;
  value.forEach((target: unknown, j) => {
    if (typeof target !== "string" || target === "") {
      p.add(`${at}/${j}`, "type", "must be a non-empty string", target);
      ok = false;
    } else if (seen.has(target)) {
      p.add(`${at}/${j}`, "invalid", `"${target}" is listed twice`, target);
      ok = false;
    } else seen.add(target);
  });
  return ok ? (value as string[]).slice() : undefined;
}

function checkPolicy(value: unknown, p: Problems, base: Policy): Policy | undefined {
  if (value === undefined || value === null) return { ...base };
  if (!isObject(value)) {
    p.add("/policy", "type", `must be an object, not ${typeName(value)}`);
    return undefined;
  }
  const before = p.list.length;
  p.unknownKeys(value, POLICY_KEYS, "/policy");
  const policy: Policy = { ...base };
  if (value.overlap !== undefined) {
    if (value.overlap !== "Skip" && value.overlap !== "Queue" && value.overlap !== "Allow") {
      p.add("/policy/overlap", "notInList", "must be Skip, Queue or Allow", value.overlap);
    } else policy.overlap = value.overlap;
  }
  if (value.misfire !== undefined) {
    if (value.misfire !== "RunOnce" && value.misfire !== "Skip") {
      p.add("/policy/misfire", "notInList", "must be RunOnce or Skip", value.misfire);
    } else policy.misfire = value.misfire;
  }
  if (value.retry === null) delete policy.retry;
  else if (value.retry !== undefined) {
    const retry = checkRetry(value.retry, p);
    if (retry) policy.retry = retry;
  }
  if (value.rollout === null) delete policy.rollout;
  else if (value.rollout !== undefined) {
    const rollout = checkRollout(value.rollout, p);
    if (rollout) policy.rollout = rollout;
  }
  for (const key of ["taskTimeoutMs", "executionTimeoutMs", "maxConcurrency"] as const) {
    const v = value[key];
    if (v === null) delete policy[key];
    else if (v !== undefined) {
      const n = integer(v, `/policy/${key}`, p, 1, key === "maxConcurrency" ? 10_000 : 2 ** 31 - 1);
      if (n !== undefined) policy[key] = n;
    }
  }
  return p.list.length > before ? undefined : policy;
}

function checkRetry(value: unknown, p: Problems): RetryPolicy | undefined {
  if (!isObject(value)) {
    p.add("/policy/retry", "type", `must be an object, not ${typeName(value)}`);
    return undefined;
  }
  const before = p.list.length;
  p.unknownKeys(value, RETRY_KEYS, "/policy/retry");
  const maxAttempts = integer(value.maxAttempts ?? 3, "/policy/retry/maxAttempts", p, 1, 100);
  const initialDelayMs = integer(value.initialDelayMs ?? 1000, "/policy/retry/initialDelayMs", p, 0, 2 ** 31 - 1);
  const factor = number(value.factor ?? 2, "/policy/retry/factor", p, 1, 100);
  const maxDelayMs = integer(value.maxDelayMs ?? 60_000, "/policy/retry/maxDelayMs", p, 0, 2 ** 31 - 1);
  const jitter = value.jitter === undefined ? undefined : number(value.jitter, "/policy/retry/jitter", p, 0, 1);
  if (p.list.length > before) return undefined;
  const retry: RetryPolicy = { maxAttempts: maxAttempts!, initialDelayMs: initialDelayMs!, factor: factor!, maxDelayMs: maxDelayMs! };
  if (jitter !== undefined) retry.jitter = jitter;
  return retry;
}

function number(value: unknown, at: string, p: Problems, min: number, max: number): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    p.add(at, "type", `must be a number, not ${typeName(value)}`, value);
    return undefined;
  }
  if (value < min || value > max) {
    p.add(at, "outOfRange", `must be between ${min} and ${max}`, value);
    return undefined;
  }
  return value;
}

function integer(value: unknown, at: string, p: Problems, min: number, max: number): number | undefined {
  const n = number(value, at, p, min, max);
  if (n !== undefined && !Number.isInteger(n)) {
    p.add(at, "type", "must be a whole number", value);
    return undefined;
  }
  return n;
}
