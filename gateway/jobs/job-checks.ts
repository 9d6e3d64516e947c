/**
 * What a job body must satisfy beyond its JSON Schema, before the core sees
 * it: each step's payload fits its action's payload schema, every machine is
 * registered, and every machine's Type can run the step's action. All
 * problems are collected, one per offending value, each pointing into the
 * body the client sent.
 *
 * One schedule check is the gateway's own: a schedule that never falls due
 * again (a Continuous period that ended) is refused, as the core refuses a
 * Once in the past; a job that can never run is a mistake, not a request.
 * Everything else about schedules, and whether an action is defined at all,
 * is checked afterwards by createJob/updateJob.
 */
import { expectedPayload } from "./payload-examples.js";
import { DateTime } from "luxon";
import type { Job } from "../../src/jobs/types.js";
import { nextRun, validateSchedule, type Schedule } from "../../src/schedule/index.js";
import { machineTypesOf } from "../bmc/actions/index.js";
import type { MachineType } from "../platform/machine.js";
import type { MachineRegistry } from "../platform/registry.js";
import type { Problem } from "../redfish/errors.js";
import type { SchemaSet } from "../validation/schemas.js";
import { scheduleFromWire } from "./spec-from-wire.js";
import type { JobCreateBody, JobPatchBody, WireSchedule } from "./wire-types.js";

/** One step as the checks see it: what the body gives, and where in the body each part lives. */
export interface StepView {
  action: string;
  /** Undefined when the body leaves the machines as they are (a PATCH of the payload alone). */
  machines?: readonly string[] | undefined;
  /** Undefined when the body leaves the payload as it is (or, on create, gives none). */
  payload?: unknown;
  /** Whether the payload is being set by this body (create always sets it, absent or not). */
  setsPayload: boolean;
  /** "#" for MultiFish's top-level fields, "#/Steps/3" for a step. */
  base: string;
}


/** The payload schema of an action, by the id the schema set knows it under. */
export function payloadSchemaId(action: string): string {
  return `actions/${action}.json`;
}

function pointer(base: string, ...rest: (string | number)[]): string {
  return [base, ...rest.map(String)].join("/");
}

/** The steps a create body describes: its Steps, or one step from the top-level Action/Machines/Payload. */
export function createSteps(body: JobCreateBody): StepView[] {
  if (body.Steps) {
    return body.Steps.map((s, i) => ({ action: s.Action, machines: s.Machines, payload: s.Payload, setsPayload: true, base: `#/Steps/${i}` }));
  }
  return [{ action: body.Action ?? "", machines: body.Machines ?? [], payload: body.Payload, setsPayload: true, base: "#" }];
}

/**
 * The steps a PATCH changes: all of them when it gives Steps; the job's only
 * step when it gives Machines or Payload (the action stays the job's own).
 */
export function patchSteps(body: JobPatchBody, job: Job): StepView[] {
  if (body.Steps) {
    return body.Steps.map((s, i) => ({ action: s.Action, machines: s.Machines, payload: s.Payload, setsPayload: true, base: `#/Steps/${i}` }));
  }
  const only = job.steps[0];
  if (!only || (body.Machines === undefined && body.Payload === undefined)) return [];
  return [{ action: only.action, machines: body.Machines, payload: body.Payload, setsPayload: body.Payload !== undefined, base: "#" }];
}

function payloadProblems(step: StepView, schemas: SchemaSet): Problem[] {
  const schemaId = payloadSchemaId(step.action);
  if (!step.setsPayload || !schemas.has(schemaId)) return [];
  const at = pointer(step.base, "Payload");
  if (step.payload === undefined || step.payload === null) {
    return [{ key: "PropertyMissing", args: [at.slice(2)], relatedProperties: [at], resolution: expectedPayload(step.action) ?? `${step.action} needs a Payload: a list of per-manager entries.` }];
  }
  const problems = schemas.problems(schemaId, step.payload, { prefix: at });
  // The first problem also shows the shape the action expects; the others stay as they are.
  const expected = expectedPayload(step.action);
  const [first, ...rest] = problems;
  if (!first || !expected || first.resolution?.startsWith("Expected: ")) return problems;
  return [{ ...first, resolution: expected }, ...rest];
}

function machineProblems(step: StepView, registry: MachineRegistry): Problem[] {
  if (!step.machines) return [];
  const allowed = machineTypesOf(step.action);
  const problems: Problem[] = [];
  step.machines.forEach((id, i) => {
    const at = pointer(step.base, "Machines", i);
    const machine = registry.get(id);
    if (!machine) {
      problems.push({
        key: "ResourceNotFound",
        args: ["Machine", id],
        relatedProperties: [at],
        resolution: "Register the machine under /MultiFish/v1/Platform first, or remove it from the job.",
      });
    } else if (allowed && !allowed.includes(machine.type)) {
      problems.push({
        key: "PropertyValueNotInList",
        args: [id, at.slice(2)],
        relatedProperties: [at],
        resolution: `Machine '${id}' is of Type ${machine.type}; ${step.action} needs a machine of Type ${allowed.join(" or ")}. Remove it from the job or change its Type.`,
      });
    }
  });
  return problems;
}

/** An action no code has defined: nothing else about that step can be checked. */
function actionProblems(step: StepView, hasAction: (name: string) => boolean): Problem[] {
  if (step.action === "" || hasAction(step.action)) return [];
  const at = pointer(step.base, "Action");
  return [{ key: "PropertyValueNotInList", args: [step.action, at.slice(2)], relatedProperties: [at] }];
}

/**
 * Every problem of the steps, in one answer: unknown actions, then payloads,
 * then machines, each in the order of the body.
 */
export function stepProblems(
  steps: readonly StepView[],
  deps: { schemas: SchemaSet; registry: MachineRegistry; hasAction: (name: string) => boolean },
): Problem[] {
  const unknown = steps.flatMap((step) => actionProblems(step, deps.hasAction));
  const known = steps.filter((step) => step.action === "" || deps.hasAction(step.action));
  return [
    ...unknown,
    ...known.flatMap((step) => payloadProblems(step, deps.schemas)),
    ...steps.flatMap((step) => machineProblems(step, deps.registry)),
  ];
}

/**
 * A schedule the core would accept but that has no run after `now`. A
 * schedule the core refuses is left to the core, which says why.
 */
export function noRunLeftProblems(wire: WireSchedule | undefined, context: { now: number; timeZone: string }): Problem[] {
  if (!wire || wire.Type === "Manual" || wire.Type === "Once") return [];
  const after = { after: new Date(context.now), timeZone: context.timeZone };
  let schedule: Schedule;
  try {
    schedule = validateSchedule(scheduleFromWire(wire), { now: after.after, timeZone: context.timeZone });
  } catch {
    return [];
  }
  if (nextRun(schedule, after) !== null) return [];
  const endDay = wire.Period?.EndDay;
  const today = DateTime.fromMillis(context.now, { zone: schedule.type === "Continuous" ? (schedule.timeZone ?? context.timeZone) : context.timeZone }).toISODate();
  if (endDay && today !== null && endDay < today) {
    return [
      {
        key: "PropertyValueOutOfRange",
        args: [endDay, "Schedule/Period/EndDay"],
        relatedProperties: ["#/Schedule/Period/EndDay"],
        resolution: `The schedule has no run left after ${endDay}; give an EndDay still to come.`,
      },
    ];
  }
  return [{ key: "PropertyValueError", args: ["Schedule"], relatedProperties: ["#/Schedule"], resolution: "The schedule never falls due from now on: no day in its period matches its days. Change the days or the period." }];
}

/**
 * Jobs that run an action on the machine which a machine of `type` cannot do
 * (a fan action on a machine turned Base, say), named for an error message.
 */
export function jobsBlockingType(jobs: Iterable<Job>, machineId: string, type: MachineType): string[] {
  const blocking: string[] = [];
  for (const job of jobs) {
    const blocked = job.steps.some((step) => step.targets.includes(machineId) && !(machineTypesOf(step.action) ?? [type]).includes(type));
    if (blocked) blocking.push(`'${job.name}' (${job.id})`);
  }
  return blocking;
}
